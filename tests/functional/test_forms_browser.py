"""In the browser: a CDOP user notifies a death, makes a mistake, sees the error summary,
corrects it and finds the case; an agency reporter follows a request's link, sees conditional
questions appear, submits, and can open nothing else."""

import re

from playwright.sync_api import expect

from tests.functional.conftest import sign_in


def _fill_notification(page, nhs_number):
    page.get_by_label("NHS number", exact=True).fill(nhs_number)
    page.get_by_label("Given name(s)").fill("Ben")
    page.get_by_label("Family name").fill("Sample")
    page.get_by_label("Date of birth").fill("10/01/2025")
    page.get_by_role("group", name="Sex").get_by_label("Male", exact=True).check()
    page.get_by_label("Ethnicity").select_option(label="White - British")
    page.get_by_label("Home postcode", exact=True).fill("TS1 1AA")
    page.get_by_label("Date of death").fill("02/06/2025")
    page.get_by_label("Place of death", exact=True).select_option(label="Home of normal residence")
    page.get_by_role("group", name="Was the death expected or unexpected?").get_by_label(
        "Unexpected"
    ).check()
    page.get_by_role("group", name="Was a Joint Agency Response (JAR) triggered?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("group", name="Is this a suspected stillbirth at home?").get_by_label(
        "No"
    ).check()
    page.get_by_label("Sudden unexpected death in infancy (SUDI)").check()
    page.get_by_label("Summary of the circumstances of the death").fill("Found unresponsive.")
    page.get_by_label("Hospital or acute health trust").check()


def test_a_cdop_user_notifies_a_death_correcting_a_mistake(portal, page):
    url, facts = portal
    sign_in(page, url, "tees-admin", facts["password"])
    page.get_by_role("link", name="Notify a death").click()
    jar = page.locator("#q-jar_triggered")
    expect(jar).to_be_hidden()  # shown by the page's script only for an unexpected death
    page.get_by_role("group", name="Was the death expected or unexpected?").get_by_label(
        "Expected", exact=True
    ).check()
    expect(jar).to_be_hidden()
    _fill_notification(page, "1234567890")
    expect(jar).to_be_visible()
    page.get_by_role("button", name="Notify the death").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible() and "There is a problem" in summary.inner_text()
    assert "fails the check digit" in summary.inner_text()
    assert "fails the check digit" in page.locator("#f-nhs_number-error").inner_text()
    assert page.get_by_label("Family name").input_value() == "Sample"  # kept
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "f-nhs_number"
    page.get_by_label("NHS number", exact=True).fill("943 476 5870")
    page.get_by_role("button", name="Notify the death").click()

    heading = page.get_by_role("heading", name=re.compile(r"^Case CD-"))
    expect(heading).to_be_visible()
    reference = heading.inner_text().removeprefix("Case ")
    assert f"Death notified as case {reference}" in page.content()
    page.get_by_role("link", name="Cases").first.click()
    page.get_by_label("Case reference").fill(reference)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()


def test_an_agency_reporter_follows_the_link_and_can_open_nothing_else(portal, page):
    url, facts = portal
    page.goto(f"{url}{facts['request_link']}")
    page.get_by_role("button", name="Sign in and open the form").click()
    expect(page.get_by_role("heading", name="Child death reporting form")).to_be_visible()
    assert page.get_by_label("Name of your agency").input_value() == "Tees Hospital"
    form_url = page.url

    details = page.locator("#q-bereavement_support_details")
    expect(details).to_be_hidden()
    bereavement = page.get_by_role("group", name="Was bereavement support offered to the family?")
    bereavement.get_by_label("Yes").check()
    expect(details).to_be_visible()
    page.get_by_label("Details of the bereavement support offered").fill("Key worker offered.")
    page.get_by_role("button", name="Save as draft").click()
    assert "Draft saved" in page.content()

    for path in ["/", "/cases/", f"/cases/{facts['tees_case']}/", "/notify/", "/requests/"]:
        response = page.goto(f"{url}{path}")
        if path == "/":
            assert page.url == form_url  # home leads to the one form
        else:
            assert response.status == 404, path

    page.goto(form_url)
    page.get_by_label("Summary of your agency's involvement with the child and family").fill(
        "Seen in the emergency department."
    )
    page.get_by_role("button", name="Submit").click()
    assert "This form was submitted" in page.content()
