"""A CDOP administrator opens the data quality dashboard, sees the funnel plot and an SPC chart,
and follows a worklist link to a form with a missing answer; another CDOP cannot reach it."""

from playwright.sync_api import expect

from tests.functional.conftest import sign_in


def test_dashboard_charts_and_worklist(portal, page):
    url, facts = portal
    sign_in(page, url, "tees-admin", facts["password"])
    page.get_by_role("link", name="Data quality").click()
    expect(page.get_by_role("heading", name="Tees CDOP")).to_be_visible()
    page.get_by_role("link", name="Ethnicity recorded").click()
    funnel = page.locator("figure svg[role=img]").first
    assert "Funnel plot" in funnel.locator("desc").text_content()
    spc = page.locator("figure svg[role=img]").nth(1)
    assert "Statistical process control chart of" in spc.locator("desc").text_content()
    page.get_by_role("link", name=facts["quality_missing_case"]).first.click()
    assert "/forms/notification/amend/" in page.url and page.url.endswith("#q-ethnicity")
    question = page.locator("#q-ethnicity")
    expect(question).to_be_visible()
    assert question.locator("select option:checked").text_content().strip() == "Not known"


def test_another_cdop_cannot_reach_the_worklist(portal, page):
    url, facts = portal
    sign_in(page, url, "durham-admin", facts["password"])
    response = page.goto(f"{url}/quality/CDOP001/ethnicity_recorded/")
    assert response.status == 404
    page.goto(f"{url}/quality/")
    expect(page.get_by_role("heading", name="Durham CDOP")).to_be_visible()
