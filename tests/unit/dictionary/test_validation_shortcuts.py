"""The validator's shortcuts for speed give exactly the answers of the long way round: dates in
YYYY-MM-DD read without strptime, times in HH:MM as given, special words looked for only in
answers of their length, the chosen codes of a multiple-choice answer put in the list's order,
NHS numbers' check digits summed from their bytes, and the questions that need no check not
checked. (Compiled conditions are compared with the interpreter in
test_expression_compiler.py.)"""

import datetime
import random
import sys

import pytest

from ncmd.dictionary import get_dictionary, validation
from ncmd.dictionary.identifiers import nhs_number_is_valid
from ncmd.dictionary.validation import _date, _time, parse_answer, validate_answers
from ncmd.synthetic.answers import AnswerMaker


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


def test_times_read_the_same_with_and_without_the_fast_path():
    spec = get_dictionary().release("2025-04").form("notification").fields["time_of_death"]

    def slow(text):
        match = validation._TIME.match(text.strip())
        return f"{int(match.group(1)):02d}:{match.group(2)}" if match else "not a time"

    texts = [f"{h:02d}:{m:02d}" for h in range(30) for m in range(70)]
    texts += ["4:05", " 04:05 ", "0٤:05", "1٢:30", "04:0٥", "14:5", "1405", "14:05:00",
              "24:00", "14:05\n"]  # fmt: skip
    for text in texts:
        try:
            fast = _time(spec, text)
        except ValueError:
            fast = "not a time"
        assert fast == slow(text), text


class _Text(str):
    """Text that is not exactly a `str`, which `_parse` reads by its general path."""


def test_special_words_are_found_the_same_by_length_first():
    # Why `_parse` looks for a special word only in answers as long as one: no character
    # lowers to ASCII other than one for one (the one that lowers to two, "İ", gives a
    # combining dot), so a text that lowers to a special word is as long as the word.
    changed = [c for c in map(chr, range(sys.maxunicode + 1)) if len(c.lower()) != 1]
    assert all(not c.lower().isascii() for c in changed), changed
    texts = ["not known", " NOT_KNOWN ", "Not \u212anown", "not  known", "not known.", "n/k",
             "not applicable", "NOT APPLICABLE", "İnot known", "12:05", "yes", "other"]  # fmt: skip
    for spec in get_dictionary().release("2025-04").form("notification").fields.values():
        for text in texts:
            assert parse_answer(spec, text) == parse_answer(spec, _Text(text)), (spec.name, text)


def test_nhs_numbers_check_the_same_from_their_bytes():
    def slow(digits):
        total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
        check = 11 - total % 11
        return check % 11 != 10 and check % 11 == int(digits[9])

    draw = random.Random(3)
    numbers = ["".join(draw.choice("0123456789") for _ in range(10)) for _ in range(20000)]
    assert sum(map(nhs_number_is_valid, numbers)) > 1000
    for number in numbers:
        assert nhs_number_is_valid(number) is slow(number), number
    # Digits of other scripts are read by the long way round.
    assert nhs_number_is_valid("٩٤٣٤٧٦٥٩١٩") is True
    assert nhs_number_is_valid("٩٤٣٤٧٦٥٩١٨") is False


def test_one_chosen_code_comes_back_alone():
    spec = get_dictionary().release("2025-04").form("notification").fields["agencies_involved"]
    code = spec.codelist.codes[-1].code
    assert parse_answer(spec, f"{code}; {code}|") == ([code], None)
    assert parse_answer(spec, [code]) == ([code], None)


class _EveryQuestionChecked(validation._Plan):
    """The plan as it would be without its shortcut: every question checked one by one, for
    every set of answers."""

    def __init__(self, form):
        super().__init__(form)
        self.checks = self.conditional_checks = [
            (
                name,
                spec,
                validation._condition(spec.show_when),
                validation._condition(spec.required),
            )
            for name, spec in form.fields.items()
        ]


@pytest.mark.parametrize("release_id", ["2019-04", "2025-04"])
def test_questions_left_unchecked_need_no_check(release_id, monkeypatch):
    """Questions always asked and never required, and those always asked and always required
    once each has an answer, are not checked: checking them would give the same result."""
    release = get_dictionary().release(release_id)
    draw = random.Random(release_id)
    maker = AnswerMaker(random.Random(release_id), missing_rate=0.1)
    cases = []
    for form in release.forms.values():
        for _ in range(40):
            died = datetime.date(2025, 4, 1) + datetime.timedelta(days=draw.randrange(300))
            born = died - datetime.timedelta(days=draw.randrange(1, 17 * 365))
            facts = {"date_of_birth": born, "date_of_death": died, "age_days": (died - born).days}
            try:
                answers = maker.answer_form(form, {}, born=born, died=died, case_facts=facts)
            except ValueError:
                answers = {}
            blanked = {n: ("" if draw.random() < 0.1 else v) for n, v in answers.items()}
            for raw in (answers, blanked):
                cases += [(form, raw, facts, False), (form, raw, facts, True)]

    def outcome(form, raw, case, draft):
        result = validate_answers(form, raw, case=case, draft=draft)
        return [p.as_dict() for p in result.problems], result.answers, result.identifiers

    quick = [outcome(*case) for case in cases]
    monkeypatch.setattr(validation, "_plan_for", _EveryQuestionChecked)
    assert [outcome(*case) for case in cases] == quick
    assert sum(1 for problems, _, _ in quick if problems) > 20
    assert sum(1 for problems, _, _ in quick if not problems) > 20
