"""The validator's shortcuts for speed give exactly the answers of the long way round: a
question's condition remembered per set of values, dates in YYYY-MM-DD read without strptime,
and the chosen codes of a multiple-choice answer put in the list's order."""

import datetime
import itertools
import random

import pytest

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.expressions import Special, compile_expression
from ncmd.dictionary.validation import _date, _remembered, parse_answer, validate_answers


def _values_for(spec):
    """Typed values a question can hold, with blanks, specials and near-misses of type."""
    values = [None, [], Special("not_known"), Special("not_applicable")]
    if spec.codelist is not None:
        codes = [c.code for c in spec.codelist.codes]
        values += codes[:6] + ([codes[:2], codes[1:3], [codes[0]]] if spec.is_choice else [])
    values += {
        "boolean": [True, False, 1, 0],
        "integer": [0, 1, 2, 17, True],
        "decimal": [0.0, 1.0, 2.5],
        "date": [datetime.date(2024, 1, 1), datetime.date(2024, 3, 2)],
        "time": ["04:30"],
    }.get(spec.type, ["text"])
    return values


def _conditions():
    dictionary = get_dictionary()
    for release_id in ("2019-04", "2025-04"):
        for form in dictionary.release(release_id).forms.values():
            for spec in form.fields.values():
                for condition in (spec.show_when, spec.required):
                    if condition is not None and not isinstance(condition, bool):
                        yield form, condition


CASES = [{}, {"date_of_death": datetime.date(2024, 3, 2), "age_days": 40, "sex": "F"}]


@pytest.mark.parametrize("case", CASES)
def test_a_remembered_condition_gives_the_conditions_own_result(case):
    draw = random.Random(4)
    checked = 0
    for form, condition in _conditions():
        remembered = _remembered(condition)
        names = sorted(condition.fields)
        choices = [_values_for(form.fields[n]) if n in form.fields else [None] for n in names]
        combinations = list(itertools.product(*choices))
        draw.shuffle(combinations)
        # Twice over: the first time computes, the second reads what was remembered.
        for values in combinations[:300] * 2:
            typed = dict(zip(names, values, strict=True))
            assert remembered(typed, case) == condition(typed, case), (condition.source, typed)
            checked += 1
    assert checked > 1000


def test_remembered_results_keep_values_of_different_types_apart():
    # A bare field means "is true": the number 1 is not, though 1 == True in Python.
    remembered = _remembered(compile_expression("flag"))
    assert remembered({"flag": 1}, {}) is False
    assert remembered({"flag": True}, {}) is True
    listed = _remembered(compile_expression("'a' in codes"))
    assert listed({"codes": ["a", "b"]}, {}) is True
    assert listed({"codes": ["b"]}, {}) is False


def test_a_condition_on_an_unhashable_case_fact_is_still_evaluated():
    condition = compile_expression("case.flags == 'x'")
    remembered = _remembered(condition)
    assert remembered({}, {"flags": {"odd": "shape"}}) is False
    assert remembered({}, {"flags": "x"}) is True


@pytest.mark.parametrize(
    "text",
    ["2024-03-02", "2024-02-29", "2023-02-29", "2024-13-01", "2024-3-2", "0999-01-01",
     "1899-12-31", "2024-03-02 ", "2024-0a-02", "２０２４-03-02", "02/03/2024", "20240302",
     "2024-W10-4", "2024-03-32", "+024-03-02"],
)  # fmt: skip
def test_dates_read_the_same_with_and_without_the_fast_path(text):
    spec = get_dictionary().release("2025-04").form("notification").fields["date_of_death"]

    def slow(raw):
        text = str(raw).strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                value = datetime.datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        else:
            return "not a date"
        return "before 1900" if value.year < 1900 else value

    try:
        fast = _date(spec, text)
    except ValueError as error:
        fast = "before 1900" if "after 1900" in str(error) else "not a date"
    assert fast == slow(text)


def test_multiple_choice_codes_come_back_in_the_lists_order():
    spec = get_dictionary().release("2025-04").form("notification").fields["agencies_involved"]
    codes = [c.code for c in spec.codelist.codes]
    value, message = parse_answer(spec, ";".join(reversed(codes[:4])))
    assert message is None and value == codes[:4]


def test_the_same_form_gives_the_same_result_every_time():
    form = get_dictionary().release("2025-04").form("notification")
    raw = {"sex": "Z", "place_of_death": "other", "expected_death": "expected"}
    first, second = validate_answers(form, raw), validate_answers(form, raw)
    assert [p.as_dict() for p in first.problems] == [p.as_dict() for p in second.problems]
    assert any(p.field == "place_of_death_details" for p in first.problems)
