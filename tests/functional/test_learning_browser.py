"""Learning into action in a browser: the QI lead issues a recommendation to NHS England; NHS
England's contact signs in and records progress with evidence; the quarterly review shows it. A
CDOP sees a training intervention on its SPC chart. The tests take the screenshots used by
docs/learning.md (docs/images/learning/)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.functional.conftest import screenshot_folder, serve_portal, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def learning_portal(tmp_path_factory):
    """The portal on a database seeded by tests/functional/seed_learning.py."""
    var = tmp_path_factory.mktemp("learning-portal")
    for url, facts in serve_portal(var, "tests.functional.seed_learning"):
        yield url, facts, var


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def shot(page, name, top, bottom=None):
    """A screenshot of the page from `top`'s top to `bottom`'s bottom (or `top` alone)."""
    images = screenshot_folder("learning")
    first = top.bounding_box()
    last = (bottom or top).bounding_box()
    page.screenshot(
        path=str(images / name),
        full_page=True,
        clip={
            "x": 0,
            "y": max(first["y"] - 8, 0),
            "width": 1200,
            "height": last["y"] + last["height"] - first["y"] + 16,
        },
    )


def test_issue_progress_and_review(learning_portal, page, tmp_path):
    url, facts, _ = learning_portal
    sign_in(page, url, "qi-lead", facts["password"])
    page.get_by_role("link", name="Learning", exact=True).click()
    expect(page.get_by_role("heading", name="Learning into action")).to_be_visible()
    shot(page, "home.png", page.locator("main"))
    page.get_by_role(
        "link", name="Child death review in England: national report", exact=True
    ).click()
    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Recommendation", exact=True).fill(
        "Integrated care boards should offer every bereaved family a named key worker."
    )
    page.get_by_label("Theme").select_option(label="Bereavement support for families")
    page.get_by_label("Addressed to these organisations").select_option(label="NHS England")
    page.get_by_label("Bereavement and children's charities").check()
    page.get_by_label("Owner in the programme").fill("Programme director")
    page.get_by_label("Due by").fill("2027-03-31")
    page.get_by_label("Quality indicator it should move").select_option("ethnicity_recorded")
    shot(page, "recommendation-form.png", page.locator("main"))
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("heading", name="Recommendation 2")).to_be_visible()
    page.get_by_role("button", name="Issue recommendation").click()
    assert "issued to 1 organisations" in page.locator("main").text_content()
    page.get_by_role("link", name="Sign out").count()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, url, "partner-contact", facts["password"])
    page.get_by_role("link", name="Learning", exact=True).click()
    expect(
        page.get_by_role("heading", name="Recommendations addressed to NHS England")
    ).to_be_visible()
    page.get_by_role("link", name="national report, recommendation 2").click()
    page.get_by_role("link", name="Acknowledge").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Start work").click()
    page.get_by_label("Note").fill("Key worker posts funded in 12 of 42 integrated care boards.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Mark implemented").click()
    page.get_by_label("Note").fill("Every integrated care board now offers a named key worker.")
    page.get_by_label("Links to evidence").fill("https://www.england.nhs.uk/bereavement/")
    evidence = tmp_path / "key-worker-audit.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("Files (optional)").set_input_files(str(evidence))
    shot(page, "progress-form.png", page.locator("main"))
    page.get_by_role("button", name="Save").click()
    assert "now implemented" in page.locator("main").text_content()
    card = page.locator("#response-PTN-NHSE")
    expect(card.get_by_role("link", name="key-worker-audit.pdf")).to_be_visible()
    shot(page, "recommendation-implemented.png", page.locator("main h1"), card)
    with page.expect_download() as download:
        card.get_by_role("link", name="key-worker-audit.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, url, "qi-lead", facts["password"])
    page.get_by_role("link", name="Learning", exact=True).click()
    page.get_by_role("link", name="Quarterly review").first.click()
    organisations = page.locator("#organisations + table")
    row = organisations.get_by_role("row", name="NHS England")
    headers = organisations.locator("thead th").all_text_contents()
    cells = row.locator("td").all_text_contents()
    assert cells[headers.index("Implemented") - 1] == "1"
    progress = page.locator("#progress + table")
    assert "Every integrated care board now offers a named key worker." in progress.text_content()
    shot(
        page,
        "quarterly-review.png",
        page.locator("main h1"),
        page.locator("#organisations + table"),
    )


def test_plan_pack_and_intervention_on_the_chart(learning_portal, page):
    url, facts, _ = learning_portal
    sign_in(page, url, "qi-lead", facts["password"])
    page.goto(f"{url}/learning/plan/")
    matrix = page.locator("table.ncmd-matrix").first
    expect(matrix.get_by_role("row", name="1.1.1")).to_be_visible()
    shot(page, "plan.png", page.locator("main h1"), matrix)
    page.goto(f"{url}/learning/packs/{facts['pack']}/")
    expect(page.get_by_role("link", name="One-page summary (HTML)")).to_be_visible()
    shot(
        page, "pack.png", page.locator("main h1"), page.get_by_role("heading", name="Key findings")
    )
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, url, "tees-admin", facts["password"])
    page.goto(f"{url}/quality/CDOP001/notified_within_48_hours/")
    chart = page.locator("figure svg[role=img]").nth(1)
    assert "Marker 1: Regional training day, 1 August 2024." in chart.locator("desc").text_content()
    table = page.locator("#interventions ~ table").first
    assert "Regional training day" in table.text_content()
    assert "Improved: 7 of 7 months after show special-cause improvement" in table.text_content()
    shot(page, "intervention-chart.png", page.get_by_role("heading", name="Month by month"), table)
    # Durham was reached too; a CDOP sees only its own interventions list.
    page.goto(f"{url}/learning/interventions/")
    expect(page.get_by_role("cell", name="Regional training day")).to_be_visible()
