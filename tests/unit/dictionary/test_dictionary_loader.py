"""The dictionary loads, and a malformed dictionary fails naming the file, form and field."""

import shutil
from pathlib import Path

import pytest
import yaml

from ncmd.dictionary.loader import DEFAULT_DIR, DictionaryError, load_dictionary


@pytest.fixture
def copy(tmp_path):
    """A copy of the shipped dictionary to break."""
    target = tmp_path / "versions"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def edit(path: Path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def field(data, name):
    return next(f for s in data["sections"] for f in s["fields"] if f["name"] == name)


def problems_of(directory):
    with pytest.raises(DictionaryError) as raised:
        load_dictionary(directory)
    return raised.value.problems


def test_the_shipped_dictionary_loads_with_both_releases():
    dictionary = load_dictionary()
    assert list(dictionary.releases) == ["2019-04", "2025-04"]
    notification = dictionary.latest.form("notification")
    assert notification.fields["nhs_number"].identifying
    assert "circumstances_summary" in notification.fields
    assert dictionary.release("2019-04").form("notification").fields["summary"].required is True


def test_release_on_picks_the_release_in_force():
    import datetime

    dictionary = load_dictionary()
    assert dictionary.release_on(datetime.date(2025, 3, 31)).id == "2019-04"
    assert dictionary.release_on(datetime.date(2025, 4, 1)).id == "2025-04"


def test_unknown_field_type_names_file_form_and_field(copy):
    path = copy / "2019-04" / "forms" / "notification.yaml"
    edit(path, lambda d: field(d, "date_of_birth").update(type="birthday"))
    [problem] = problems_of(copy)
    assert str(path) in problem
    assert "form 'notification'" in problem
    assert "field 'date_of_birth'" in problem
    assert "type 'birthday' must be one of" in problem


def test_every_problem_is_reported_at_once(copy):
    path = copy / "2019-04" / "forms" / "reporting.yaml"

    def break_three_things(data):
        field(data, "maternal_bmi").update(min=90)  # above its max
        field(data, "mode_of_death").update(codelist="no_such_list")
        field(data, "parity").update(show_when="gravidity >>> 2")

    edit(path, break_three_things)
    problems = problems_of(copy)
    text = "\n".join(problems)
    assert len(problems) == 3
    assert "field 'maternal_bmi': min 90 is greater than max 80" in text
    assert "field 'mode_of_death': code list 'no_such_list' is not in codelists.yaml" in text
    assert "field 'parity', show_when: cannot parse" in text


def test_an_expression_naming_an_unknown_field_is_refused(copy):
    path = copy / "2019-04" / "forms" / "notification.yaml"
    edit(path, lambda d: field(d, "jar_triggered").update(show_when="expected == 'unexpected'"))
    [problem] = problems_of(copy)
    assert "field 'jar_triggered'" in problem
    assert "names 'expected', not a field" in problem


def test_an_expression_outside_the_language_is_refused(copy):
    path = copy / "2019-04" / "forms" / "notification.yaml"
    edit(path, lambda d: field(d, "jar_triggered").update(show_when="__import__('os')"))
    [problem] = problems_of(copy)
    assert "a function call is not allowed" in problem


def test_invalid_yaml_reports_the_line(copy):
    path = copy / "2025-04" / "codelists.yaml"
    path.write_text("sex:\n  codes: [\n")
    problems = problems_of(copy)
    assert any(str(path) in p and "is not valid YAML at line" in p for p in problems)


def test_a_recoding_must_map_every_old_code(copy):
    path = copy / "2025-04" / "version.yaml"
    edit(path, lambda d: d["changes"]["recoded"][0]["map"].pop("9"))
    [problem] = problems_of(copy)
    assert str(path) in problem
    assert "does not map old code '9'" in problem


def test_a_case_fact_must_exist(copy):
    path = copy / "2019-04" / "forms" / "analysis.yaml"
    edit(path, lambda d: d["rules"][0].update(check="review_date >= case.date_of_funeral"))
    [problem] = problems_of(copy)
    assert "case.date_of_funeral is not a notification field" in problem


def test_an_unquoted_label_with_a_comma_is_caught(copy):
    path = copy / "2019-04" / "codelists.yaml"
    text = path.read_text().replace(
        'label: "Education (school, college or early years setting)"',
        "label: Education (school, college or early years setting)",
    )
    path.write_text(text)
    problems = problems_of(copy)
    assert any("code 'education' has unknown keys" in p and "quote a label" in p for p in problems)
