"""Building reports and releases through the actions: what is recorded and audited, the same
bytes from the same snapshot, and the refusals."""

import hashlib
import io
from pathlib import Path

import openpyxl
import pytest

from ncmd.publishing import actions
from ncmd.publishing.models import Release, ReleaseStatus, Report, ReportKind
from ncmd.registry.models import AuditEvent
from ncmd.snapshots.actions import delete_snapshot


def build(snapshot, users, **options):
    return actions.build_release(
        snapshot=snapshot, year="2024-25", by=users["national_analyst"], **options
    )


def test_a_release_records_its_files_with_checksums_and_is_audited(snapshot, users, fake_analysis):
    release = build(snapshot, users)
    assert release.identifier == "NCMD-2024-25-01" and release.status == ReleaseStatus.BUILT
    assert release.snapshot_hash == snapshot.content_hash
    names = [f.name for f in release.files.all()]
    assert names == [
        "deaths-by-age-band.csv",
        "deaths-by-region.csv",
        "deaths-by-region-and-sex.csv",
        "modifiable-by-category.csv",
        "notes.csv",
        "tables.json",
        "charts.json",
        "ncmd-2024-25-01.xlsx",
    ]
    for entry in release.files.all():
        data = (Path(release.folder) / entry.name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry.sha256 and len(data) == entry.size
    event = AuditEvent.objects.get(action="build_release")
    assert event.actor == "analyst" or event.actor == users["national_analyst"].username
    assert event.detail["snapshot_hash"] == snapshot.content_hash
    assert event.detail["files"]["notes.csv"] == release.files.get(name="notes.csv").sha256
    assert fake_analysis[0].closed
    assert build(snapshot, users).identifier == "NCMD-2024-25-02"


def test_two_builds_from_one_snapshot_give_identical_tables(snapshot, users, fake_analysis):
    first, second = build(snapshot, users), build(snapshot, users)
    for a, b in zip(first.files.all(), second.files.all(), strict=True):
        if a.name.endswith(".csv") and a.name != "notes.csv":
            assert a.sha256 == b.sha256, a.name
    books = [
        openpyxl.load_workbook(Path(r.folder) / f"{r.identifier.lower()}.xlsx")
        for r in (first, second)
    ]
    assert books[0].sheetnames == books[1].sheetnames
    for name in books[0].sheetnames[1:]:
        rows = [list(book[name].iter_rows(values_only=True)) for book in books]
        assert rows[0] == rows[1]
    reports = [
        actions.build_annual_report(
            snapshot=snapshot, year="2024-25", by=users["national_analyst"], pdf=False
        )[0]
        for _ in range(2)
    ]
    assert reports[0].files == reports[1].files  # same names, sizes and SHA-256


def test_the_annual_report_is_one_accessible_file(snapshot, users, fake_analysis):
    report, message = actions.build_annual_report(
        snapshot=snapshot, year="2024-25", by=users["national_admin"]
    )
    assert report.kind == ReportKind.ANNUAL and report.snapshot_hash == snapshot.content_hash
    html = (Path(report.folder) / "annual-report-2024-25.html").read_text()
    assert "In 2024-25, 2,450 children died in England, 29.8 per 100,000 children" in html
    assert html.count('role="img"') == 4 and html.count("<caption>") >= 5
    assert "<title>Deaths by region: rate by region</title>" in html
    assert "Data quality statement" in html and "Ethnicity recorded" in html
    assert "Wilson score interval" in html  # the methods annex, from docs/methods.md
    assert "<link" not in html and "<script" not in html  # self-contained
    assert snapshot.content_hash in html
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        assert "WeasyPrint" in message and [f["name"] for f in report.files] == [
            "annual-report-2024-25.html"
        ]
    assert AuditEvent.objects.filter(action="build_annual_report").count() == 1


def test_cdop_packs_are_one_a_cdop(snapshot, users, world, fake_analysis):
    packs = actions.build_cdop_packs(
        snapshot=snapshot, year="2024-25", by=users["national_analyst"]
    )
    assert sorted(p.cdop.code for p in packs) == ["CDOP001", "CDOP002", "CDOP003"]
    html = (Path(packs[0].folder) / packs[0].files[0]["name"]).read_text()
    assert "Tees CDOP: child death review figures, 2024-25" in html
    assert Report.objects.filter(kind=ReportKind.CDOP).count() == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"year": "2024-2025"}, "is not a financial year"),
        ({"year": "2019-20"}, "has no deaths in 2019-20"),
        ({"theme": "no_such_theme"}, "There is no theme"),
    ],
)
def test_bad_requests_are_refused_with_what_to_do(snapshot, users, fake_analysis, change, message):
    options = {"snapshot": snapshot, "year": "2024-25", "by": users["national_analyst"], **change}
    with pytest.raises(actions.PublishingRefused, match=message):
        actions.build_release(**options)
    assert not Release.objects.exists()


def test_only_national_analysts_and_administrators_build(snapshot, users, fake_analysis):
    for role in ("cdop_admin", "researcher", "qi_lead"):
        with pytest.raises(actions.PublishingRefused, match="does not allow"):
            actions.build_release(snapshot=snapshot, year="2024-25", by=users[role])
        with pytest.raises(actions.PublishingRefused, match="does not allow"):
            actions.build_annual_report(snapshot=snapshot, year="2024-25", by=users[role])
    assert not Release.objects.exists() and not Report.objects.exists()


def test_a_deleted_snapshot_cannot_be_published(snapshot, users, fake_analysis):
    delete_snapshot(snapshot=snapshot, by=users["national_admin"], reason="test")
    with pytest.raises(actions.PublishingRefused, match="was deleted"):
        build(snapshot, users)


def test_a_failed_build_leaves_no_files(snapshot, users, fake_analysis, monkeypatch, settings):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "workbook_bytes", broken)
    with pytest.raises(RuntimeError):
        build(snapshot, users)
    assert not Release.objects.exists()
    assert list((Path(settings.NCMD_PUBLISHING_DIR) / "releases").iterdir()) == []


def test_the_workbook_notes_name_the_release_and_snapshot(snapshot, users, fake_analysis):
    release = build(snapshot, users)
    book = openpyxl.load_workbook(
        io.BytesIO((Path(release.folder) / "ncmd-2024-25-01.xlsx").read_bytes())
    )
    notes = {r[0]: r[1] for r in book["Notes"].iter_rows(min_row=4, values_only=True)}
    assert notes["Release identifier"] == release.identifier
    assert notes["Snapshot content hash (SHA-256)"] == snapshot.content_hash


def test_a_thematic_report_and_release(snapshot, users, fake_analysis):
    report, _ = actions.build_annual_report(
        snapshot=snapshot, year="2024-25", by=users["national_analyst"], theme="suicide", pdf=False
    )
    html = (Path(report.folder) / "annual-report-2024-25-suicide.html").read_text()
    assert "thematic analysis" in html and "Headline figures" not in html
    release = build(snapshot, users, theme="suicide")
    assert release.theme == "suicide" and release.title.startswith("Child deaths in England")
    assert [t["id"] for t in release.tables] == ["deaths-by-age-band"]


def test_a_pdf_is_written_where_weasyprint_is_installed(
    snapshot, users, fake_analysis, monkeypatch
):
    """WeasyPrint is optional: stand in a module with its interface to check the wiring."""
    import sys
    import types

    class HTML:
        def __init__(self, string):
            self.string = string

        def write_pdf(self):
            return b"%PDF-1.7 " + str(len(self.string)).encode()

    monkeypatch.setitem(sys.modules, "weasyprint", types.SimpleNamespace(HTML=HTML))
    report, message = actions.build_annual_report(
        snapshot=snapshot, year="2024-25", by=users["national_analyst"]
    )
    assert message == ""
    names = [f["name"] for f in report.files]
    assert names == ["annual-report-2024-25.html", "annual-report-2024-25.pdf"]
    assert (Path(report.folder) / names[1]).read_bytes().startswith(b"%PDF")
