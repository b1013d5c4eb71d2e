"""Translating `show_when` for the browser: what the script gets, what the case decides on the
server, what is left to the server alone, and the words of the hint."""

import pytest

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.expressions import compile_expression
from ncmd.submissions.conditions import browser_condition

RELEASE = get_dictionary().release("2025-04")
NOTIFICATION = RELEASE.form("notification")
SUDDEN = RELEASE.form("supplementary_sudden_unexpected")
REPORTING = RELEASE.form("reporting")


def test_equality_with_a_code_becomes_a_comparison_with_words():
    shown = browser_condition(
        compile_expression("expected_death == 'unexpected'"), NOTIFICATION, {}
    )
    assert shown.condition == {
        "op": "==", "left": {"field": "expected_death"}, "right": {"value": "unexpected"},
    }  # fmt: skip
    assert shown.depends_on == ("expected_death",)
    assert shown.description == "'Was the death expected or unexpected' is 'Unexpected'"


def test_membership_both_ways_and_special_answers():
    listed = browser_condition(
        compile_expression("place_of_death in ['other', 'abroad']"), NOTIFICATION, {}
    )
    assert listed.condition["right"] == {"value": ["other", "abroad"]}
    assert listed.description == "'Place of death' is 'Other' or 'Abroad'"
    ticked = browser_condition(compile_expression("'other' in agencies_involved"), NOTIFICATION, {})
    assert ticked.description.endswith("includes 'Other'")
    unknown = browser_condition(compile_expression("nhs_number is not_known"), NOTIFICATION, {})
    assert unknown.condition == {"field": "nhs_number", "is": "not_known", "negate": False}
    assert unknown.description == "'NHS number' is answered 'Not known'"


@pytest.mark.parametrize("age_days, expected", [(100, True), (400, False)])
def test_case_facts_are_decided_on_the_server(age_days, expected):
    only_case = browser_condition(compile_expression("case.age_days < 365"), SUDDEN, {
        "age_days": age_days})  # fmt: skip
    assert only_case.always is expected and only_case.condition is None
    field = next(n for n, f in SUDDEN.fields.items() if f.show_when and f.show_when.case_facts
                 and f.show_when.fields)  # fmt: skip
    mixed = browser_condition(SUDDEN.fields[field].show_when, SUDDEN, {"age_days": age_days})
    if expected:
        assert mixed.condition is not None and "case" not in str(mixed.condition)
    else:
        assert mixed.always is False


def test_what_the_browser_cannot_decide_is_left_to_the_server_with_a_hint():
    compared = browser_condition(
        compile_expression("last_contact_date <= case.date_of_death"), REPORTING, {}
    )
    assert compared.condition is None and compared.always is None
    assert compared.description == (
        "some answers to 'Date of your agency's last contact with the child before the death' "
        "and the notification of the death"
    )
