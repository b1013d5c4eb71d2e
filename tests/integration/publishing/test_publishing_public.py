"""The public statistics pages: no sign-in, only published releases and their recorded files,
and no figure anywhere that the disclosure rule withholds."""

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from ncmd.analysis.tables import TOTAL
from ncmd.publishing import actions
from ncmd.publishing.disclosure import check_published
from ncmd.publishing.files import published_tables
from ncmd.publishing.models import ReleaseFile

THRESHOLD = 7  # settings.NCMD_DISCLOSURE_SUPPRESS_TO


@pytest.fixture
def published(snapshot, users, fake_analysis):
    return actions.build_release(
        snapshot=snapshot, year="2024-25", by=users["national_analyst"], publish=True
    )


@pytest.fixture
def real_analysis(snapshot):
    """The real analyses of `ncmd.analysis`, with the demonstration's synthetic denominators."""
    from ncmd.analysis.actions import create_synthetic_denominators

    create_synthetic_denominators(years=[2023, 2024], by=None)


def test_the_statistics_pages_need_no_sign_in(client, published):
    page = client.get("/statistics/")
    assert page.status_code == 200 and published.title in page.content.decode()
    page = client.get(f"/statistics/{published.identifier}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('role="img"') == 4 and "Deaths by region and sex" in text
    for entry in published.files.all():
        if entry.name != "notes.csv" and entry.name != "tables.json":
            assert f"/statistics/files/{entry.pk}/" in text or not entry.name.endswith(".csv")
        download = client.get(f"/statistics/files/{entry.pk}/")
        assert download.status_code == 200
        assert download["Content-Disposition"] == f'attachment; filename="{entry.name}"'
        assert b"".join(download) == (Path(published.folder) / entry.name).read_bytes()


def test_unreleased_and_withdrawn_releases_are_not_shown(client, snapshot, users, fake_analysis):
    built = actions.build_release(snapshot=snapshot, year="2024-25", by=users["national_analyst"])
    assert built.identifier not in client.get("/statistics/").content.decode()
    assert client.get(f"/statistics/{built.identifier}/").status_code == 404
    for entry in built.files.all():
        assert client.get(f"/statistics/files/{entry.pk}/").status_code == 404
    assert client.get("/statistics/NCMD-1999-00-01/").status_code == 404
    assert client.get("/statistics/files/99999/").status_code == 404
    actions.publish_release(release=built, by=users["national_admin"])
    actions.withdraw_release(release=built, by=users["national_admin"], reason="Wrong year.")
    page = client.get(f"/statistics/{built.identifier}/").content.decode()
    assert "withdrawn" in page and "Wrong year." in page and "Deaths by region" not in page
    for entry in built.files.all():
        assert client.get(f"/statistics/files/{entry.pk}/").status_code == 404


def test_a_file_changed_on_disk_is_not_served(client, published):
    entry = published.files.get(name="deaths-by-region.csv")
    (Path(published.folder) / entry.name).write_text("Region,Deaths\nIsles,3\n")
    assert client.get(f"/statistics/files/{entry.pk}/").status_code == 404


def test_urls_cannot_name_a_path(client, published):
    for attempt in (
        "/statistics/files/..%2F..%2Fncmd.sqlite3/",
        "/statistics/../ncmd.sqlite3",
        f"/statistics/{published.identifier}/notes.csv",
    ):
        assert client.get(attempt).status_code == 404


def _html_tables(text):
    """(header, rows) of every HTML table of a page."""
    tables = []
    for body in re.findall(r"<table.*?</table>", text, flags=re.S):
        cells = [
            [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
            ]
            for row in re.findall(r"<tr.*?</tr>", body, flags=re.S)
        ]
        tables.append((cells[0], cells[1:]))
    return tables


def _small(value):
    text = str(value).replace(",", "").strip()
    return text.isdigit() and 1 <= int(text) <= THRESHOLD


def _scan(header, rows, geographic, counts):
    """Sub-national count cells from 1 to the threshold in one table."""
    found = []
    geo = [header.index(g) for g in geographic if g in header]
    if not geo:
        return found
    for row in rows:
        if all(row[i] == TOTAL for i in geo):
            continue
        found += [
            (header[i], row) for i in range(len(header)) if header[i] in counts and _small(row[i])
        ]
    return found


def scan_release(client, release):
    """Every public page and download of `release`, scanned for small sub-national counts; and
    the published tables checked with find_recoverable. Returns what was found."""
    files = {f.name: f for f in release.files.all()}
    document = json.loads(b"".join(client.get(f"/statistics/files/{files['tables.json'].pk}/")))
    found, labels = [], {}
    for table in document["tables"]:
        header = [c["label"] for c in table["columns"]]
        geographic = [c["label"] for c in table["columns"] if c["geographic"]]
        counts = [c["label"] for c in table["columns"] if c["kind"] == "count"]
        labels[table["id"]] = (geographic, counts)
        found += _scan(header, table["rows"], geographic, counts)
        # The CSV download, read as a spreadsheet user would.
        data = b"".join(client.get(f"/statistics/files/{files[table['id'] + '.csv'].pk}/"))
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        headings = [h.split(" (")[0] if h.split(" (")[0] in header else h for h in rows[0]]
        found += _scan(headings, rows[1:], geographic, counts)
    book = openpyxl.load_workbook(
        io.BytesIO(
            b"".join(
                client.get(f"/statistics/files/{files[release.identifier.lower() + '.xlsx'].pk}/")
            )
        )
    )
    for table, name in zip(document["tables"], book.sheetnames[1:], strict=True):
        rows = list(book[name].iter_rows(min_row=4, values_only=True))
        header = [c["label"] for c in table["columns"]]
        found += _scan(header, [list(r) for r in rows[1:]], *labels[table["id"]])
    page = client.get(f"/statistics/{release.identifier}/").content.decode()
    for (_, rows), table in zip(_html_tables(page), document["tables"], strict=True):
        header = [c["label"] for c in table["columns"]]
        found += _scan(header, rows, *labels[table["id"]])
    # The charts: their text descriptions give the values drawn.
    charts = json.loads(b"".join(client.get(f"/statistics/files/{files['charts.json'].pk}/")))
    for table in document["tables"]:
        geographic, counts = labels[table["id"]]
        desc = re.search(r"<desc>(.*?)</desc>", charts[table["id"]] or "<desc></desc>")[1]
        drawn = next((c for c in counts if desc.startswith(f"Bar chart of {c.lower()}")), None)
        if geographic and drawn and table["columns"][0]["geographic"]:
            for label, value in re.findall(r"([^.;]+?): ([\d,.]+)", desc.split(". ", 1)[1]):
                if label.strip() != TOTAL and _small(value):
                    found.append((drawn, [label.strip(), value]))
    recovered = check_published(
        published_tables(b"".join(client.get(f"/statistics/files/{files['tables.json'].pk}/")))
    )
    return found, recovered


def test_no_public_table_or_download_shows_a_small_sub_national_count(client, published):
    found, recovered = scan_release(client, published)
    assert found == [] and recovered == []


def test_the_scan_would_find_a_small_count(client, published):
    """The scan is not vacuous: a released table with a small regional count is caught."""
    entry = ReleaseFile.objects.get(release=published, name="tables.json")
    path = Path(published.folder) / "tables.json"
    document = json.loads(path.read_text())
    document["tables"][1]["rows"][0][1] = 3
    data = (json.dumps(document) + "\n").encode()
    path.write_bytes(data)
    import hashlib

    entry.sha256 = hashlib.sha256(data).hexdigest()
    entry.save()
    found, _ = scan_release(client, published)
    assert found and found[0][0] == "Deaths"


def test_the_real_analysis_release_passes_the_scan(client, snapshot, users, real_analysis):
    release = actions.build_release(
        snapshot=snapshot, year="2024-25", by=users["national_analyst"], publish=True
    )
    found, recovered = scan_release(client, release)
    assert found == [] and recovered == []


def test_the_real_analysis_gives_the_same_files_twice(snapshot, users, real_analysis):
    by = users["national_analyst"]
    first = actions.build_release(snapshot=snapshot, year="2024-25", by=by)
    second = actions.build_release(snapshot=snapshot, year="2024-25", by=by)
    tables = [{f.name: f.sha256 for f in r.files.all() if f.table_id} for r in (first, second)]
    assert tables[0] == tables[1] and len(tables[0]) > 10
    reports = [
        actions.build_annual_report(snapshot=snapshot, year="2024-25", by=by, pdf=False)[0]
        for _ in range(2)
    ]
    assert reports[0].files == reports[1].files
