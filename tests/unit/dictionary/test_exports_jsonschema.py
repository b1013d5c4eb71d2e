"""JSON Schema exports: valid draft 2020-12 schemas that accept valid answers and refuse bad
codes, carrying code lists, special answers, required questions and ranges."""

import jsonschema
import pytest

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.exports import json_schema
from tests.factories import notification_answers

RELEASES = list(get_dictionary().releases)


def schema_for(release_id, form_name):
    release = get_dictionary().release(release_id)
    return json_schema(release, release.form(form_name))


@pytest.mark.parametrize("release_id", RELEASES)
def test_every_form_has_a_valid_schema(release_id):
    release = get_dictionary().release(release_id)
    for form in release.forms.values():
        schema = json_schema(release, form)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert set(schema["properties"]) == set(form.fields)


@pytest.mark.parametrize("release_id", RELEASES)
def test_valid_notification_answers_pass_and_a_bad_code_fails(release_id):
    schema = schema_for(release_id, "notification")
    jsonschema.validate(notification_answers(release_id), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(notification_answers(release_id, sex="X"), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(notification_answers(release_id, circumstances=["nope"]), schema)


def test_special_answers_only_where_allowed():
    schema = schema_for("2025-04", "notification")
    jsonschema.validate(notification_answers(nhs_number={"special": "not_known"},
                                             nhs_number_absent_reason="not_available"),
                        schema)  # fmt: skip
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(notification_answers(given_name={"special": "not_known"}), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(notification_answers(nhs_number={"special": "not_applicable"}), schema)


def test_required_questions_ranges_and_unknown_fields():
    schema = schema_for("2025-04", "notification")
    assert "date_of_death" in schema["required"]
    assert "nhs_number_absent_reason" not in schema["required"]  # asked only sometimes
    children = schema["properties"]["other_children_in_household"]["anyOf"][0]
    assert (children["minimum"], children["maximum"]) == (0, 20)
    answers = notification_answers()
    del answers["date_of_death"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(answers, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(notification_answers(other_children_in_household=21), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(notification_answers(favourite_colour="red"), schema)
