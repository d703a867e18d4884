"""In a real browser: the project lead puts the reviewed applications on the agenda, records a grant, and the
totals at the top of the session update without reloading the page (htmx)."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.reviews.test_committee_data import fast_password_hasher, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_lead_records_a_grant_and_the_totals_update(page, live_server, world):  # noqa: F811
    w = world
    page.set_default_timeout(30_000)
    _sign_in(page, live_server, w.lead)
    page.goto(f"{live_server.url}/gestion/appels/{w.call.slug}/comite/")
    page.get_by_role("link", name="Comité de programmation du 12 février 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comité de programmation du 12 février 2027")
    page.get_by_role("button", name="Ajouter tous les dossiers instruits").click()
    expect(page.get_by_text("2 dossier(s) instruit(s) ajouté(s) à l'ordre du jour.")).to_be_visible()

    etat_total = page.locator(f"#total-{w.etat.pk}")
    expect(etat_total.locator("td").nth(3)).to_have_text(re.compile(r"^0,00"))
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    form = page.locator("form.q-decision-form").filter(
        has_text="Décision de État – Préfecture du Gard (BOP 147) — dossier ALES-2027-0002")
    form.get_by_label("Accordée").check(force=True)
    form.get_by_label("Montant accordé (€)").fill("6 000")
    form.get_by_label("Conditions", exact=True).fill("Bilan intermédiaire en juin.")
    form.get_by_role("button", name="Enregistrer la décision de État").click()

    item = page.locator(f"#dossier-{w.anduze.pk}")
    expect(item.get_by_text("Décision de État – Préfecture du Gard (BOP 147) enregistrée : accordée.")).to_be_visible()
    expect(etat_total.locator("td").nth(3)).to_have_text(re.compile(r"^6\s000,00\s€$"))
    expect(etat_total.locator("td").nth(4)).to_have_text(re.compile(r"^29\s000,00\s€$"))
    assert page.evaluate("window.__sameDocument") is True
    expect(page.locator(f"#decision-{w.anduze.pk}-{w.etat.pk}")).to_contain_text("Accordée : 6")
