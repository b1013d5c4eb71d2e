"""The dictionary in other systems' formats: JSON Schema, FHIR R4 Questionnaire, REDCap.

Each export is a pure function of a `Release` and a `Form`, so the same document is served by the
API, written by `ncmd dictionary export`, and checked in unit tests. The exports describe the
forms; the dictionary's validator (`ncmd.dictionary.validation`) stays the judge of an answer:
cross-field rules and questions shown only for some answers of another form cannot be expressed
fully in these formats, and where they cannot, the expression's own text travels with the export.

`answers_from_questionnaire_response` goes the other way: a FHIR QuestionnaireResponse for one form
becomes the raw answers the validator takes.
"""

import ast
import csv
import io
import re

from .expressions import SPECIAL_ANSWERS
from .model import FORM_KINDS, Form, Release
from .validation import Problem

BASE_URL = "https://ncmd.example"
SPECIAL_SYSTEM = f"{BASE_URL}/codelists/special-answers"
SPECIAL_LABELS = {"not_known": "Not known", "not_applicable": "Not applicable"}
SHOW_WHEN_EXTENSION = f"{BASE_URL}/fhir/StructureDefinition/show-when"
REQUIRED_WHEN_EXTENSION = f"{BASE_URL}/fhir/StructureDefinition/required-when"
APPLIES_WHEN_EXTENSION = f"{BASE_URL}/fhir/StructureDefinition/applies-when"
SPECIAL_ANSWER_EXTENSION = f"{BASE_URL}/fhir/StructureDefinition/special-answer"
IDENTIFYING_EXTENSION = f"{BASE_URL}/fhir/StructureDefinition/identifying"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
FHIR_ITEM_TYPES = {
    "text": "string",
    "long_text": "text",
    "integer": "integer",
    "decimal": "decimal",
    "date": "date",
    "datetime": "dateTime",
    "time": "time",
    "boolean": "boolean",
    "single_choice": "choice",
    "multiple_choice": "choice",
    "nhs_number": "string",
    "postcode": "string",
}
REDCAP_COLUMNS = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def codelist_system(release_id, codelist_name):
    """The coding system URL of one code list in one release."""
    return f"{BASE_URL}/codelists/{release_id}/{codelist_name}"


def questionnaire_url(form_name):
    return f"{BASE_URL}/fhir/Questionnaire/{form_name}"


# ---------------------------------------------------------------------------------------------
# JSON Schema (draft 2020-12)
# ---------------------------------------------------------------------------------------------


def json_schema(release: Release, form: Form):
    """A JSON Schema for the answers to `form` as the API takes them: one property per question,
    codes from the code lists, the special-answer object where a question allows one, the
    questions that are always required, and ranges."""
    properties = {name: _json_property(field) for name, field in form.fields.items()}
    required = [
        name
        for name, field in form.fields.items()
        if field.required is True and field.show_when is None
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URL}/schemas/{release.id}/{form.name}.json",
        "title": form.title,
        "description": (
            f"{form.description.strip()}\n\nDictionary release {release.id}. Questions asked only "
            "for some answers, conditional requirements and cross-field rules are checked by the "
            "registry when the answers are submitted."
        ).strip(),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _json_property(field):
    base = {"title": field.label}
    if field.help:
        base["description"] = field.help.strip()
    value = _json_value(field)
    if field.allow:
        special = {
            "type": "object",
            "properties": {"special": {"enum": list(field.allow)}},
            "required": ["special"],
            "additionalProperties": False,
        }
        return {**base, "anyOf": [value, special]}
    return {**base, **value}


def _json_value(field):
    kind = field.type
    if kind in ("text", "long_text"):
        value = {"type": "string"}
        if field.max is not None:
            value["maxLength"] = int(field.max)
        return value
    if kind in ("integer", "decimal"):
        value = {"type": "integer" if kind == "integer" else "number"}
        if field.min is not None:
            value["minimum"] = _number(field.min, kind)
        if field.max is not None:
            value["maximum"] = _number(field.max, kind)
        return value
    if kind == "date":
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if kind == "datetime":
        return {
            "type": "string",
            "format": "date-time",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}",
        }
    if kind == "time":
        return {"type": "string", "pattern": r"^([01]?\d|2[0-3]):[0-5]\d$"}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "single_choice":
        return {"type": "string", "enum": [c.code for c in field.codelist.codes]}
    if kind == "multiple_choice":
        return {
            "type": "array",
            "items": {"type": "string", "enum": [c.code for c in field.codelist.codes]},
            "uniqueItems": True,
        }
    if kind == "nhs_number":
        return {"type": "string", "pattern": r"^\d{3}[ -]?\d{3}[ -]?\d{4}$"}
    if kind == "postcode":
        return {
            "type": "string",
            "pattern": r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$",
        }
    raise ValueError(f"no JSON Schema for field type {kind!r}")


def _number(value, kind):
    return int(value) if kind == "integer" or float(value).is_integer() else float(value)


# ---------------------------------------------------------------------------------------------
# FHIR R4 Questionnaire
# ---------------------------------------------------------------------------------------------


def fhir_questionnaire(release: Release, form: Form):
    """The form as a FHIR R4 Questionnaire: one group per section, one item per question with
    linkId = the field's name."""
    questionnaire = {
        "resourceType": "Questionnaire",
        "id": f"ncmd-{release.id}-{form.name}".replace("_", "-"),
        "url": questionnaire_url(form.name),
        "version": release.id,
        "name": "".join(part.capitalize() for part in form.name.split("_")),
        "title": form.title,
        "status": "active",
        "date": release.effective_from.isoformat(),
        "publisher": "National Child Mortality Database (ncmd)",
        "description": form.description.strip(),
        "item": [_fhir_section(release, form, section) for section in form.sections],
    }
    if form.applies_when is not None:
        questionnaire["extension"] = [
            {"url": APPLIES_WHEN_EXTENSION, "valueString": form.applies_when.source}
        ]
    return questionnaire


def _fhir_section(release, form, section):
    group = {
        "linkId": f"section-{section.name}",
        "text": section.title,
        "type": "group",
        "item": [_fhir_item(release, form, field) for field in section.fields],
    }
    return group


def _fhir_item(release, form, field):
    item = {"linkId": field.name, "text": field.label, "type": FHIR_ITEM_TYPES[field.type]}
    extensions = []
    if field.required is True:
        item["required"] = True
    elif field.required is not False:
        extensions.append({"url": REQUIRED_WHEN_EXTENSION, "valueString": field.required.source})
    if field.type == "multiple_choice":
        item["repeats"] = True
    if field.type in ("text", "long_text") and field.max is not None:
        item["maxLength"] = int(field.max)
    if field.type in ("integer", "decimal"):
        key = "valueInteger" if field.type == "integer" else "valueDecimal"
        if field.min is not None:
            extensions.append({"url": MIN_VALUE, key: _number(field.min, field.type)})
        if field.max is not None:
            extensions.append({"url": MAX_VALUE, key: _number(field.max, field.type)})
    if field.is_choice:
        system = codelist_system(release.id, field.codelist.name)
        item["answerOption"] = [
            {"valueCoding": {"system": system, "code": c.code, "display": c.label}}
            for c in field.codelist.codes
        ]
        item["answerOption"] += [
            {"valueCoding": {"system": SPECIAL_SYSTEM, "code": k, "display": SPECIAL_LABELS[k]}}
            for k in field.allow
        ]
    for kind in field.allow:
        extensions.append({"url": SPECIAL_ANSWER_EXTENSION, "valueCode": kind})
    if field.identifying:
        extensions.append({"url": IDENTIFYING_EXTENSION, "valueBoolean": True})
    if field.show_when is not None:
        enable = _enable_when(release, form, field.show_when.source)
        if enable is None:
            extensions.append({"url": SHOW_WHEN_EXTENSION, "valueString": field.show_when.source})
        else:
            conditions, behaviour = enable
            item["enableWhen"] = conditions
            if len(conditions) > 1:
                item["enableBehavior"] = behaviour
    if extensions:
        item["extension"] = extensions
    if field.help:
        item["item"] = [
            {"linkId": f"{field.name}-help", "text": field.help.strip(), "type": "display"}
        ]
    return item


def _enable_when(release, form, source):
    """([enableWhen], "all"|"any") for an expression FHIR's enableWhen can state, else None."""
    node = ast.parse(source.strip(), mode="eval").body
    if isinstance(node, ast.BoolOp):
        behaviour = "all" if isinstance(node.op, ast.And) else "any"
        parts = [_fhir_atoms(release, form, value) for value in node.values]
        if any(p is None or (len(p) > 1 and behaviour == "all") for p in parts):
            return None
        return [c for p in parts for c in p], behaviour
    atoms = _fhir_atoms(release, form, node)
    return (atoms, "any") if atoms else None


def _fhir_atoms(release, form, node):
    """The enableWhen conditions for one comparison (several, to be OR-ed, for `x in [...]`)."""
    match node:
        case ast.Name(id=name) if name in form.fields:
            return [{"question": name, "operator": "=", "answerBoolean": True}]
        case ast.Compare(left=ast.Name(id=name), ops=[op], comparators=[right]) if (
            name in form.fields
        ):
            field = form.fields[name]
            if isinstance(op, ast.Is | ast.IsNot) and isinstance(right, ast.Name):
                if right.id not in ("answered", "blank"):
                    return None
                exists = (right.id == "answered") == isinstance(op, ast.Is)
                return [{"question": name, "operator": "exists", "answerBoolean": exists}]
            operator = _FHIR_OPERATORS.get(type(op))
            if operator is not None:
                answer = _fhir_answer(release, field, right)
                return None if answer is None else [{"question": name, "operator": operator,
                                                     **answer}]  # fmt: skip
            if isinstance(op, ast.In) and isinstance(right, ast.List | ast.Tuple):
                answers = [_fhir_answer(release, field, element) for element in right.elts]
                if None in answers:
                    return None
                return [{"question": name, "operator": "=", **a} for a in answers]
            return None
        case ast.Compare(left=ast.Constant(), ops=[ast.In()], comparators=[ast.Name(id=name)]) if (
            name in form.fields and form.fields[name].type == "multiple_choice"
        ):
            answer = _fhir_answer(release, form.fields[name], node.left)
            return None if answer is None else [{"question": name, "operator": "=", **answer}]
        case _:
            return None


_FHIR_OPERATORS = {
    ast.Eq: "=",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}


def _fhir_answer(release, field, node):
    value = _literal(node)
    if value is _NOT_LITERAL:
        return None
    if field.is_choice and isinstance(value, str):
        system = codelist_system(release.id, field.codelist.name)
        return {"answerCoding": {"system": system, "code": value}}
    if field.type == "boolean" and isinstance(value, bool):
        return {"answerBoolean": value}
    if field.type == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return {"answerInteger": value}
    if field.type in ("integer", "decimal") and isinstance(value, int | float):
        return {"answerDecimal": value}
    if field.type == "date" and isinstance(value, str):
        return {"answerDate": value}
    if field.type in ("text", "long_text") and isinstance(value, str):
        return {"answerString": value}
    return None


_NOT_LITERAL = object()


def _literal(node):
    match node:
        case ast.Constant(value=value) if isinstance(value, str | int | float | bool):
            return value
        case ast.Name(id="true"):
            return True
        case ast.Name(id="false"):
            return False
        case ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=value)) if isinstance(
            value, int | float
        ):
            return -value
        case _:
            return _NOT_LITERAL


# ---------------------------------------------------------------------------------------------
# REDCap data dictionary
# ---------------------------------------------------------------------------------------------


def redcap_variables(release: Release):
    """(form name, field name) -> REDCap variable name. REDCap needs names unique across a
    project; a name already used by an earlier form is prefixed with its own form's name."""
    names, taken = {}, {"record_id"}
    for form in _in_form_order(release.forms.values()):
        for field in form.fields:
            candidate = field if field not in taken else f"{form.name}_{field}"
            number = 2
            while candidate in taken:
                candidate, number = f"{form.name}_{field}_{number}", number + 1
            taken.add(candidate)
            names[(form.name, field)] = candidate
    return names


def redcap_data_dictionary(release: Release, forms=None):
    """The release (or the named forms of it) as a REDCap data dictionary CSV (text)."""
    variables = redcap_variables(release)
    chosen = _in_form_order(release.form(n) for n in forms) if forms else _in_form_order(
        release.forms.values()
    )  # fmt: skip
    rows = []
    if chosen:
        rows.append(_redcap_row(variable="record_id", form=chosen[0].name, kind="text",
                                label="Record ID"))  # fmt: skip
    for form in chosen:
        for section in form.sections:
            for index, field in enumerate(section.fields):
                rows.append(_redcap_field(release, form, field, variables,
                                          section.title if index == 0 else ""))  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REDCAP_COLUMNS)
    for row in rows:
        writer.writerow([formula_safe(row[column]) for column in REDCAP_COLUMNS])
    return buffer.getvalue()


def _in_form_order(forms):
    """Notification first, then reporting, supplementary and analysis forms, as a case goes."""
    return sorted(forms, key=lambda form: FORM_KINDS.index(form.kind))


def formula_safe(value):
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _redcap_row(*, variable, form, kind, label, **columns):
    row = dict.fromkeys(REDCAP_COLUMNS, "")
    row.update({REDCAP_COLUMNS[0]: variable, REDCAP_COLUMNS[1]: form, REDCAP_COLUMNS[3]: kind,
                REDCAP_COLUMNS[4]: label})  # fmt: skip
    for name, value in columns.items():
        row[name] = value
    return row


_REDCAP_VALIDATION = {
    "integer": "integer",
    "decimal": "number",
    "date": "date_ymd",
    "datetime": "datetime_ymd",
    "time": "time",
}


def _redcap_field(release, form, field, variables, section_header):
    choices = ""
    if field.is_choice:
        kind = "checkbox" if field.type == "multiple_choice" else "radio"
        if field.type == "single_choice" and len(field.codelist.codes) > 10:
            kind = "dropdown"
        options = [(c.code, c.label) for c in field.codelist.codes]
        if field.type == "single_choice":
            options += [(k, SPECIAL_LABELS[k]) for k in field.allow]
        choices = " | ".join(f"{code}, {_choice_label(label)}" for code, label in options)
    elif field.type == "boolean" and field.allow:
        kind = "radio"
        options = [("1", "Yes"), ("0", "No")] + [(k, SPECIAL_LABELS[k]) for k in field.allow]
        choices = " | ".join(f"{code}, {label}" for code, label in options)
    elif field.type == "boolean":
        kind = "yesno"
    elif field.type == "long_text":
        kind = "notes"
    else:
        kind = "text"
    annotations = []
    branching = ""
    if field.show_when is not None:
        branching = _redcap_logic(release, form, field.show_when.source, variables) or ""
        if not branching:
            annotations.append(f"Shown only when (ncmd expression): {field.show_when.source}")
    if field.required is not True and field.required is not False:
        annotations.append(f"Required when (ncmd expression): {field.required.source}")
    if field.allow and field.type not in ("single_choice", "boolean"):
        # Single-choice and yes/no questions carry the special answers as choices.
        words = " or ".join(SPECIAL_LABELS[k].lower() for k in field.allow)
        annotations.append(f"May be answered {words}.")
    if field.unit:
        annotations.append(f"Unit: {field.unit}")
    minimum = _fmt(field.min) if field.type in ("integer", "decimal") else ""
    maximum = _fmt(field.max) if field.type in ("integer", "decimal") else ""
    return _redcap_row(
        variable=variables[(form.name, field.name)],
        form=form.name,
        kind=kind,
        label=field.label,
        **{
            "Section Header": section_header,
            "Choices, Calculations, OR Slider Labels": choices,
            "Field Note": (field.help or "").strip(),
            "Text Validation Type OR Show Slider Number": _REDCAP_VALIDATION.get(field.type, ""),
            "Text Validation Min": minimum,
            "Text Validation Max": maximum,
            "Identifier?": "y" if field.identifying else "",
            "Branching Logic (Show field only if...)": branching,
            "Required Field?": "y" if field.required is True else "",
            "Field Annotation": " ".join(annotations),
        },
    )


def _choice_label(label):
    # "|" separates choices in REDCap; a label never needs one.
    return label.replace("|", "/")


def _fmt(number):
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


def _redcap_logic(release, form, source, variables):
    """REDCap branching logic for an expression, or None when REDCap cannot say it."""
    node = ast.parse(source.strip(), mode="eval").body
    return _redcap_node(release, form, node, variables, top=True)


def _redcap_node(release, form, node, variables, *, top=False):
    match node:
        case ast.BoolOp(op=op, values=values):
            parts = [_redcap_node(release, form, v, variables) for v in values]
            if None in parts:
                return None
            joined = f" {'and' if isinstance(op, ast.And) else 'or'} ".join(parts)
            return joined if top else f"({joined})"
        case ast.Name():
            found = _redcap_field_ref(release, form, node, variables)
            if found is None or found[1].type != "boolean":
                return None
            return f"{found[0]} = '1'"
        case ast.Compare(left=left, ops=[op], comparators=[right]):
            return _redcap_compare(release, form, left, op, right, variables, top)
        case _:
            return None


_REDCAP_OPERATORS = {
    ast.Eq: "=",
    ast.NotEq: "<>",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}


def _redcap_compare(release, form, left, op, right, variables, top):
    if isinstance(op, ast.In) and isinstance(left, ast.Constant):
        found = _redcap_field_ref(release, form, right, variables)
        if found is None or found[1].type != "multiple_choice" or not _is_code(left.value):
            return None
        return f"{found[0][:-1]}({left.value})] = '1'"
    found = _redcap_field_ref(release, form, left, variables)
    if found is None:
        return None
    reference, field = found
    if isinstance(op, ast.Is | ast.IsNot) and isinstance(right, ast.Name):
        negate = isinstance(op, ast.IsNot)
        if right.id in ("answered", "blank"):
            empty = (right.id == "blank") != negate
            return f"{reference} {'=' if empty else '<>'} ''"
        if right.id in SPECIAL_ANSWERS and field.type == "single_choice":
            return f"{reference} {'<>' if negate else '='} '{right.id}'"
        return None
    if isinstance(op, ast.In) and isinstance(right, ast.List | ast.Tuple):
        values = [_redcap_value(field, element) for element in right.elts]
        if None in values:
            return None
        joined = " or ".join(f"{reference} = {value}" for value in values)
        return joined if top or len(values) == 1 else f"({joined})"
    operator = _REDCAP_OPERATORS.get(type(op))
    value = _redcap_value(field, right)
    if operator is None or value is None:
        return None
    return f"{reference} {operator} {value}"


def _redcap_field_ref(release, form, node, variables):
    """'[variable]' and the Field for a name of this form, or case.<notification field>."""
    match node:
        case ast.Name(id=name) if name in form.fields:
            return f"[{variables[(form.name, name)]}]", form.fields[name]
        case ast.Attribute(value=ast.Name(id="case"), attr=fact):
            notification = release.forms.get("notification")
            if notification is not None and fact in notification.fields:
                return f"[{variables[('notification', fact)]}]", notification.fields[fact]
    return None


def _redcap_value(field, node):
    value = _literal(node)
    if value is _NOT_LITERAL:
        return None
    if isinstance(value, bool):
        return f"'{int(value)}'" if field.type == "boolean" else None
    if isinstance(value, int | float):
        return _fmt(value) if field.type in ("integer", "decimal") else None
    if field.is_choice and not _is_code(value):
        return None
    return "'" + value.replace("'", "") + "'"


def _is_code(value):
    return isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9_]+", value) is not None


# ---------------------------------------------------------------------------------------------
# FHIR QuestionnaireResponse -> answers
# ---------------------------------------------------------------------------------------------

_VALUE_KEYS = (
    "valueBoolean",
    "valueDecimal",
    "valueInteger",
    "valueDate",
    "valueDateTime",
    "valueTime",
    "valueString",
    "valueCoding",
    "valueQuantity",
)
_FHIR_TIME = re.compile(r"^(\d{2}:\d{2})(:\d{2}(\.\d+)?)?$")
RESPONSE_STATUSES = {"completed": False, "amended": False, "in-progress": True}


def answers_from_questionnaire_response(form: Form, resource):
    """(raw answers, draft, problems) from a QuestionnaireResponse for `form`.

    The answers are raw: they still go through the validator. `draft` is true for a response
    whose status is "in-progress". Problems here are about the resource's shape (not a
    QuestionnaireResponse, an item answered twice, a value of no known kind)."""
    problems = []

    def problem(field, message):
        problems.append(Problem(form.name, field, message))

    if not isinstance(resource, dict) or resource.get("resourceType") != "QuestionnaireResponse":
        problem(None, "Send a FHIR resource whose resourceType is QuestionnaireResponse.")
        return {}, False, problems
    status = resource.get("status")
    if status not in RESPONSE_STATUSES:
        problem(None, f"The status must be one of {', '.join(RESPONSE_STATUSES)}; "
                      f"{status!r} cannot be recorded.")  # fmt: skip
    questionnaire = resource.get("questionnaire")
    if questionnaire is not None and (
        not isinstance(questionnaire, str)
        or questionnaire.split("|")[0] != questionnaire_url(form.name)
    ):
        problem(None, f"This response answers {questionnaire!r}, not the {form.title} "
                      f"({questionnaire_url(form.name)}).")  # fmt: skip
    raw = {}
    _collect(form, resource.get("item", []), raw, problem)
    return raw, RESPONSE_STATUSES.get(status, False), problems


def _collect(form, items, raw, problem):
    if not isinstance(items, list):
        problem(None, "'item' must be a list of items.")
        return
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("linkId"), str):
            problem(None, "Every item needs a linkId.")
            continue
        link = item["linkId"]
        if "item" in item:
            _collect(form, item["item"], raw, problem)
        answers = item.get("answer")
        if answers is None:
            continue
        if not isinstance(answers, list):
            problem(link, "'answer' must be a list.")
            continue
        if link in raw:
            problem(link, f"'{link}' is answered more than once.")
            continue
        values = []
        for answer in answers:
            if isinstance(answer, dict) and "item" in answer:
                _collect(form, answer["item"], raw, problem)
            value, message = _answer_value(answer)
            if message:
                problem(link, message)
                break
            values.append(value)
        else:
            field = form.fields.get(link)
            special = [v for v in values if isinstance(v, dict)]
            if special and len(values) > 1:
                problem(link, f"'{link}' has a special answer together with other answers.")
            elif field is not None and field.type == "multiple_choice" and not special:
                raw[link] = values
            elif len(values) == 1:
                raw[link] = values[0]
            elif len(values) > 1:
                problem(link, f"'{link}' takes one answer; {len(values)} were given.")


def _answer_value(answer):
    if not isinstance(answer, dict):
        return None, "Each answer must be an object with one value[x]."
    keys = [key for key in _VALUE_KEYS if key in answer]
    if len(keys) != 1:
        return None, f"Each answer needs exactly one of {', '.join(_VALUE_KEYS)}."
    key = keys[0]
    value = answer[key]
    if key == "valueCoding":
        if not isinstance(value, dict) or not isinstance(value.get("code"), str):
            return None, "A valueCoding needs a code."
        if value.get("system") == SPECIAL_SYSTEM:
            return {"special": value["code"]}, None
        return value["code"], None
    if key == "valueQuantity":
        if not isinstance(value, dict) or "value" not in value:
            return None, "A valueQuantity needs a value."
        return value["value"], None
    if key == "valueTime" and isinstance(value, str):
        match = _FHIR_TIME.match(value)
        return (match.group(1) if match else value), None
    return value, None
