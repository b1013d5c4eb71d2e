"""Matching columns by name or label, the derived row key, and formula-safe report cells."""

from ncmd.dictionary import get_dictionary
from ncmd.submissions.imports.columns import match_columns, split_row, template_headers
from ncmd.submissions.imports.importer import derived_client_reference
from ncmd.submissions.imports.reports import safe


def form():
    return get_dictionary().latest.form("notification")


def test_columns_match_by_name_or_label_ignoring_case_and_spaces():
    columns = match_columns(form(), ["NHS_NUMBER", "  date of  Birth ", "Sex", "Client reference",
                                     "colour", ""])  # fmt: skip
    assert columns.fields == {"NHS_NUMBER": "nhs_number", "  date of  Birth ": "date_of_birth",
                              "Sex": "sex"}  # fmt: skip
    assert columns.routing == {"Client reference": "client_reference"}
    assert columns.unknown == ("colour",)


def test_a_question_named_twice_is_reported():
    assert match_columns(form(), ["sex", "Sex"]).repeated == (("Sex", "sex"),)


def test_cells_are_trimmed_and_formula_like_text_is_noted():
    columns = match_columns(form(), ["given_name", "sex", "client_reference"])
    raw, routing, formulas = split_row(
        columns, {"given_name": " =1+1 ", "sex": "F", "client_reference": " R1 "}, strings=True
    )
    assert raw == {"given_name": "=1+1", "sex": "F"} and routing == {"client_reference": "R1"}
    assert formulas == [("given_name", "given_name", "=1+1")]


def test_the_derived_row_key_depends_only_on_the_answers_given():
    a = derived_client_reference({"sex": "F", "given_name": "Ava", "gp_practice": ""})
    b = derived_client_reference({"given_name": "Ava", "sex": "F"})
    assert a == b and a.startswith("auto-") and len(a) <= 100
    assert a != derived_client_reference({"given_name": "Ava", "sex": "M"})


def test_report_cells_that_start_like_formulas_are_quoted():
    for value in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert safe(value) == "'" + value
    assert safe("Ava") == "Ava" and safe(None) == ""


def test_the_template_has_routing_columns_then_every_question():
    headers = template_headers(form())
    assert headers[:2] == ["client_reference", "cdop"]
    assert headers[2:] == list(form().fields)
