"""« Quelle priorité pour mon projet ? » in a real browser: with and without JavaScript."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Visites de convivialité aux personnes âgées isolées"
DESCRIPTION = ("Des bénévoles rendent visite chaque semaine aux personnes âgées isolées du centre-ville pour "
               "rompre la solitude et les orienter vers les services.")


def test_results_update_as_one_types(page, live_server, demo_data):
    page.goto(f"{live_server.url}/quelle-priorite/?contrat=ales")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quelle priorité pour mon projet ?")
    page.get_by_label("Quartier prioritaire").select_option("QN03002M")
    page.get_by_label("Titre du projet").fill(TITLE)
    page.get_by_label("Description du projet").fill(DESCRIPTION)
    # No click: htmx posts the form after a pause in typing.
    results = page.locator("#resultats")
    expect(results.get_by_role("heading", level=4).first).to_contain_text("lutter contre l'isolement", timeout=20_000)
    expect(results.locator("mark").first).to_be_visible()


def test_form_works_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/quelle-priorite/?quartier=QN03001I")
    page.get_by_label("Titre du projet").fill("Dépistage du diabète")
    page.get_by_label("Description du projet").fill(
        "Journées de dépistage du diabète et de l'hypertension avec des médecins et infirmières."
    )
    page.get_by_role("button", name="Trouver les priorités").click()
    expect(page.get_by_text("Aucune priorité de ce quartier ne correspond")).to_be_visible()
    context.close()
