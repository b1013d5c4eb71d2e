"""Theme definitions: the shipped ones load, and a mistake names the file and the key."""

import pytest

from ncmd.analysis.thematic import ThemeError, get_theme, load_theme, themes

GOVERNANCE = """
governance:
  author: someone
  checked_by: someone else
  checked_on: 2026-11-27
  version: 1
"""


def write(tmp_path, name, body, governance=GOVERNANCE):
    path = tmp_path / f"{name}.yaml"
    path.write_text(body + governance)
    return path


def test_the_shipped_themes_load_with_their_governance():
    names = [t.name for t in themes()]
    assert {"suicide", "sudi", "drowning"} <= set(names)
    assert names == sorted(names)
    for theme in themes():
        assert theme.governance["checked_by"] and theme.description


def test_filters_compile_to_duckdb_conditions():
    assert get_theme("drowning").sql == (
        "list_has_any(\"notification__circumstances\", ['drowning'])")  # fmt: skip
    sudi = get_theme("sudi").sql
    assert "\"age_band\" IN ('0-27d', '28-364d')" in sudi and " AND " in sudi


def test_a_good_definition(tmp_path):
    path = write(tmp_path, "infants_not_expected", (
        "name: infants_not_expected\ntitle: Unexpected infant deaths\ndescription: x\n"
        "filter:\n  all:\n    - {column: age_days, below: 365}\n"
        "    - not: {column: expected_death, in: [expected]}\n"
        "    - {column: notification__known_to_social_care, is: false}\n"
        "    - {column: analysis__suicide_likelihood, is_known: false}\n"))  # fmt: skip
    theme = load_theme(path)
    assert theme.sql == (
        "((\"age_days\" < 365) AND (NOT COALESCE((\"expected_death\" IN ('expected')), FALSE)) "
        "AND (\"notification__known_to_social_care\" = FALSE) AND "
        "(\"analysis__suicide_likelihood\" IS NULL OR \"analysis__suicide_likelihood\" = ''))"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("name: t\ntitle: T\ndescription: d\n", "missing filter"),
        ("name: other\ntitle: T\ndescription: d\nfilter: {column: sex, in: [M]}\n",
         "must match the file name"),
        ("name: t\ntitle: T\ndescription: d\nfilter: {column: colour, in: [red]}\n",
         "filter.column 'colour' is not a column"),
        ("name: t\ntitle: T\ndescription: d\nfilter: {column: category_of_death, in: [suicid]}\n",
         "'suicid' not a code of category_of_death"),
        ("name: t\ntitle: T\ndescription: d\n"
         "filter: {any: [{column: notification__circumstances, in: [drowning]}]}\n",
         r"filter.any\[0\]: notification__circumstances is a multiple-choice column; use "
         "contains_any"),
        ("name: t\ntitle: T\ndescription: d\nfilter: {column: sex, equals: M}\n",
         "needs exactly one of"),
        ("name: t\ntitle: T\ndescription: d\nfilter: {column: sex, below: 3}\n",
         "needs a number and a numeric column"),
        ("name: t\ntitle: T\ndescription: d\nfilter: {column: sex, is: true}\n",
         "needs a yes/no column"),
        ("name: t\ntitle: T\ndescription: d\nfilter: {column: sex, in: [M]}\ncolour: red\n",
         "unknown key colour"),
        ("name: t\ntitle: T\ndescription: d\nfilter: [1, 2]\n", "filter must be a mapping"),
        ("name: t\ntitle: T\ndescription: d\nfilter: {all: []}\n", "filter.all must be"),
        ("name: t\ntitle: [\n", "is not valid YAML"),
    ],
)  # fmt: skip
def test_a_bad_definition_names_the_file_and_the_key(tmp_path, body, message):
    path = write(tmp_path, "t", body, governance="" if "YAML" in message else GOVERNANCE)
    with pytest.raises(ThemeError, match=message) as raised:
        load_theme(path)
    assert str(raised.value).startswith(str(path))


def test_governance_is_required(tmp_path):
    path = write(tmp_path, "t", "name: t\ntitle: T\ndescription: d\nfilter: {column: sex, "
                 "in: [M]}\n", governance="governance: {author: a}\n")  # fmt: skip
    with pytest.raises(ThemeError, match="governance needs checked_by, checked_on, version"):
        load_theme(path)
