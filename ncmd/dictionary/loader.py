"""Load the data dictionary's release folders, checking the dictionary itself as it goes.

A malformed dictionary must never reach users as a broken form, so loading is strict: every problem
found is reported at once, each naming the file, the form and the field, and nothing loads until
all are fixed.
"""

import datetime
import os
from pathlib import Path

import yaml

from .expressions import SPECIAL_ANSWERS, ExpressionError, compile_expression
from .model import (
    CHOICE_TYPES,
    DERIVED_CASE_FACTS,
    FIELD_TYPES,
    FORM_KINDS,
    Changes,
    Code,
    CodeList,
    Dictionary,
    Field,
    Form,
    Release,
    Rule,
    Section,
)

DEFAULT_DIR = Path(__file__).parent / "versions"
_FIELD_KEYS = {
    "name", "label", "type", "help", "required", "show_when", "min", "max", "codelist",
    "identifying", "allow", "unit",
}  # fmt: skip
_FORM_KEYS = {
    "name", "title", "kind", "description", "sections", "rules", "per_agency", "applies_when",
}  # fmt: skip


class DictionaryError(Exception):
    """The dictionary on disk is malformed. `problems` lists every place, one line each."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(
            "The data dictionary is malformed:\n" + "\n".join(f"  - {p}" for p in self.problems)
        )


class _Problems(list):
    def add(self, where, message):
        self.append(f"{where}: {message}")


def load_dictionary(directory=None):
    """Load every release under `directory` (default: the package's own `versions/`)."""
    directory = Path(directory or os.environ.get("NCMD_DICTIONARY_DIR") or DEFAULT_DIR)
    problems = _Problems()
    releases = {}
    folders = sorted(p for p in directory.iterdir() if p.is_dir()) if directory.is_dir() else []
    if not folders:
        raise DictionaryError([f"{directory}: no release folders found"])
    for folder in folders:
        release = _load_release(folder, problems)
        if release is not None:
            releases[release.id] = release
    ordered = dict(sorted(releases.items(), key=lambda item: item[1].effective_from))
    for release in ordered.values():
        _check_changes(release, ordered, directory / release.id / "version.yaml", problems)
    if problems:
        raise DictionaryError(problems)
    return Dictionary(ordered)


def _read_yaml(path, problems):
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        problems.add(path, "file is missing")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.add(path, f"is not valid YAML{at}: {getattr(error, 'problem', error)}")
    return None


def _load_release(folder, problems):
    version_file = folder / "version.yaml"
    meta = _read_yaml(version_file, problems)
    if not isinstance(meta, dict):
        if meta is not None:
            problems.add(version_file, "must be a mapping with id, effective_from and title")
        return None
    for key in ("id", "effective_from", "title"):
        if key not in meta:
            problems.add(version_file, f"'{key}' is missing")
    release_id = str(meta.get("id", folder.name))
    if release_id != folder.name:
        problems.add(version_file, f"id {release_id!r} must match the folder name {folder.name!r}")
    effective = meta.get("effective_from")
    if not isinstance(effective, datetime.date):
        problems.add(version_file, f"effective_from {effective!r} must be a date (YYYY-MM-DD)")
        effective = datetime.date.min

    codelists = _load_codelists(folder / "codelists.yaml", problems)
    forms = {}
    form_files = sorted((folder / "forms").glob("*.yaml"))
    if not form_files:
        problems.add(folder / "forms", "no form files found")
    for path in form_files:
        form = _load_form(path, codelists, problems)
        if form is not None:
            if form.name in forms:
                problems.add(path, f"form {form.name!r} is defined twice")
            forms[form.name] = form
    if forms and "notification" not in forms:
        problems.add(folder / "forms", "a release must have a 'notification' form")
    _check_case_facts(folder, forms, problems)

    changes = meta.get("changes") or {}
    return Release(
        id=release_id,
        effective_from=effective,
        title=str(meta.get("title", "")),
        previous=str(meta["previous"]) if meta.get("previous") else None,
        forms=forms,
        codelists=codelists,
        changes=Changes(
            renamed_fields=tuple(
                (str(r.get("form")), str(r.get("from")), str(r.get("to")))
                for r in changes.get("renamed_fields") or []
            ),
            recoded=tuple(
                (str(r.get("codelist")), {str(k): str(v) for k, v in (r.get("map") or {}).items()})
                for r in changes.get("recoded") or []
            ),
            added_fields=tuple(
                (str(r.get("form")), str(r.get("field"))) for r in changes.get("added_fields") or []
            ),
        ),
        notes=str(meta.get("notes") or ""),
    )


def _load_codelists(path, problems):
    data = _read_yaml(path, problems)
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.add(path, "must map each code list's name to its definition")
        return {}
    codelists = {}
    for name, spec in data.items():
        where = f"{path}, code list {name!r}"
        if not isinstance(spec, dict) or not isinstance(spec.get("codes"), list):
            problems.add(where, "must have a 'codes' list")
            continue
        groups = {str(k): str(v) for k, v in (spec.get("groups") or {}).items()}
        codes, seen = [], set()
        for index, item in enumerate(spec["codes"], start=1):
            if not isinstance(item, dict) or "code" not in item or "label" not in item:
                problems.add(where, f"code {index} must have 'code' and 'label'")
                continue
            unknown = sorted(str(key) for key in set(item) - {"code", "label", "group"})
            if unknown:
                problems.add(
                    where,
                    f"code {item['code']!r} has unknown keys {unknown}: quote a label that "
                    "contains a comma",
                )
            code = item["code"]
            if not isinstance(code, str):
                problems.add(where, f"code {code!r} must be a string (quote it in the YAML)")
                code = str(code)
            if code in seen:
                problems.add(where, f"code {code!r} appears twice")
            seen.add(code)
            group = item.get("group")
            if group is not None and str(group) not in groups:
                problems.add(where, f"code {code!r} names group {group!r}, not in 'groups'")
            codes.append(Code(code, str(item["label"]), str(group) if group else None))
        codelists[name] = CodeList(name, str(spec.get("label", name)), tuple(codes), groups)
    return codelists


def _load_form(path, codelists, problems):
    data = _read_yaml(path, problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.add(path, "must be a mapping describing one form")
        return None
    name = data.get("name")
    where = f"{path}, form {name!r}"
    for key in sorted(set(data) - _FORM_KEYS):
        problems.add(where, f"unknown key {key!r}")
    if not name or not str(name).isidentifier():
        problems.add(path, f"the form's name {name!r} must be a snake_case identifier")
    if data.get("kind") not in FORM_KINDS:
        problems.add(where, f"kind {data.get('kind')!r} must be one of {', '.join(FORM_KINDS)}")
    sections, names = [], set()
    for s_index, section in enumerate(data.get("sections") or [], start=1):
        if not isinstance(section, dict) or not section.get("fields"):
            problems.add(where, f"section {s_index} must have a name, a title and fields")
            continue
        fields = []
        for f_index, spec in enumerate(section["fields"], start=1):
            field = _load_field(spec, f"{where}, field {f_index}", section, codelists, problems)
            if field is None:
                continue
            if field.name in names:
                problems.add(f"{where}, field {field.name!r}", "is defined twice in this form")
            names.add(field.name)
            fields.append(field)
        sections.append(
            Section(
                str(section.get("name", f"section_{s_index}")),
                str(section.get("title", "")),
                tuple(fields),
                str(section.get("description") or ""),
            )
        )
    if not sections:
        problems.add(where, "must have at least one section with fields")
    fields_by_name = {f.name: f for s in sections for f in s.fields}
    for field in fields_by_name.values():
        for expression in (field.show_when, field.required):
            if hasattr(expression, "fields"):
                _check_names(expression, fields_by_name, f"{where}, field {field.name!r}", problems)
    rules = []
    for index, spec in enumerate(data.get("rules") or [], start=1):
        rule = _load_rule(spec, f"{where}, rule {index}", fields_by_name, problems)
        if rule is not None:
            rules.append(rule)
    applies_when = _expression(data.get("applies_when"), f"{where}, applies_when", problems)
    if applies_when is not None and applies_when.fields:
        problems.add(
            f"{where}, applies_when",
            "can only read facts about the case (case.<name>), not this form's own answers",
        )
    return Form(
        name=str(name),
        title=str(data.get("title", name)),
        kind=str(data.get("kind")),
        description=str(data.get("description") or ""),
        sections=tuple(sections),
        rules=tuple(rules),
        per_agency=bool(data.get("per_agency", False)),
        applies_when=applies_when,
    )


def _load_field(spec, where, section, codelists, problems):
    if not isinstance(spec, dict) or "name" not in spec:
        problems.add(where, "must be a mapping with at least name, label and type")
        return None
    name = spec["name"]
    where = f"{where.rsplit(', field', 1)[0]}, field {name!r}"
    if not str(name).isidentifier():
        problems.add(where, "the name must be a snake_case identifier")
    for key in sorted(set(spec) - _FIELD_KEYS):
        problems.add(where, f"unknown key {key!r}")
    if not spec.get("label"):
        problems.add(where, "'label' is missing")
    field_type = spec.get("type")
    if field_type not in FIELD_TYPES:
        problems.add(where, f"type {field_type!r} must be one of {', '.join(FIELD_TYPES)}")
    codelist = None
    if field_type in CHOICE_TYPES:
        codelist = codelists.get(spec.get("codelist"))
        if codelist is None:
            problems.add(where, f"code list {spec.get('codelist')!r} is not in codelists.yaml")
    elif "codelist" in spec:
        problems.add(where, f"a {field_type} field cannot have a code list")
    allow = tuple(spec.get("allow") or ())
    for special in allow:
        if special not in SPECIAL_ANSWERS:
            problems.add(where, f"allow lists {special!r}; only {SPECIAL_ANSWERS} are allowed")
    for bound in ("min", "max"):
        value = spec.get(bound)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.add(where, f"{bound} must be a number, not {value!r}")
    if spec.get("min") is not None and spec.get("max") is not None and spec["min"] > spec["max"]:
        problems.add(where, f"min {spec['min']} is greater than max {spec['max']}")
    required = spec.get("required", False)
    if isinstance(required, str):
        required = _expression(required, f"{where}, required", problems)
    elif not isinstance(required, bool):
        problems.add(where, f"required must be true, false or an expression, not {required!r}")
        required = False
    return Field(
        name=str(name),
        label=str(spec.get("label", "")),
        type=str(field_type),
        help=str(spec.get("help") or "").strip(),
        required=required if required is not None else False,
        show_when=_expression(spec.get("show_when"), f"{where}, show_when", problems),
        min=spec.get("min"),
        max=spec.get("max"),
        codelist=codelist,
        identifying=bool(spec.get("identifying", False)),
        allow=allow,
        unit=str(spec.get("unit") or ""),
        section=str(section.get("name", "")),
    )


def _load_rule(spec, where, fields, problems):
    if not isinstance(spec, dict) or not {"name", "check", "message"} <= set(spec):
        problems.add(where, "must have name, check and message")
        return None
    where = f"{where.rsplit(', rule', 1)[0]}, rule {spec['name']!r}"
    check = _expression(spec["check"], where, problems)
    if check is None:
        return None
    _check_names(check, fields, where, problems)
    shown_at = tuple(spec.get("fields") or sorted(check.fields))
    for name in shown_at:
        if name not in fields:
            problems.add(where, f"'fields' names {name!r}, which is not a field of this form")
    if not shown_at:
        problems.add(where, "must name the field where its message is shown ('fields')")
    return Rule(str(spec["name"]), check, shown_at, str(spec["message"]).strip())


def _expression(source, where, problems):
    if source is None:
        return None
    try:
        return compile_expression(source)
    except ExpressionError as error:
        problems.add(where, str(error))
        return None


def _check_names(expression, fields, where, problems):
    for name in sorted(expression.fields - set(fields)):
        problems.add(where, f"the expression {expression.source!r} names {name!r}, not a field")


def _check_case_facts(folder, forms, problems):
    notification = forms.get("notification")
    known = set(DERIVED_CASE_FACTS) | (set(notification.fields) if notification else set())
    for form in forms.values():
        expressions = [("applies_when", form.applies_when)]
        expressions += [(f"rule {r.name!r}", r.check) for r in form.rules]
        for f in form.fields.values():
            expressions += [(f"field {f.name!r}", f.show_when), (f"field {f.name!r}", f.required)]
        for where, expression in expressions:
            for fact in sorted(getattr(expression, "case_facts", set()) - known):
                problems.add(
                    f"{folder / 'forms'}, form {form.name!r}, {where}",
                    f"case.{fact} is not a notification field or a derived case fact",
                )


def _check_changes(release, releases, where, problems):
    if release.previous is None:
        if release.changes != Changes():
            problems.add(where, "declares changes but names no 'previous' release")
        return
    previous = releases.get(release.previous)
    if previous is None:
        problems.add(where, f"previous release {release.previous!r} does not exist")
        return
    if previous.effective_from >= release.effective_from:
        problems.add(where, f"must take effect after its previous release {previous.id}")
    for form, old, new in release.changes.renamed_fields:
        if old not in previous.forms.get(form, Form("", "", "", "", (), ())).fields:
            problems.add(where, f"renamed field {form}.{old} is not in release {previous.id}")
        if new not in release.forms.get(form, Form("", "", "", "", (), ())).fields:
            problems.add(where, f"renamed field {form}.{new} is not in release {release.id}")
    for codelist, mapping in release.changes.recoded:
        old_list, new_list = previous.codelists.get(codelist), release.codelists.get(codelist)
        if old_list is None or new_list is None:
            problems.add(where, f"recoded code list {codelist!r} must exist in both releases")
            continue
        for code in old_list.by_code:
            if code not in mapping:
                problems.add(where, f"recoding of {codelist!r} does not map old code {code!r}")
        for old, new in mapping.items():
            if new not in new_list.by_code:
                problems.add(where, f"recoding of {codelist!r} maps {old!r} to unknown {new!r}")
    for form, field in release.changes.added_fields:
        if field not in release.forms.get(form, Form("", "", "", "", (), ())).fields:
            problems.add(where, f"added field {form}.{field} is not in release {release.id}")
