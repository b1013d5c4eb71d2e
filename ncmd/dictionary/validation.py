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

from .expressions import SPECIAL_ANSWERS, Special
from .identifiers import nhs_number_is_valid, normalise_nhs_number, normalise_postcode

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_SPECIAL_WORDS = {
    "not_known": "not_known",
    "not known": "not_known",
    "not_applicable": "not_applicable",
    "not applicable": "not_applicable",
}
_SPECIAL_LENGTHS = {len(words) for words in _SPECIAL_WORDS}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_CODE_SEPARATORS = re.compile(r"[;|]")  # between the codes of a multiple choice given as text


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
    plan = _plan_for(form)
    problems = result.problems
    if not raw.keys() <= form.fields.keys():
        for name in raw:
            if name not in form.fields:
                problems.append(
                    Problem(form.name, name, f"'{name}' is not a question on the {form.title}.")
                )
    # The typed answers, in the form's order; a question not answered (or hidden, below) is
    # left out, and read as None by `typed.get` and the compiled expressions' `a.get`.
    typed, failed = {}, set()
    get = raw.get
    for name, spec, parser in plan.fields:
        given = get(name)
        if given is None:
            continue
        value, message = _parse(spec, parser, given)
        if message:
            problems.append(Problem(form.name, name, message, given))
            failed.add(name)
        else:
            typed[name] = value
    case = case or {}
    checks = plan.checks
    if draft or _all_answered(typed, plan.always_required):
        # The questions always asked and always required need no check: each has its answer.
        checks = plan.conditional_checks
    for name, spec, show_when, required in checks:
        if name in failed:
            continue
        value = typed.get(name)
        if show_when is not None and not show_when(typed, case):
            if value is not None and value != []:
                problems.append(Problem(form.name, name, _hidden_message(form, spec), get(name)))
            typed.pop(name, None)  # read as None from now on, like a question not answered
            continue
        if (
            not draft
            and (value is None or value == [])
            and (required if required.__class__ is bool else required(typed, case))
        ):
            verb = "Select" if spec.is_choice or spec.type == "boolean" else "Enter"
            problems.append(Problem(form.name, name, f"{verb} {_lower(spec.label)}."))
    if not draft and not problems:
        for rule, names, facts, check in plan.rules:
            # A rule is checked only when every answer and case fact it reads is a value
            # (`is_value`, written out: this runs for every rule of every row).
            for value in map(typed.get, names):
                if value is None or value == [] or isinstance(value, Special):
                    break
            else:
                for value in map(case.get, facts):
                    if value is None or value == [] or isinstance(value, Special):
                        break
                else:
                    if not check(typed, case):
                        for name in rule.fields:
                            problems.append(Problem(form.name, name, rule.message))
    if problems:
        return result
    answers, identifiers = result.answers, result.identifiers
    outputs = plan.outputs
    for name, value in typed.items():  # the questions answered and shown, in the form's order
        if value is None or value == []:
            continue
        spec, identifying, dated = outputs[name]
        if dated:
            value = to_json(spec, value)
        elif isinstance(value, Special):
            value = value.as_json()
        (identifiers if identifying else answers)[name] = value
    return result


class _Plan:
    """What `validate_answers` needs from a form, looked up once per form rather than once per
    field of every row: each field's parser, its condition and whether it is required (the
    compiled expressions themselves, `Expression.evaluate`: the validator only asks whether
    they hold), each rule's fields and case facts, and by name whether an answer is an
    identifier and whether its stored form needs `to_json` (dates; every other parser gives a
    JSON value or a Special).

    `checks` leaves out the questions that are always shown and never required: checking them
    could neither find a problem nor change an answer. `conditional_checks` leaves out as well
    those always shown and always required (`always_required`), for answers that give them all
    (`validate_answers`)."""

    __slots__ = (
        "form", "fields", "checks", "always_required", "conditional_checks", "rules", "outputs",
    )  # fmt: skip

    def __init__(self, form):
        self.form = form
        items = list(form.fields.items())
        self.fields = [(name, spec, _PARSERS[spec.type]) for name, spec in items]
        self.checks = [
            (name, spec, _condition(spec.show_when), _condition(spec.required))
            for name, spec in items
            if spec.show_when is not None or spec.required is not False
        ]
        self.always_required = tuple(
            name for name, spec in items if spec.show_when is None and spec.required is True
        )
        self.conditional_checks = [
            check for check in self.checks if check[0] not in self.always_required
        ]
        self.rules = [
            (rule, tuple(rule.check.fields), tuple(rule.check.case_facts), rule.check.evaluate)
            for rule in form.rules
        ]
        self.outputs = {
            name: (spec, bool(spec.identifying), spec.type in _DATED) for name, spec in items
        }


_DATED = ("date", "datetime")


def _condition(condition):
    """A question's `show_when` or `required`: None, True or False as given, or the compiled
    expression's function of (answers, case facts)."""
    if condition is None or condition.__class__ is bool:
        return condition
    return condition.evaluate


_PLANS = {}


def _plan_for(form):
    """The form's plan, made on first use. Forms are immutable and few (one per form and
    release), so plans are kept by the form's identity; a reloaded dictionary gets new ones."""
    entry = _PLANS.get(id(form))
    if entry is None or entry.form is not form:
        if len(_PLANS) > 512:
            _PLANS.clear()
        entry = _PLANS[id(form)] = _Plan(form)
    return entry


def _all_answered(typed, names):
    """Whether every one of `names` has an answer (not None, not []): `typed.get(name)` for each,
    tested as `validate_answers` tests them one by one, in two searches of one list."""
    values = list(map(typed.get, names))
    return None not in values and [] not in values


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
    return _parse(spec, _PARSERS[spec.type], raw)


def _parse(spec, parser, raw):
    if raw.__class__ is str:
        # The common case (a web form or file cell), with the blank and special checks of the
        # general path below done on one stripped copy.
        stripped = raw.strip()
        if not stripped:
            return None, None
        # Only a text as long as a special word can be one (`lower` keeps the length of every
        # text it turns into ASCII: tests/unit/dictionary/test_validation_shortcuts.py), and
        # few answers are: they are spared making a lower-case copy.
        special = (
            _SPECIAL_WORDS.get(stripped.lower()) if len(stripped) in _SPECIAL_LENGTHS else None
        )
    elif raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return None, None
    else:
        special = _special(raw)
        if not special and isinstance(raw, dict):
            return None, f"'{spec.label}' has an answer of the wrong shape."
    if special:
        if special in spec.allow:
            return Special(special), None
        words = special.replace("_", " ")
        return None, f"'{spec.label}' cannot be answered '{words}': give an answer."
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


# The parsers test types against tuples, not unions (`str | int`): a union is built anew each
# time the expression runs, which is most of the cost of the test.


def _text(spec, raw):
    if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
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
    value = _iso_date(text)
    if value is None:
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


def _iso_date(text):
    """YYYY-MM-DD (the usual form) read as strptime reads it with %Y-%m-%d, many times faster;
    None for anything else, which then goes through strptime for the same answer or message."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return None
    return None


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
    text = str(raw).strip()
    match = _TIME.match(text)
    if not match:
        raise ValueError(f"'{spec.label}' must be a time on the 24-hour clock, like 14:05.")
    if len(text) == 5 and text.isascii():
        return text  # HH:MM in ASCII digits (the usual form): already as written below
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
    code = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
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
        items = [item for item in _CODE_SEPARATORS.split(raw) if item.strip()]
    if not isinstance(items, (list, tuple)):
        raise ValueError(f"'{spec.label}' must be a list of codes.")
    codes = {_single_choice(spec, item) for item in items}
    if len(codes) < 2:
        return list(codes)  # nothing to put in order
    return sorted(codes, key=_positions(spec.codelist).__getitem__)


_POSITIONS = {}


def _positions(codelist):
    """{code: its place in the list}, for putting chosen codes in the list's order."""
    entry = _POSITIONS.get(id(codelist))
    if entry is None or entry[0] is not codelist:
        if len(_POSITIONS) > 4096:
            _POSITIONS.clear()
        entry = _POSITIONS[id(codelist)] = (
            codelist,
            {c: i for i, c in enumerate(codelist.by_code)},
        )
    return entry[1]


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
    if isinstance(value, (datetime.datetime, datetime.date)):
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
