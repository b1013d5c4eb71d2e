"""A QI lead composes a safety message and previews exactly who will receive it, looks at the
stakeholder map and an event's feedback, and the screenshots for docs/outreach.md are taken."""

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.functional.conftest import ROOT, _free_port, sign_in

IMAGES = ROOT / "docs" / "images" / "outreach"


@pytest.fixture(scope="module")
def outreach_portal(tmp_path_factory):
    """A portal server on its own database, seeded by tests/functional/seed_outreach.py."""
    var = tmp_path_factory.mktemp("outreach-portal")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{var / 'portal.sqlite3'}",
               NCMD_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="ncmd.settings",
               PYTHONPATH=str(ROOT), DEBUG="false", TZ="Europe/London")  # fmt: skip
    run = [sys.executable, "-m", "ncmd"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    seeded = subprocess.run([sys.executable, "-m", "tests.functional.seed_outreach"], env=env,
                            check=True, cwd=ROOT, capture_output=True, text=True)  # fmt: skip
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
    deadline = time.monotonic() + 90  # system checks are slow on a busy machine
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/sign-in/", timeout=2)
            break
        except OSError:
            time.sleep(0.25)
    else:
        server.kill()
        server.wait(timeout=10)
        pytest.fail(f"the portal did not start: {log_path.read_text()[-2000:]}")
    yield url, facts
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def lead_page(browser, outreach_portal):
    url, facts = outreach_portal
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    sign_in(page, url, "qi-lead", facts["password"])
    yield page, url
    context.close()


def shot(page, name, *, locator=None):
    IMAGES.mkdir(parents=True, exist_ok=True)
    target = locator or page
    target.screenshot(path=str(IMAGES / f"{name}.png"), animations="disabled")
    assert (IMAGES / f"{name}.png").stat().st_size < 400_000


def test_compose_and_preview_a_safety_message(lead_page):
    page, url = lead_page
    page.get_by_role("link", name="Outreach", exact=True).first.click()
    assert page.get_by_role("heading", name="Outreach", exact=True).is_visible()
    shot(page, "home")
    page.goto(f"{url}/outreach/messages/new/")
    page.get_by_role("button", name="Save and preview").click()
    summary = page.locator(".nhsuk-error-summary")
    assert summary.is_visible() and "Subject" in summary.text_content()
    assert "Choose at least one audience." in summary.text_content()
    page.goto(f"{url}/outreach/messages/new/")
    page.get_by_label("Safety message").check()
    page.get_by_label("Subject").fill("Cold water shock: talk to pupils before the holidays")
    page.get_by_label("Body").fill(
        "Several deaths reviewed this year followed **jumping into open water** on hot days.\n\n"
        "- Remind pupils that cold water shock can stop a strong swimmer within a minute.\n"
        "- Share the *Float to Live* advice.\n"
    )
    page.get_by_label("Teachers and schools").check()
    page.get_by_label("Safeguarding partners").check()
    shot(page, "compose", locator=page.locator("main"))
    page.get_by_role("button", name="Save and preview").click()
    assert page.locator(".ncmd-message-preview strong").text_content() == (
        "jumping into open water"
    )
    heading = page.locator("#recipients").text_content()
    # Consenting, subscribed teachers and safeguarding partners in the demo: Imogen Clarke,
    # Jamal Hussain, Katie Brown, Grace Thompson, Mo Ahmed.
    assert "It will be sent to 5 contacts" in heading
    rows = page.locator("table tbody tr")
    assert rows.count() == 5
    assert "jamal.hussain@example.org" in page.locator("table").text_content()
    assert "harry.wilson" not in page.locator("table").text_content()
    shot(page, "preview", locator=page.locator("main"))
    assert page.get_by_role("button", name="Send to 5 contacts").is_visible()


def test_the_stakeholder_map_and_an_event(lead_page):
    page, url = lead_page
    page.goto(f"{url}/outreach/stakeholders/")
    assert page.get_by_role("link", name="Asha Patel").is_visible()
    shot(page, "stakeholders")
    page.goto(f"{url}/outreach/stakeholders/map/")
    chart = page.locator("figure svg[role=img]")
    assert "Stakeholder map of 12 organisations" in chart.locator("desc").text_content()
    assert page.get_by_role("cell", name="Manage closely").count() >= 1
    shot(page, "map", locator=page.locator("figure"))
    page.get_by_label("Map", exact=True).select_option(label="Water safety")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_role("heading", name="Stakeholder map: Water safety").is_visible()
    page.goto(f"{url}/outreach/events/")
    page.get_by_role("link", name="Safeguarding and water safety for schools").click()
    assert "2 of 3 attendees (67%)" in page.locator("main").text_content()
    shot(page, "event", locator=page.locator("main"))
