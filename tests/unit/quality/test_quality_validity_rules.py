"""The validity rules, checked in one pass over each table they read, on rows whose issues are
worked out by hand here."""

import datetime

import duckdb
import pytest
import yaml

from ncmd.quality.compute import _validity_issues_sql
from ncmd.quality.definitions import DefinitionError, validity_rules

PARAMETERS = {"as_of": "DATE '2026-11-27'"}
CHECK = ": check the units and the record."


@pytest.fixture
def db():
    db = duckdb.connect()
    db.execute(
        "CREATE TABLE cases (reference VARCHAR, age_days BIGINT, category_of_death VARCHAR, "
        "date_of_death DATE, review_date DATE)"
    )
    db.execute(
        "CREATE TABLE reporting (case_reference VARCHAR, reporting__child_weight_kg DOUBLE, "
        "reporting__child_height_cm DOUBLE)"
    )
    died, reviewed = datetime.date(2024, 3, 2), datetime.date(2024, 9, 1)
    db.executemany("INSERT INTO cases VALUES (?, ?, ?, ?, ?)", [
        ("INFANT", 52, "infection", died, reviewed),
        ("TODDLER", 800, "trauma", died, reviewed),
        ("CHILD", 2000, "perinatal", died, datetime.date(2024, 1, 5)),
        ("FINE", 10, "perinatal", died, None),
    ])  # fmt: skip
    db.executemany("INSERT INTO reporting VALUES (?, ?, ?)", [
        ("INFANT", 48, 50),  # too heavy for 52 days
        ("INFANT", 3.5, 120),  # a second agency's form: too long for 52 days
        ("TODDLER", 5, 55),  # too light for 800 days; 55 cm is checked only from 1,825 days
        ("CHILD", 4, 50),  # too light and too short: two issues from one form
        ("FINE", None, 50),
        ("ELSEWHERE", 48, 50),  # no such case: no age to check against
    ])  # fmt: skip
    return db


def test_every_broken_rule_is_one_issue_with_its_message(db):
    rows = db.execute(_validity_issues_sql(validity_rules(), PARAMETERS)).fetchall()
    assert sorted(rows) == sorted([
        ("INFANT", "reporting", "child_weight_kg",
         f"Weight 48.0 kg is implausible for a child aged 52 days{CHECK}"),
        ("INFANT", "reporting", "child_height_cm",
         f"Height 120.0 cm is implausible for a child aged 52 days{CHECK}"),
        ("TODDLER", "reporting", "child_weight_kg",
         f"Weight 5.0 kg is implausible for a child aged 800 days{CHECK}"),
        ("CHILD", "reporting", "child_weight_kg",
         f"Weight 4.0 kg is implausible for a child aged 2000 days{CHECK}"),
        ("CHILD", "reporting", "child_height_cm",
         f"Height 50.0 cm is implausible for a child aged 2000 days{CHECK}"),
        ("CHILD", "analysis", "category_of_death", "A perinatal/neonatal event is recorded as "
         "the category for a child aged 2000 days: check the category."),
        ("CHILD", "analysis", "review_date", "The review date is before the date of death."),
    ])  # fmt: skip


def test_the_reporting_forms_are_joined_with_their_cases_once(db):
    plan = db.execute(f"EXPLAIN {_validity_issues_sql(validity_rules(), PARAMETERS)}").fetchall()
    assert "\n".join(row[1] for row in plan).count("HASH_JOIN") == 1


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"reads": "submissions"}, "must read one of reporting, cases"),
        ({"condition": ""}, "needs condition"),
        ({"message": None}, "needs message"),
    ],
)
def test_a_rule_with_a_mistake_is_refused_with_its_name(tmp_path, change, problem):
    rule = {
        "name": "weight_for_age",
        "description": "Weight.",
        "reads": "reporting",
        "condition": "r.reporting__child_weight_kg > 15",
        "form": "reporting",
        "field": "child_weight_kg",
        "message": "Weight {r.reporting__child_weight_kg} kg.",
    }
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump([rule | change]))
    with pytest.raises(DefinitionError, match=f"'weight_for_age' {problem}"):
        validity_rules(path)
