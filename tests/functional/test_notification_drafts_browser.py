"""In the browser: a CDOP user starts a notification, saves it as a draft before it is finished,
finds it in the CDOP's saved drafts, resumes it with the conditional questions shown as saved,
completes and submits it; another draft is discarded after the confirmation page."""

import re

from playwright.sync_api import expect

from tests.functional.conftest import sign_in


def test_a_notification_saved_as_a_draft_is_resumed_and_submitted(portal, page):
    url, facts = portal
    sign_in(page, url, "tees-admin", facts["password"])
    page.get_by_role("link", name="Notify a death").click()
    page.get_by_label("NHS number", exact=True).fill("943 476 5919")
    page.get_by_label("Given name(s)").fill("Drafted")
    page.get_by_label("Family name").fill("Sample")
    page.get_by_label("Date of birth").fill("10/01/2025")
    page.get_by_label("Date of death").fill("02/06/2025")
    page.get_by_role("group", name="Was the death expected or unexpected?").get_by_label(
        "Unexpected"
    ).check()
    page.get_by_role("button", name="Save as draft").click()

    assert "Draft notification saved" in page.content()
    expect(page.get_by_role("heading", name="Notify a death")).to_be_visible()
    page.get_by_role("link", name=re.compile("Back to Notify a death")).click()
    drafts = page.get_by_role("table", name=re.compile(r"Saved drafts \(\d+\)"))
    expect(drafts).to_be_visible()
    assert "Sample" not in drafts.inner_text()  # no identifiers in the list
    drafts.get_by_role("link", name=re.compile(r"^Draft \d+$")).last.click()

    assert page.get_by_label("Given name(s)").input_value() == "Drafted"
    assert page.get_by_label("Date of birth").input_value() == "10/01/2025"
    expect(page.locator("#q-jar_triggered")).to_be_visible()  # shown: the death is unexpected
    page.get_by_role("group", name="Sex").get_by_label("Male", exact=True).check()
    page.get_by_label("Ethnicity").select_option(label="White - British")
    page.get_by_label("Home postcode", exact=True).fill("TS1 1AA")
    page.get_by_label("Place of death", exact=True).select_option(label="Home of normal residence")
    page.get_by_role("group", name="Was a Joint Agency Response (JAR) triggered?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("group", name="Is this a suspected stillbirth at home?").get_by_label(
        "No"
    ).check()
    page.get_by_label("Sudden unexpected death in infancy (SUDI)").check()
    page.get_by_label("Summary of the circumstances of the death").fill("Found unresponsive.")
    page.get_by_label("Hospital or acute health trust").check()
    page.get_by_role("button", name="Notify the death").click()

    heading = page.get_by_role("heading", name=re.compile(r"^Case CD-"))
    expect(heading).to_be_visible()
    page.get_by_role("link", name="Notify a death").click()
    assert "Drafted" not in page.content()


def test_a_draft_is_discarded_after_confirming(portal, page):
    url, facts = portal
    sign_in(page, url, "tees-admin", facts["password"])
    page.get_by_role("link", name="Notify a death").click()
    page.get_by_label("Date of death").fill("03/06/2025")
    page.get_by_role("button", name="Save as draft").click()
    draft_url = page.url
    page.get_by_role("button", name="Discard draft").click()
    expect(
        page.get_by_role("heading", name=re.compile("^Discard draft notification"))
    ).to_be_visible()
    page.get_by_role("button", name="Discard the draft").click()
    assert "Draft notification discarded." in page.content()
    assert page.goto(draft_url).status == 404
