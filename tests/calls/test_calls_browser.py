"""In a real browser: staff creates a call with two funders, opens it, and the public list shows it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from quartiers.calls.models import Call, CallStatus

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-solide-2026"  # the staff_user fixture's


def test_staff_creates_and_opens_a_call_then_the_public_sees_it(page: Page, live_server, transactional_db,
                                                                  staff_user, calls_version):
    base = live_server.url
    today = timezone.localdate()
    page.goto(f"{base}/connexion/?next=/gestion/appels/")
    page.get_by_label("Identifiant").fill(staff_user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gestion des appels à projets")

    page.get_by_role("link", name="Créer un appel à projets").click()
    page.get_by_label("Contrat de ville").select_option(label=calls_version.contract.name)
    page.get_by_label("Référentiel des priorités").select_option(index=1)
    page.get_by_label("Titre", exact=True).fill("Appel à projets de test")
    page.get_by_label("Identifiant court").fill("test-navigateur")
    page.get_by_label("Année des actions").fill(str(today.year + 1))
    page.get_by_label("Date d'ouverture").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Date de clôture").fill((today + timedelta(days=30)).isoformat())
    page.get_by_label("Type du financeur, ligne 1").select_option("etat_bop147")
    page.get_by_label("Nom du financeur, ligne 1").fill("Préfecture du Gard")
    page.get_by_label("SIRET du financeur, ligne 1").fill("173 000 019 00013")
    page.get_by_label("Enveloppe en euros, ligne 1").fill("120 000")
    page.get_by_label("Type du financeur, ligne 2").select_option("epci")
    page.get_by_label("Nom du financeur, ligne 2").fill("Alès Agglomération")
    page.get_by_label("SIRET du financeur, ligne 2").fill("200 066 918 00018")
    page.get_by_label("Enveloppe en euros, ligne 2").fill("80 000,50")
    page.locator("label[for=id_required_documents_0]").click()  # DSFR: the label covers the checkbox
    expect(page.get_by_label("Statuts à jour")).to_be_checked()
    page.get_by_role("button", name="Créer l'appel en brouillon").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Appel à projets de test")
    expect(page.get_by_role("status").first).to_contain_text("créé en brouillon")
    expect(page.get_by_text("200\u202f000,50\u00a0€")).to_be_visible()

    page.get_by_role("link", name="Ouvrir l'appel").click()
    page.get_by_role("button", name="Confirmer l'ouverture").click()
    expect(page.get_by_role("status").first).to_contain_text("est ouvert")
    assert Call.objects.get(slug="test-navigateur").status == CallStatus.OPEN

    page.goto(f"{base}/appels/")
    page.get_by_role("link", name="Appel à projets de test").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appel à projets de test")
    expect(page.get_by_role("link", name="Déposer une demande").first).to_have_attribute(
        "href", "/demandes/nouvelle/?appel=test-navigateur")
