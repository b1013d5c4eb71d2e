"""A data access request walked through the browser: the researcher applies, the reviewer
assesses it against the Five Safes, approves it, builds an extract from a snapshot, sees it pass
the disclosure risk check and releases it; the researcher downloads it."""

import csv
import io
import zipfile

import pytest
from playwright.sync_api import expect

from tests.functional.conftest import serve_portal, sign_in

SAFES = ("projects", "people", "settings", "data", "outputs")


@pytest.fixture(scope="module")
def access_portal(tmp_path_factory):
    """The portal on its own database, seeded by tests/functional/seed_access.py."""
    yield from serve_portal(
        tmp_path_factory.mktemp("access-portal"), "tests.functional.seed_access"
    )


def as_user(browser, url, username, password):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, url, username, password)
    return context, page


def test_a_request_from_application_to_download(access_portal, browser):
    url, facts = access_portal
    password = facts["password"]

    # The researcher applies.
    context, page = as_user(browser, url, "researcher", password)
    page.get_by_role("link", name="Data access").click()
    page.get_by_role("link", name="Start a new application").click()
    page.get_by_label("Title of the project").fill("Infant deaths by sex")
    page.get_by_role("button", name="Start the application").click()
    page.get_by_label("Summary in plain English").fill("Whether infant deaths differ by sex.")
    page.get_by_label("Public benefit").fill("Better targeted safer sleep advice.")
    page.get_by_label("UK GDPR Article 6(1)(e) public task").check()
    page.get_by_label("Research ethics committee").fill("Example REC")
    page.get_by_label("Ethics approval reference").fill("25/EX/0001")
    page.get_by_label("Date of ethics approval").fill("2025-02-01")
    page.get_by_label("Not confidential patient information", exact=False).check()
    page.get_by_label("The national data opt-out").fill("Pseudonymised data only.")
    page.get_by_label("Sex", exact=True).check()
    page.get_by_label("Why you need it: Sex").fill("The comparison of boys and girls.")
    page.get_by_label("Age band at death", exact=True).check()
    page.get_by_label("Why you need it: Age band at death").fill("Infants only.")
    page.get_by_label("First date of death").fill("2025-04-01")
    page.get_by_label("Last date of death").fill("2025-12-31")
    page.get_by_label("Where the data will be held").fill("University TRE")
    page.get_by_label("The security of that setting").fill("DSPT standards met")
    page.get_by_label("Everyone who will see the data").fill("Rosa Researcher")
    page.get_by_label("Date you need the data until").fill("2099-12-31")
    page.get_by_role("button", name="Save and return to the request").click()
    expect(page.get_by_text("Your application is saved.")).to_be_visible()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text("The request is now submitted")).to_be_visible()
    reference = page.locator(".nhsuk-caption-l").text_content().split()[3].rstrip(",")
    context.close()

    # The reviewer assesses, approves, builds, checks and releases.
    context, page = as_user(browser, url, "reviewer", password)
    page.get_by_role("link", name="Data access").click()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Start the review").click()
    page.get_by_role("link", name="Assess against the Five Safes").click()
    for safe in SAFES:
        page.get_by_label(f"Met (safe {safe})", exact=True).check()
        page.get_by_label(f"Notes on safe {safe}").fill(f"Safe {safe}: satisfied.")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("5 assessments saved.")).to_be_visible()
    page.get_by_role("link", name="Approve").click()
    page.get_by_label("Conditions").fill("Outputs checked before publication.")
    page.get_by_label("Reasons for the decision").fill("A sound and beneficial study.")
    page.get_by_role("button", name="Approve with conditions").click()
    expect(page.get_by_text("The request is approved.")).to_be_visible()
    page.get_by_role("link", name="Build an extract").click()
    page.get_by_role("button", name="Build the extract and check its risk").click()
    expect(page.get_by_text("Passed.")).to_be_visible()
    expect(page.get_by_text("SHA-256 of data.csv")).to_be_visible()
    page.get_by_role("button", name="Release the extract").click()
    expect(page.get_by_text("released to the applicant")).to_be_visible()
    context.close()

    # The researcher downloads the extract.
    context, page = as_user(browser, url, "researcher", password)
    page.goto(f"{url}/access/{reference}/")
    expect(page.get_by_text("Data released", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download extract").click()
    path = download.value.path()
    with zipfile.ZipFile(path) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("data.csv").decode())))
        assert "Data description" in archive.read("data-description.md").decode()
    assert len(rows) == 12
    assert list(rows[0]) == ["pseudonym", "age_band", "notification__sex"]
    context.close()
