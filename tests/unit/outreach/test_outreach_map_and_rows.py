"""The stakeholder map's quadrants and chart, a contact's reachability, and the CSV row checks."""

import datetime

from ncmd.learning.outreach.charts import quadrant, stakeholder_map_svg
from ncmd.learning.outreach.contacts_import import check_row
from ncmd.learning.outreach.models import Contact


def test_quadrants_split_above_the_middle():
    assert quadrant(5, 5) == "Manage closely" and quadrant(4, 4) == "Manage closely"
    assert quadrant(5, 3) == "Keep satisfied"
    assert quadrant(3, 5) == "Keep informed"
    assert quadrant(3, 3) == "Monitor" and quadrant(1, 1) == "Monitor"


def test_the_map_is_accessible_svg_with_every_name():
    svg = stakeholder_map_svg(
        title="Stakeholder map: water",
        points=[("NHS England", 5, 5), ("School A", 2, 4), ("School B", 2, 4), ("Police", 4, 1)],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title>Stakeholder map: water</title>" in svg
    assert "Manage closely: 1; Keep satisfied: 1; Keep informed: 2; Monitor: 0" in svg
    for name in ("NHS England", "School A", "School B", "Police"):
        assert name in svg


def _contact(**kwargs):
    values = {"audiences": ["midwives", "gps"], "consent_given_on": datetime.date(2025, 1, 1)}
    return Contact(**{**values, **kwargs})


def test_who_a_message_may_reach():
    assert _contact().reachable_for(["midwives"])
    assert not _contact(consent_given_on=None).reachable_for(["midwives"])
    assert not _contact(unsubscribed_at=datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)
                        ).reachable_for(["midwives"])  # fmt: skip
    left = _contact(unsubscribed_audiences=["midwives"])
    assert not left.reachable_for(["midwives"]) and left.reachable_for(["midwives", "gps"])
    assert not _contact().reachable_for(["police"])


ROW = {
    "name": "Asha",
    "email": "Asha@Example.org",
    "organisation": "Trust",
    "sector": "NHS",
    "audiences": "Midwives; gps",
    "consent_date": "2025-01-10",
    "consent_source": "form",
}


def test_a_good_row_is_read_with_labels_or_codes():
    values, problems = check_row(2, ROW, {})
    assert problems == []
    assert values["email"] == "asha@example.org" and values["sector"] == "nhs"
    assert values["audiences"] == ["midwives", "gps"]
    assert values["given_on"] == datetime.date(2025, 1, 10) and values["basis"] == "consent"


def test_every_problem_in_a_row_is_named():
    row = {**ROW, "email": "nope", "sector": "space", "audiences": "", "consent_date": "10/01/25",
           "consent_source": "", "name": ""}  # fmt: skip
    _, problems = check_row(7, row, {})
    columns = sorted(p.column for p in problems)
    assert columns == ["audiences", "consent_date", "consent_source", "email", "name", "sector"]
    assert all(p.row == 7 for p in problems)
    assert str(problems[0]).startswith("Row 7, ")


def test_a_repeated_address_names_the_first_row():
    seen = {}
    check_row(2, ROW, seen)
    _, problems = check_row(3, {**ROW, "email": "asha@example.org"}, seen)
    assert [p.message for p in problems] == ["asha@example.org is also on row 2"]
