"""The one validator: every answer the platform accepts, from any way in, passes through here.

`validate_answers` takes the raw answers for one form (strings from a web form or a CSV file, or
JSON values from the API), and returns either the cleaned answers, split into direct identifiers and
everything else, or every problem at once, each with its form, field and a plain message. It never
raises for bad input and never writes anything.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .expressions import SPECIAL_ANSWERS, Special, is_value
from .identifiers import nhs_number_is_valid, normalise_nhs_number, normalise_postcode

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_SPECIAL_WORDS = {
    "not_known": "not_known",
    "not known": "not_known",
    "not_applicable": "not_applicable",
    "not applicable": "not_applicable",
}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Problem:
    form: str
    field: str | None
    message: str
    value: object = None

    def as_dict(self):
        return {"form": self.form, "field": self.field, "message": self.message}


@dataclass
class Result:
    answers: dict = field(default_factory=dict)  # JSON-ready, no direct identifiers
    identifiers: dict = field(default_factory=dict)  # JSON-ready direct identifiers
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def problems_by_field(self):
        grouped = {}
        for problem in self.problems:
            grouped.setdefault(problem.field, []).append(problem.message)
        return grouped


def validate_answers(form, raw, *, case=None, draft=False):
    """Check `raw` (field name -> value) against `form`.

    `case` holds facts about the case (`date_of_death`, `age_days`, ...) for rules that compare
    with other forms. A draft may be incomplete: required questions and cross-field rules are not
    enforced, but every answer given must still be a valid answer.
    """
    result = Result()
    if not isinstance(raw, dict):
        result.problems.append(
            Problem(form.name, None, "The answers must be a set of named fields.")
        )
        return result
    for name in raw:
        if name not in form.fields:
            result.problems.append(
                Problem(form.name, name, f"'{name}' is not a question on the {form.title}.")
            )
    typed = {}
    for name, spec in form.fields.items():
        value, message = parse_answer(spec, raw.get(name))
        if message:
            result.problems.append(Problem(form.name, name, message, raw.get(name)))
        else:
            typed[name] = value
    case = case or {}
    failed = {p.field for p in result.problems}
    for name, spec in form.fields.items():
        if name in failed:
            continue
        value = typed.get(name)
        shown = spec.show_when is None or spec.show_when(typed, case)
        if not shown:
            if value is not None and value != []:
                result.problems.append(
                    Problem(form.name, name, _hidden_message(form, spec), raw.get(name))
                )
            typed[name] = None
            continue
        if not draft and (value is None or value == []) and _is_required(spec, typed, case):
            verb = "Select" if spec.is_choice or spec.type == "boolean" else "Enter"
            result.problems.append(Problem(form.name, name, f"{verb} {_lower(spec.label)}."))
    if not draft and not result.problems:
        for rule in form.rules:
            needed = [typed.get(n) for n in rule.check.fields]
            needed += [case.get(f) for f in rule.check.case_facts]
            if all(is_value(v) for v in needed) and not rule.check(typed, case):
                for name in rule.fields:
                    result.problems.append(Problem(form.name, name, rule.message))
    if result.problems:
        return result
    for name, spec in form.fields.items():
        value = typed.get(name)
        if value is None or value == []:
            continue
        target = result.identifiers if spec.identifying else result.answers
        target[name] = to_json(spec, value)
    return result


def _hidden_message(form, spec):
    controlling = [f"'{form.fields[n].label}'" for n in sorted(spec.show_when.fields)]
    if spec.show_when.case_facts:
        controlling.append("the notification of the death")
    return (
        f"Leave '{spec.label}' blank: it is asked only for some answers to "
        f"{' and '.join(controlling)}."
    )


def _is_required(spec, typed, case):
    if isinstance(spec.required, bool):
        return spec.required
    return spec.required(typed, case)


def _lower(label):
    label = label.rstrip("?").strip()
    return label[:1].lower() + label[1:] if label[:2] != label[:2].upper() else label


def parse_answer(spec, raw):
    """Turn one raw answer into its typed value: (value, None) or (None, message)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return None, None
    special = _special(raw)
    if special:
        if special in spec.allow:
            return Special(special), None
        words = special.replace("_", " ")
        return None, f"'{spec.label}' cannot be answered '{words}': give an answer."
    if isinstance(raw, dict):
        return None, f"'{spec.label}' has an answer of the wrong shape."
    parser = _PARSERS[spec.type]
    try:
        return parser(spec, raw), None
    except ValueError as error:
        return None, str(error)


def _special(raw):
    if isinstance(raw, dict) and set(raw) == {"special"} and raw["special"] in SPECIAL_ANSWERS:
        return raw["special"]
    if isinstance(raw, str):
        return _SPECIAL_WORDS.get(raw.strip().lower())
    return None


def _text(spec, raw):
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise ValueError(f"'{spec.label}' must be text.")
    text = str(raw).strip()
    if spec.max is not None and len(text) > spec.max:
        raise ValueError(f"'{spec.label}' must be {int(spec.max)} characters or fewer.")
    return text


def _number(spec, raw, kind):
    if isinstance(raw, bool):
        raise ValueError(f"'{spec.label}' must be a number.")
    try:
        number = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"'{spec.label}' must be a number, like 12 or 3.5.") from None
    if not number.is_finite():
        raise ValueError(f"'{spec.label}' must be a number, like 12 or 3.5.")
    if kind == "integer":
        if number != number.to_integral_value():
            raise ValueError(f"'{spec.label}' must be a whole number.")
        value = int(number)
    else:
        value = float(number)
    if spec.min is not None and value < spec.min:
        raise ValueError(f"'{spec.label}' must be {_fmt(spec.min)} or more.")
    if spec.max is not None and value > spec.max:
        raise ValueError(f"'{spec.label}' must be {_fmt(spec.max)} or less.")
    return value


def _fmt(number):
    return str(int(number)) if float(number).is_integer() else str(number)


def _date(spec, raw):
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            value = datetime.datetime.strptime(text, pattern).date()
            break
        except ValueError:
            continue
    else:
        raise ValueError(f"'{spec.label}' must be a real date, like 2024-03-27 or 27/03/2024.")
    if value.year < 1900:
        raise ValueError(f"'{spec.label}' must be after 1900.")
    return value


def _datetime(spec, raw):
    if isinstance(raw, datetime.datetime):
        return raw
    try:
        return datetime.datetime.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValueError(
            f"'{spec.label}' must be a date and time, like 2024-03-27T14:05."
        ) from None


def _time(spec, raw):
    match = _TIME.match(str(raw).strip())
    if not match:
        raise ValueError(f"'{spec.label}' must be a time on the 24-hour clock, like 14:05.")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _boolean(spec, raw):
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{spec.label}' must be yes or no.")


def _single_choice(spec, raw):
    code = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else None
    if code is None:
        raise ValueError(f"'{spec.label}' must be one code from the list {spec.codelist.name}.")
    if code in spec.codelist.by_code:
        return code
    by_label = {c.label.lower(): c.code for c in spec.codelist.codes}
    if code.lower() in by_label:
        return by_label[code.lower()]
    raise ValueError(
        f"'{code}' is not an answer to '{spec.label}'; use a code from the list "
        f"{spec.codelist.name} ({_some_codes(spec.codelist)})."
    )


def _multiple_choice(spec, raw):
    items = raw
    if isinstance(raw, str):
        items = [item for item in re.split(r"[;|]", raw) if item.strip()]
    if not isinstance(items, list | tuple):
        raise ValueError(f"'{spec.label}' must be a list of codes.")
    codes = {_single_choice(spec, item) for item in items}
    order = list(spec.codelist.by_code)
    return sorted(codes, key=order.index)


def _some_codes(codelist):
    codes = list(codelist.by_code)
    return ", ".join(codes[:6]) + (", ..." if len(codes) > 6 else "")


def _nhs_number(spec, raw):
    digits = normalise_nhs_number(raw)
    if not nhs_number_is_valid(digits):
        raise ValueError(
            f"'{spec.label}' must be a valid 10-digit NHS number; {raw!s} fails the check digit."
        )
    return digits


def _postcode(spec, raw):
    postcode = normalise_postcode(raw)
    if postcode is None:
        raise ValueError(f"'{spec.label}' must be a full UK postcode, like LS1 4AP.")
    return postcode


_PARSERS = {
    "text": _text,
    "long_text": _text,
    "integer": lambda spec, raw: _number(spec, raw, "integer"),
    "decimal": lambda spec, raw: _number(spec, raw, "decimal"),
    "date": _date,
    "datetime": _datetime,
    "time": _time,
    "boolean": _boolean,
    "single_choice": _single_choice,
    "multiple_choice": _multiple_choice,
    "nhs_number": _nhs_number,
    "postcode": _postcode,
}


def to_json(spec, value):
    """The stored (JSON) form of a typed answer."""
    if isinstance(value, Special):
        return value.as_json()
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def from_json(spec, value):
    """The typed value of a stored answer, for expressions and display."""
    if value is None:
        return None
    if isinstance(value, dict):
        return Special(value.get("special"))
    if spec.type == "date":
        return datetime.date.fromisoformat(value)
    if spec.type == "datetime":
        return datetime.datetime.fromisoformat(value)
    return value
