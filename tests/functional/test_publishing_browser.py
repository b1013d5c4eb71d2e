"""A member of the public opens the statistics pages without signing in, reads a table with
its chart, and downloads release files; an unpublished release is not there."""

import csv
import io
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from tests.functional.conftest import ROOT, _free_port


@pytest.fixture(scope="module")
def statistics_site(tmp_path_factory):
    """A server on a database seeded by tests/functional/seed_publishing.py."""
    var = tmp_path_factory.mktemp("statistics")
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{var / 'site.sqlite3'}",
        NCMD_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="ncmd.settings",
        PYTHONPATH=str(ROOT),
        DEBUG="false",
    )
    run = [sys.executable, "-m", "ncmd"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.functional.seed_publishing"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    facts = dict(line.split("=", 1) for line in seeded.stdout.split())
    port = _free_port()
    log_path = var / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [*run, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{url}/statistics/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        server.wait(timeout=10)
        pytest.fail(f"the server did not start: {log_path.read_text()[-2000:]}")
    yield url, facts
    server.terminate()
    server.wait(timeout=10)


def test_the_public_reads_a_table_and_downloads_the_release(statistics_site, page):
    url, facts = statistics_site
    page.goto(f"{url}/statistics/")
    assert page.get_by_role("heading", name="Child death statistics").is_visible()
    assert page.get_by_role("link", name="Sign out").count() == 0
    page.get_by_role("link", name=facts["release_title"].replace("_", " ")).click()
    assert facts["release"] in page.content()
    table = page.get_by_role("table", name="Deaths and death rate by region", exact=True)
    assert table.is_visible()
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
