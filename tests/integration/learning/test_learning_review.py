"""The quarterly review: statuses at the quarter's end by theme, audience and organisation,
overdue items, events from the outreach app, linked indicators; and its exports."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from ncmd.learning import actions, review
from ncmd.learning.models import Addressee
from ncmd.learning.outreach.summary import EventSummary
from ncmd.learning.review import build_review, quarter_bounds
from ncmd.registry.models import AuditEvent


def at(day):
    return datetime.datetime(*day, 10, tzinfo=datetime.UTC)


@pytest.fixture
def history(report, world, users):
    qi = users["qi_lead"]
    r1 = actions.add_recommendation(
        report=report,
        text='=HYPERLINK("http://evil")',
        theme="safer_sleep",
        organisations=[world["nhse"], world["tees"]],
        audiences=["midwives"],
        owner="Lead",
        due_on=datetime.date(2025, 8, 31),
        by=qi,
        at=at((2025, 6, 1)),
    )
    r2 = actions.add_recommendation(
        report=report,
        text="Schools should act.",
        theme="suicide",
        organisations=[world["dfe"]],
        audiences=["teachers"],
        owner="Lead",
        due_on=datetime.date(2026, 12, 31),
        by=qi,
        at=at((2025, 6, 1)),
    )
    for r in (r1, r2):
        actions.issue_recommendation(recommendation=r, by=qi, at=at((2025, 6, 10)))
    nhse = Addressee.objects.get(recommendation=r1, organisation=world["nhse"])
    actions.move_recommendation(
        addressee=nhse, to="acknowledged", by=users["partner_contact"], at=at((2025, 7, 1))
    )
    actions.move_recommendation(
        addressee=nhse,
        to="in_progress",
        by=users["partner_contact"],
        note="Checklist drafted.",
        at=at((2025, 10, 2)),
    )
    dfe = Addressee.objects.get(recommendation=r2)
    actions.move_recommendation(
        addressee=dfe,
        to="not_accepted",
        note="Already covered.",
        by=users["other_partner_contact"],
        at=at((2025, 9, 1)),
    )
    return r1, r2


def test_quarters_are_calendar_quarters():
    assert quarter_bounds("2025-Q3") == (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
    assert quarter_bounds("2025-Q4")[1] == datetime.date(2025, 12, 31)
    with pytest.raises(review.BadQuarter, match="like 2025-Q3"):
        quarter_bounds("2025-13")


def test_statuses_are_those_at_the_end_of_the_quarter(history, world):
    q3 = build_review("2025-Q3")
    statuses = {(r.addressee.organisation.code, r.status) for r in q3.responses}
    assert statuses == {
        ("PTN-NHSE", "acknowledged"),
        ("CDOP001", "issued"),
        ("PTN-DFE", "not_accepted"),
    }
    assert {r.addressee.organisation.code for r in q3.overdue} == {"PTN-NHSE", "CDOP001"}
    themes = {t["label"]: t for t in q3.themes}
    assert themes["Suicide and self-harm"]["counts"][4] == 1  # not accepted
    safer = themes["Sudden unexpected death in infancy and safer sleep"]
    assert safer["recommendations"] == 1 and safer["overdue"] == 2
    audiences = {row["label"]: row for row in q3.by_audience}
    assert audiences["Midwives"]["total"] == 2 and audiences["Teachers and schools"]["total"] == 1
    organisations = [row["organisation"].code for row in q3.by_organisation]
    assert organisations == ["PTN-DFE", "PTN-NHSE", "CDOP001"]
    assert q3.updates_in_quarter == 2
    q4 = build_review("2025-Q4")
    assert ("PTN-NHSE", "in_progress") in {
        (r.addressee.organisation.code, r.status) for r in q4.responses
    }
    assert build_review("2025-Q1").responses == []


def test_the_page_shows_events_from_outreach_and_exports(client, history, users, monkeypatch):
    event = EventSummary(
        title="Safer sleep webinar",
        kind="Webinar",
        date=datetime.date(2025, 8, 14),
        audiences=["Midwives"],
        registered=40,
        attended=31,
        feedback_responses=22,
        mean_feedback_score=4.45,
    )
    asked = []

    def events_between(start, end):
        asked.append((start, end))
        return [event]

    monkeypatch.setattr("ncmd.learning.outreach.summary.events_between", events_between)
    client.force_login(users["qi_lead"])
    page = client.get("/learning/review/?quarter=2025-Q3").content.decode()
    assert asked == [(datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))]
    assert "Quarterly review: July to September 2025" in page
    assert "Safer sleep webinar" in page and "4.45" in page
    assert "Already covered." in page
    html = client.get("/learning/review/2025-Q3/impact-report.html")
    assert html["Content-Disposition"] == 'attachment; filename="ncmd-impact-report-2025-q3.html"'
    assert "Impact report: July to September 2025" in html.content.decode()
    response = client.get("/learning/review/2025-Q3/impact-report.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    nhse = next(r for r in rows if r["organisation_code"] == "PTN-NHSE")
    assert nhse["status"] == "Acknowledged" and nhse["overdue"] == "yes"
    assert nhse["text"] == '\'=HYPERLINK("http://evil")'  # formula-safe
    pdf = client.get("/learning/review/2025-Q3/impact-report.pdf", follow=True)
    assert "PDF downloads are not available" in pdf.content.decode()
    assert AuditEvent.objects.filter(action="export_quarterly_review").count() == 3
    assert client.get("/learning/review/?quarter=2025-Q9").status_code == 404


def test_only_the_programme_sees_the_review(client, users):
    for name in ("partner_contact", "cdop_admin", "national_analyst"):
        client.force_login(users[name])
        assert client.get("/learning/review/").status_code == 403
        assert client.get("/learning/review/2025-Q3/impact-report.csv").status_code == 403


def test_the_lifecycle_docs_are_current():
    try:
        call_command("learning", "docs", "--check")
    except CommandError as error:  # pragma: no cover - the message says what to run
        pytest.fail(str(error))


def test_pdf_exports_use_weasyprint_where_it_is_installed(client, history, users, monkeypatch):
    import sys
    import types

    rendered = []

    class HTML:
        def __init__(self, string):
            rendered.append(string)

        def write_pdf(self):
            return b"%PDF-1.7 made by the stub"

    monkeypatch.setitem(sys.modules, "weasyprint", types.SimpleNamespace(HTML=HTML))
    client.force_login(users["qi_lead"])
    response = client.get("/learning/review/2025-Q3/impact-report.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 made by the stub"
    assert (
        response["Content-Disposition"] == 'attachment; filename="ncmd-impact-report-2025-q3.pdf"'
    )
    assert "Impact report: July to September 2025" in rendered[0]
