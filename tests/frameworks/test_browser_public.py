"""The public pages in a real browser, on the demo (the seed annex imported and published)."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ISOLATION = "Rendre acteurs les habitants et lutter contre l'isolement"


def test_from_home_to_anduze_then_search_isolation(page: Page, live_server, transactional_db, demo_data):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les priorités des quartiers prioritaires")

    # The home page lists the contract's neighbourhoods; go to Anduze.
    table = page.get_by_role("table", name=re.compile("Quartiers prioritaires du Contrat de ville de l.arrondissement"))
    expect(table.get_by_role("row")).to_have_count(5)  # a header and four neighbourhoods
    table.get_by_role("link", name="Anduze", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anduze")
    expect(page.get_by_text("QN03002M").first).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Lien social", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=3, name=ISOLATION)).to_be_visible()
    expect(page.get_by_role("navigation", name="vous êtes ici :")).to_contain_text("Anduze")

    # Search « isolement » from the neighbourhood page.
    search = page.get_by_role("search")
    search.get_by_label("Rechercher parmi les objectifs des quartiers").fill("isolement")
    search.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/recherche/\?q=isolement"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher dans les objectifs des quartiers")
    result = page.get_by_role("link", name=re.compile(r"^Rendre acteurs les habitants et lutter contre l.isolement"))
    expect(result).to_be_visible()
    expect(result.locator("mark")).to_have_text("isolement")
    expect(page.get_by_role("heading", level=2, name=re.compile(r"^Anduze"))).to_be_visible()

    # The result opens the objective's permanent page.
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ISOLATION)
    expect(page.get_by_label(re.compile("^Lien permanent"))).to_have_value(re.compile(r"/quartiers/QN03002M/objectifs/\w{12}/$"))
    expect(page.get_by_role("link", name="Copier le lien")).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/quartiers/QN03002M/", "/contrats/ales/", "/recherche/?q=jeunes"])
def test_public_pages_fit_a_phone_and_skip_to_the_search(page: Page, live_server, transactional_db, demo_data, path):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + path)

    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller à la recherche")
    skip.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#recherche-objectifs$"))
    expect(page.locator("#recherche-objectifs input").first).to_be_in_viewport()
