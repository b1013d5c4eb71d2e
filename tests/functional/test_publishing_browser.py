"""A member of the public opens the statistics pages without signing in, reads a table with
its chart, and downloads release files; an unpublished release is not there."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.functional.conftest import serve_portal


@pytest.fixture(scope="module")
def statistics_site(tmp_path_factory):
    """A server on a database seeded by tests/functional/seed_publishing.py."""
    yield from serve_portal(
        tmp_path_factory.mktemp("statistics"), "tests.functional.seed_publishing"
    )


def test_the_public_reads_a_table_and_downloads_the_release(statistics_site, page):
    url, facts = statistics_site
    page.goto(f"{url}/statistics/")
    expect(page.get_by_role("heading", name="Child death statistics")).to_be_visible()
    assert page.get_by_role("link", name="Sign out").count() == 0
    page.get_by_role("link", name=facts["release_title"].replace("_", " ")).click()
    assert facts["release"] in page.content()
    table = page.get_by_role("table", name="Deaths and death rate by region", exact=True)
    expect(table).to_be_visible()
    headers = table.locator("thead th").all_text_contents()
    assert headers[0] == "Region" and headers[1] == "Deaths"
    rows = {
        r.locator("th").text_content(): r.locator("td").first.text_content()
        for r in table.locator("tbody tr").all()
    }
    assert rows["London"] == "[c]"  # Camden's 3 deaths are London's: suppressed
    assert rows["Total"] == "25"  # the national total is published as counted
    # Both regions are withheld, so the region table has no chart; the age bands have one.
    assert page.locator("section[aria-labelledby=deaths-by-region] figure").count() == 0
    chart = page.locator("section[aria-labelledby=deaths-by-age-band] figure svg[role=img]")
    assert "Bar chart" in chart.locator("desc").text_content()
    with page.expect_download() as download_info:
        page.locator("section[aria-labelledby=deaths-by-region]").get_by_role(
            "link", name=re.compile("^Download this table as CSV")
        ).click()
    download = download_info.value
    assert download.suggested_filename == "deaths-by-region.csv"
    lines = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert lines[0][:2] == ["Region", "Deaths"]
    assert lines[[r[0] for r in lines].index("London")][:2] == ["London", "[c]"]
    with page.expect_download() as download_info:
        page.get_by_role("link", name="All tables as a spreadsheet (XLSX)").click()
    assert download_info.value.suggested_filename == f"{facts['release'].lower()}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert book.sheetnames[0] == "Notes"


def test_an_unpublished_release_is_not_public(statistics_site, page):
    url, facts = statistics_site
    page.goto(f"{url}/statistics/")
    assert facts["unpublished"] not in page.content()
    response = page.goto(f"{url}/statistics/{facts['unpublished']}/")
    assert response.status == 404
