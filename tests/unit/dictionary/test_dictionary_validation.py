"""The one validator: every problem at once, each with form, field and a plain message."""

import datetime

import pytest

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.expressions import ExpressionError, Special, compile_expression
from ncmd.dictionary.identifiers import nhs_number_is_valid, normalise_postcode
from ncmd.dictionary.validation import validate_answers
from tests.factories import notification_answers


@pytest.fixture
def notification():
    return get_dictionary().release("2025-04").form("notification")


def test_valid_answers_are_split_into_answers_and_identifiers(notification):
    result = validate_answers(notification, notification_answers("2025-04"))
    assert result.ok, result.problems
    assert result.identifiers["nhs_number"] == "9434765919"
    assert result.identifiers["home_postcode"] == "TS1 1AA"
    assert "nhs_number" not in result.answers
    assert result.answers["date_of_death"] == "2024-03-02"
    assert result.answers["jar_triggered"] is True


def test_every_problem_is_returned_at_once(notification):
    answers = notification_answers(
        "2025-04",
        nhs_number="9434765918",  # wrong check digit
        date_of_birth="31/02/2024",  # no such date
        sex="X",  # not in the code list
        given_name=None,  # required
        time_of_death="25:00",
    )
    result = validate_answers(notification, answers)
    assert not result.ok
    by_field = result.problems_by_field()
    assert set(by_field) == {"nhs_number", "date_of_birth", "sex", "given_name", "time_of_death"}
    assert all(p.form == "notification" for p in result.problems)
    assert "fails the check digit" in by_field["nhs_number"][0]
    assert "must be a real date" in by_field["date_of_birth"][0]
    assert "'X' is not an answer to 'Sex'" in by_field["sex"][0]
    assert by_field["given_name"] == ["Enter given name(s)."]
    assert result.answers == {} and result.identifiers == {}


def test_special_answers_only_where_allowed(notification):
    ok = validate_answers(
        notification,
        notification_answers(
            "2025-04",
            nhs_number={"special": "not_known"},
            nhs_number_absent_reason="not_available",
        ),
    )
    assert ok.ok, ok.problems
    assert ok.identifiers["nhs_number"] == {"special": "not_known"}
    refused = validate_answers(
        notification, notification_answers("2025-04", date_of_birth={"special": "not_known"})
    )
    assert refused.problems_by_field()["date_of_birth"] == [
        "'Date of birth' cannot be answered 'not known': give an answer."
    ]


def test_conditional_questions_are_required_only_when_shown(notification):
    hidden = validate_answers(
        notification, notification_answers("2025-04", nhs_number_absent_reason="non_resident")
    )
    [message] = hidden.problems_by_field()["nhs_number_absent_reason"]
    assert message.startswith("Leave 'Why")
    shown_but_blank = validate_answers(
        notification, notification_answers("2025-04", nhs_number={"special": "not_known"})
    )
    assert "nhs_number_absent_reason" in shown_but_blank.problems_by_field()


def test_cross_field_rule_death_after_birth(notification):
    result = validate_answers(
        notification, notification_answers("2025-04", date_of_death="2023-12-31")
    )
    assert list(result.problems_by_field()) == ["date_of_death"]


def test_rules_can_read_case_facts():
    analysis = get_dictionary().release("2025-04").form("analysis")
    answers = {
        "review_date": "2024-01-01",
        "cdrm_held": False,
        "coroner_involvement": {"special": "not_known"},
        "category_of_death": "infection",
        "factors_child": ["acute_illness"],
        "factors_social_environment": ["none_identified"],
        "factors_physical_environment": ["none_identified"],
        "factors_service_provision": ["none_identified"],
        "modifiable_factors": "not_identified",
    }
    case = {"date_of_death": datetime.date(2024, 3, 2)}
    result = validate_answers(analysis, answers, case=case)
    assert list(result.problems_by_field()) == ["review_date"]
    assert validate_answers(analysis, dict(answers, review_date="2024-06-01"), case=case).ok


def test_a_draft_may_be_incomplete_but_not_invalid(notification):
    assert validate_answers(notification, {"given_name": "Ava"}, draft=True).ok
    result = validate_answers(notification, {"date_of_birth": "soon"}, draft=True)
    assert list(result.problems_by_field()) == ["date_of_birth"]


def test_unknown_fields_are_refused(notification):
    result = validate_answers(notification, notification_answers("2025-04", favourite_colour="red"))
    assert result.problems_by_field()["favourite_colour"] == [
        "'favourite_colour' is not a question on the Child death notification form."
    ]


def test_strings_from_files_are_understood(notification):
    answers = notification_answers(
        "2025-04",
        jar_triggered="yes",
        suspected_stillbirth_at_home="No",
        circumstances="sudden_unexpected_infant",
        agencies_involved="police;acute_health",
        date_of_birth="10/01/2024",
        sex="Female",  # a label is accepted and stored as its code
    )
    result = validate_answers(notification, answers)
    assert result.ok, result.problems
    assert result.answers["agencies_involved"] == ["acute_health", "police"]
    assert result.answers["sex"] == "F"
    assert result.answers["date_of_birth"] == "2024-01-10"


@pytest.mark.parametrize(
    "number,valid",
    [
        ("9434765919", True),  # the NHS's published example
        ("943 476 5919", True),
        ("9434765918", False),
        ("4010232137", True),
        ("1234567890", False),  # check digit would be 10
        ("123456789", False),
        ("abcdefghij", False),
    ],
)
def test_nhs_number_modulus_11(number, valid):
    assert nhs_number_is_valid(number) is valid


def test_postcodes_are_normalised():
    assert normalise_postcode("ts11aa") == "TS1 1AA"
    assert normalise_postcode(" SW1A  1AA ") == "SW1A 1AA"
    assert normalise_postcode("not a postcode") is None


@pytest.mark.parametrize(
    "source,answers,expected",
    [
        ("a == 'x'", {"a": "x"}, True),
        ("a == 'x'", {}, False),
        ("a != 'x'", {}, False),  # a comparison with a blank is false
        ("a is blank", {}, True),
        ("a is not_known", {"a": Special("not_known")}, True),
        ("'x' in a", {"a": ["x", "y"]}, True),
        ("a in ['x', 'y'] and not b", {"a": "y", "b": False}, True),
        ("n >= 3 or n < -1", {"n": 2}, False),
    ],
)
def test_expressions(source, answers, expected):
    assert compile_expression(source)(answers) is expected


@pytest.mark.parametrize("source", ["open('x')", "a.b", "a[0]", "a + 1", "lambda: 1", "a is 3"])
def test_expressions_outside_the_language_are_refused(source):
    with pytest.raises(ExpressionError):
        compile_expression(source)
