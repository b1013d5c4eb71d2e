"""The validator's shortcuts for speed give exactly the answers of the long way round: dates in
YYYY-MM-DD read without strptime, and the chosen codes of a multiple-choice answer put in the
list's order. (Compiled conditions are compared with the interpreter in
test_expression_compiler.py.)"""

import datetime

import pytest

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.validation import _date, parse_answer, validate_answers


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
