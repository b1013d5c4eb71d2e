"""A QI lead composes a safety message and previews exactly who will receive it, looks at the
stakeholder map and an event's feedback, and the screenshots for docs/outreach.md are taken."""

import pytest
from playwright.sync_api import expect

from tests.functional.conftest import screenshot_folder, serve_portal, sign_in


@pytest.fixture(scope="module")
def outreach_portal(tmp_path_factory):
    """A portal server on its own database, seeded by tests/functional/seed_outreach.py."""
    yield from serve_portal(
        tmp_path_factory.mktemp("outreach-portal"),
        "tests.functional.seed_outreach",
        TZ="Europe/London",
    )


@pytest.fixture
def lead_page(browser, outreach_portal):
    url, facts = outreach_portal
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    sign_in(page, url, "qi-lead", facts["password"])
    yield page, url
    context.close()


def shot(page, name, *, locator=None):
    images = screenshot_folder("outreach")
    target = locator or page
    target.screenshot(path=str(images / f"{name}.png"), animations="disabled")
    assert (images / f"{name}.png").stat().st_size < 400_000


def test_compose_and_preview_a_safety_message(lead_page):
    page, url = lead_page
    page.get_by_role("link", name="Outreach", exact=True).first.click()
    expect(page.get_by_role("heading", name="Outreach", exact=True)).to_be_visible()
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
    expect(page.get_by_role("button", name="Send to 5 contacts")).to_be_visible()


def test_the_stakeholder_map_and_an_event(lead_page):
    page, url = lead_page
    page.goto(f"{url}/outreach/stakeholders/")
    expect(page.get_by_role("link", name="Asha Patel")).to_be_visible()
    shot(page, "stakeholders")
    page.goto(f"{url}/outreach/stakeholders/map/")
    chart = page.locator("figure svg[role=img]")
    assert "Stakeholder map of 12 organisations" in chart.locator("desc").text_content()
    assert page.get_by_role("cell", name="Manage closely").count() >= 1
    shot(page, "map", locator=page.locator("figure"))
    page.get_by_label("Map", exact=True).select_option(label="Water safety")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Stakeholder map: Water safety")).to_be_visible()
    page.goto(f"{url}/outreach/events/")
    page.get_by_role("link", name="Safeguarding and water safety for schools").click()
    assert "2 of 3 attendees (67%)" in page.locator("main").text_content()
    shot(page, "event", locator=page.locator("main"))
