"""REDCap data dictionary export: the standard header, choices, branching logic, safe cells."""

import csv
import io

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.exports import (
    REDCAP_COLUMNS,
    formula_safe,
    redcap_data_dictionary,
    redcap_variables,
)

RELEASE = get_dictionary().latest


def rows(forms=None):
    table = list(csv.reader(io.StringIO(redcap_data_dictionary(RELEASE, forms))))
    return table[0], {row[0]: dict(zip(table[0], row, strict=True)) for row in table[1:]}


def test_the_header_is_exactly_redcaps_and_every_field_has_a_row():
    header, by_name = rows()
    assert len(REDCAP_COLUMNS) == 18
    assert tuple(header) == REDCAP_COLUMNS
    assert list(by_name)[0] == "record_id"
    assert by_name["record_id"]["Form Name"] == "notification"
    fields = sum(len(form.fields) for form in RELEASE.forms.values())
    assert len(by_name) == fields + 1  # names are unique across the project


def test_variable_names_are_unique_and_redcap_safe():
    names = list(redcap_variables(RELEASE).values())
    assert len(names) == len(set(names))
    assert all(n[0].isalpha() and n == n.lower() and n.replace("_", "").isalnum() for n in names)


def test_types_choices_and_branching_logic():
    _, by_name = rows(["notification"])
    sex = by_name["sex"]
    assert sex["Field Type"] == "radio"
    assert sex["Choices, Calculations, OR Slider Labels"].startswith("M, Male | F, Female")
    assert sex["Choices, Calculations, OR Slider Labels"].endswith("not_known, Not known")
    assert by_name["circumstances"]["Field Type"] == "checkbox"
    assert by_name["date_of_death"]["Text Validation Type OR Show Slider Number"] == "date_ymd"
    assert by_name["date_of_death"]["Required Field?"] == "y"
    assert by_name["nhs_number"]["Identifier?"] == "y"
    assert by_name["suspected_stillbirth_at_home"]["Field Type"] == "yesno"
    assert by_name["jar_triggered"]["Branching Logic (Show field only if...)"] == (
        "[expected_death] = 'unexpected'"
    )
    assert by_name["agencies_other"]["Branching Logic (Show field only if...)"] == (
        "[agencies_involved(other)] = '1'"
    )
    assert by_name["place_of_death_details"]["Branching Logic (Show field only if...)"] == (
        "[place_of_death] = 'other' or [place_of_death] = 'abroad'"
    )
    reason = by_name["nhs_number_absent_reason"]
    assert reason["Branching Logic (Show field only if...)"] == ""
    assert "nhs_number is not_known" in reason["Field Annotation"]
    children = by_name["other_children_in_household"]
    assert (children["Text Validation Min"], children["Text Validation Max"]) == ("0", "20")


def test_cells_are_formula_safe():
    assert formula_safe("=SUM(A1)") == "'=SUM(A1)"
    assert formula_safe("-1") == "'-1"
    assert formula_safe("@x") == "'@x"
    assert formula_safe("\tx") == "'\tx"
    assert formula_safe("plain") == "plain"
    text = redcap_data_dictionary(RELEASE)
    for row in csv.reader(io.StringIO(text)):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
