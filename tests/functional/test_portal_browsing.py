"""A CDOP user signs in, finds a case in the list, opens it, its identifiers and its history;
another CDOP's user cannot reach it."""

from playwright.sync_api import expect

from tests.functional.conftest import sign_in


def test_cdop_user_browses_a_case(portal, page):
    url, facts = portal
    sign_in(page, url, "tees-admin", facts["password"])
    assert "You are signed in as a cdop administrator for Tees CDOP" in page.content()
    page.get_by_role("link", name="Cases").first.click()
    page.get_by_label("Case reference").fill(facts["tees_case"])
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name=facts["tees_case"]).click()
    expect(page.get_by_role("heading", name=f"Case {facts['tees_case']}")).to_be_visible()
    expect(page.get_by_text("Found unresponsive in the morning")).to_be_visible()
    page.get_by_role("link", name="Show the child's identifiers").click()
    expect(page.get_by_text("9434765919")).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="History of this case").click()
    expect(page.get_by_role("cell", name="Viewed the child's identifiers")).to_be_visible()


def test_another_cdop_gets_not_found(portal, page):
    url, facts = portal
    sign_in(page, url, "durham-admin", facts["password"])
    response = page.goto(f"{url}/cases/{facts['tees_case']}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


def test_wrong_password_shows_the_error_summary(portal, page):
    url, _ = portal
    sign_in(page, url, "tees-admin", "not the password")
    summary = page.locator(".nhsuk-error-summary")
    assert summary.is_visible() and "There is a problem" in summary.inner_text()
