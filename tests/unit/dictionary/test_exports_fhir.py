"""FHIR R4 Questionnaire exports and QuestionnaireResponse -> raw answers."""

import pytest

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.exports import (
    SHOW_WHEN_EXTENSION,
    SPECIAL_SYSTEM,
    answers_from_questionnaire_response,
    codelist_system,
    fhir_questionnaire,
    questionnaire_url,
)

FHIR_ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
                   "string", "text", "url", "choice", "open-choice", "attachment", "reference",
                   "quantity"}  # fmt: skip
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
RELEASE = get_dictionary().latest


def walk(items):
    for item in items:
        yield item
        yield from walk(item.get("item", []))


@pytest.mark.parametrize("form_name", sorted(RELEASE.forms))
def test_questionnaires_are_structurally_valid(form_name):
    form = RELEASE.form(form_name)
    questionnaire = fhir_questionnaire(RELEASE, form)
    assert questionnaire["resourceType"] == "Questionnaire"
    assert questionnaire["status"] in {"draft", "active", "retired", "unknown"}
    items = list(walk(questionnaire["item"]))
    link_ids = [item["linkId"] for item in items]
    assert len(link_ids) == len(set(link_ids))
    assert {item["type"] for item in items} <= FHIR_ITEM_TYPES
    questions = {i["linkId"]: i for i in items if i["type"] not in ("group", "display")}
    assert set(questions) == set(form.fields)
    for item in items:
        for condition in item.get("enableWhen", []):
            assert condition["question"] in questions
            assert condition["operator"] in OPERATORS
            assert len([k for k in condition if k.startswith("answer")]) == 1
        if item["type"] == "choice":
            assert item["answerOption"]
        if item["type"] == "display":
            assert "required" not in item and "item" not in item


def test_items_carry_types_codes_conditions_and_requirements():
    items = {i["linkId"]: i for i in walk(fhir_questionnaire(
        RELEASE, RELEASE.form("notification"))["item"])}  # fmt: skip
    assert items["date_of_death"]["type"] == "date" and items["date_of_death"]["required"]
    assert items["circumstances"]["repeats"] is True
    sex_codes = [o["valueCoding"] for o in items["sex"]["answerOption"]]
    assert sex_codes[0]["system"] == codelist_system(RELEASE.id, "sex")
    assert {"system": SPECIAL_SYSTEM, "code": "not_known", "display": "Not known"} in sex_codes
    assert items["jar_triggered"]["enableWhen"] == [{
        "question": "expected_death", "operator": "=",
        "answerCoding": {"system": codelist_system(RELEASE.id, "expected_death"),
                         "code": "unexpected"}}]  # fmt: skip
    place = items["place_of_death_details"]
    assert place["enableBehavior"] == "any" and len(place["enableWhen"]) == 2
    reason = items["nhs_number_absent_reason"]  # `is not_known` has no enableWhen form
    assert "enableWhen" not in reason
    assert {"url": SHOW_WHEN_EXTENSION, "valueString": "nhs_number is not_known"} in reason[
        "extension"
    ]  # fmt: skip


def response(items, status="completed", questionnaire=None):
    resource = {"resourceType": "QuestionnaireResponse", "status": status, "item": items}
    if questionnaire:
        resource["questionnaire"] = questionnaire
    return resource


def test_a_response_becomes_raw_answers():
    form = RELEASE.form("notification")
    system = codelist_system(RELEASE.id, "death_circumstance")
    raw, draft, problems = answers_from_questionnaire_response(form, response([
        {"linkId": "section-child", "item": [
            {"linkId": "given_name", "answer": [{"valueString": "Ava"}]},
            {"linkId": "nhs_number", "answer": [{"valueCoding": {"system": SPECIAL_SYSTEM,
                                                                 "code": "not_known"}}]},
        ]},
        {"linkId": "time_of_death", "answer": [{"valueTime": "04:30:00"}]},
        {"linkId": "circumstances", "answer": [{"valueCoding": {"system": system,
                                                                "code": "drowning"}}]},
        {"linkId": "jar_triggered", "answer": [{"valueBoolean": True}]},
        {"linkId": "other_children_in_household", "answer": [{"valueInteger": 2}]},
    ], questionnaire=questionnaire_url("notification") + "|2025-04"))  # fmt: skip
    assert problems == [] and draft is False
    assert raw == {
        "given_name": "Ava",
        "nhs_number": {"special": "not_known"},
        "time_of_death": "04:30",
        "circumstances": ["drowning"],
        "jar_triggered": True,
        "other_children_in_household": 2,
    }


def test_shape_problems_are_reported_per_item():
    form = RELEASE.form("notification")
    _, _, wrong_kind = answers_from_questionnaire_response(form, {"resourceType": "Patient"})
    assert len(wrong_kind) == 1 and wrong_kind[0].field is None
    _, draft, problems = answers_from_questionnaire_response(form, response([
        {"linkId": "sex", "answer": [{"valueCoding": {"code": "F"}},
                                     {"valueCoding": {"code": "M"}}]},
        {"linkId": "given_name", "answer": [{"valueString": "A", "valueInteger": 1}]},
        {"answer": []},
    ], status="in-progress", questionnaire=questionnaire_url("analysis")))  # fmt: skip
    assert draft is True
    assert [p.field for p in problems] == [None, "sex", "given_name", None]
