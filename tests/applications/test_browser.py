"""Two journeys in a real browser: an association applies from sign-up to receipt, and a school-time slot of an
Alès education action is flagged on the form."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.applications.conftest import PASSWORD
from tests.applications.factories import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _saved(page):
    expect(page.locator("#autosave-status")).to_contain_text("Brouillon enregistré", timeout=30_000)


def test_association_applies_from_sign_up_to_receipt(page, live_server, call):
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/inscription/")
    page.get_by_label("Adresse électronique").fill("nadia.benali@cevennes-jeunesse.fr")
    page.get_by_label("Prénom").fill("Nadia")
    page.get_by_label("Nom", exact=True).fill("Benali")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre adresse électronique")
    link = re.search(r"https?://\S+/inscription/confirmer/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_text("Votre adresse est confirmée")).to_be_visible()

    page.get_by_role("link", name="Créer la fiche de ma structure").click()
    page.get_by_label("Dénomination").fill("Association Cévennes Jeunesse")
    page.get_by_label("Numéro SIRET").fill("813 245 677 00015")  # wrong key first
    page.get_by_label("Numéro RNA").fill("W301000123")
    page.get_by_label("Adresse du siège").fill("12 rue du Luxembourg")
    page.get_by_label("Code postal").fill("30140")
    page.get_by_label("Commune").fill("Anduze")
    page.get_by_label("Représentant légal (prénom et nom)").fill("Nadia Benali")
    page.get_by_role("button", name="Enregistrer la structure").click()
    expect(page.get_by_text("clé de contrôle")).to_be_visible()
    page.get_by_label("Numéro SIRET").fill("813 245 677 00014")
    page.get_by_role("button", name="Enregistrer la structure").click()
    expect(page.get_by_text("vous en êtes l'administrateur")).to_be_visible()

    page.get_by_role("link", name="Nouvelle demande").click()
    page.get_by_role("button", name="Commencer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande de subvention — brouillon")
    page.get_by_label("Intitulé de l'action").fill("Les soirées et samedis du local jeunes")
    page.get_by_label("Besoin auquel répond l'action").fill(
        "Les 12-17 ans du centre-ville d'Anduze n'ont aucun lieu ouvert le soir ni le week-end.")
    page.get_by_label("Objectifs de l'action").fill("Ouvrir un accueil encadré en soirée et le samedi.")
    page.get_by_label("Description de l'action").fill(
        "Ouverture du local jeunes le vendredi soir et le samedi après-midi pour les adolescents : activités "
        "sportives et culturelles, sorties pendant les vacances scolaires, projets portés par les jeunes.")
    page.get_by_label(re.compile(r"\(QN03002M\)")).check(force=True)
    page.get_by_label("Lieux de réalisation").fill("Local jeunes, rue du Luxembourg, Anduze")
    page.get_by_label("Date de début").fill("2027-01-08")
    page.get_by_label("Date de fin").fill("2027-12-18")
    page.get_by_label("Type du créneau 1").select_option("evening")
    page.get_by_label("Jour du créneau 1").select_option("friday")
    page.get_by_label("Début du créneau 1").fill("18:00")
    page.get_by_label("Fin du créneau 1").fill("21:00")
    page.get_by_label("femmes, 11 à 14 ans", exact=True).fill("12")
    page.get_by_label("femmes, 11 à 14 ans, dont habitants d'un QPV").fill("9")
    page.get_by_label("hommes, 15 à 17 ans", exact=True).fill("14")
    page.get_by_label("hommes, 15 à 17 ans, dont habitants d'un QPV").fill("10")
    page.get_by_label("Moyens humains et matériels").fill("Un animateur BPJEPS à mi-temps, deux bénévoles.")
    page.get_by_label("Indicateur 1", exact=True).fill("Jeunes accueillis")
    page.get_by_label("Valeur cible de l'indicateur 1").fill("50")
    page.get_by_label("64 – charges de personnel").fill("15 000")
    page.get_by_label("62 – autres services extérieurs").fill("2 400")
    page.get_by_label("État – Préfecture du Gard (BOP 147)").fill("6 500")
    page.get_by_label("Commune d'Anduze").fill("4 500")
    page.get_by_label("75 – autres produits de gestion courante (cotisations, dons)").fill("5 500")
    # The total updates as one types, before the server confirms it.
    expect(page.locator('[data-total="charges"]')).to_have_text("17\u202f400,00\u00a0€")
    page.get_by_label(re.compile("J'atteste")).check(force=True)
    _saved(page)

    # Suggested objectives, with the engine's evidence; tick the one the action pursues.
    suggestions = page.locator("#objectifs-suggestions")
    youth = suggestions.get_by_label(re.compile("Soutenir les activités spécifiquement dédiées"))
    expect(suggestions.locator("label", has_text="Soutenir les activités spécifiquement dédiées")).to_be_visible()
    expect(suggestions.get_by_text("Pourquoi cet objectif ?").first).to_be_visible()
    youth.check(force=True)
    _saved(page)

    # The budget is not balanced (17 400 € of charges, 16 500 € of income): a blocking finding, linked to its field.
    findings = page.locator("#verifications")
    unbalanced = findings.locator('[data-code="BUDGET_UNBALANCED"]')
    expect(unbalanced).to_be_visible()
    expect(findings.locator('[data-code="DOCUMENT_MISSING"]').first).to_be_visible()
    page.get_by_label("70 – ventes de produits finis, prestations de services").fill("900")
    _saved(page)
    expect(unbalanced).to_have_count(0)
    expect(page.locator("#cost-per-beneficiary")).to_have_text("669,23\u00a0€")

    for doc_type, name in (("statutes", "statuts.pdf"), ("bank_details", "rib.pdf")):
        page.locator("#doc-type").select_option(doc_type)
        page.locator("#doc-file").set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}])
        page.get_by_role("button", name="Ajouter la pièce").click()
        expect(page.get_by_text(f"Pièce « {name} » ajoutée")).to_be_visible()
    expect(page.locator("#verifications")).to_contain_text("Aucun point bloquant")

    page.get_by_role("link", name="Déposer la demande").click()
    page.get_by_role("button", name="Confirmer le dépôt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Récépissé de dépôt")
    expect(page.locator("#reference")).to_have_text("ALES-2027-0001")
    assert "ALES-2027-0001" in mail.outbox[-1].subject


def test_school_time_slot_in_ales_education_is_flagged(page, live_server, call, organisation):
    from quartiers.applications.models import Role
    from quartiers.applications.services import application_create

    admin = organisation.memberships.get(role=Role.ADMINISTRATOR).user
    app = application_create(call=call, organisation=organisation, user=admin, content={
        "title": "Aide aux devoirs à Rochebelle",
        "description": ("Soutien scolaire et aide aux devoirs pour prévenir le décrochage scolaire des enfants en "
                        "difficulté d'apprentissage de la langue française."),
        "neighbourhoods": ["QN03001I"]})
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/connexion/?next=/demandes/{app.pk}/")
    page.get_by_label("Identifiant").fill(admin.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.locator("#objectifs-suggestions").get_by_label(re.compile("Prévenir le décrochage scolaire")).check(force=True)
    page.get_by_label("Type du créneau 1").select_option("out_of_school_time")
    page.get_by_label("Jour du créneau 1").select_option("tuesday")
    page.get_by_label("Début du créneau 1").fill("10:00")
    page.get_by_label("Fin du créneau 1").fill("12:00")
    _saved(page)
    finding = page.locator('#verifications [data-code="CONSTRAINT_VIOLATED"]')
    expect(finding).to_contain_text("mardi 10h00–12h00 est sur le temps scolaire")
    expect(finding.get_by_role("link")).to_have_attribute("href", "#slot-0")

    # The session expires while the applicant types: the text is kept in the browser, restored and saved once
    # they are logged in again.
    from django.contrib.sessions.models import Session

    from quartiers.applications.models import Application

    Session.objects.all().delete()
    page.get_by_label("Intitulé de l'action").fill("Aide aux devoirs à Rochebelle et aux Prés Saint-Jean")
    expect(page.locator("#autosave-status")).to_contain_text("Votre session a expiré", timeout=30_000)
    assert Application.objects.get(pk=app.pk).title == "Aide aux devoirs à Rochebelle"
    page.get_by_role("link", name="Reconnectez-vous").click()
    page.get_by_label("Identifiant").fill(admin.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#restored-notice")).to_be_visible()
    expect(page.get_by_label("Intitulé de l'action")).to_have_value("Aide aux devoirs à Rochebelle et aux Prés Saint-Jean")
    _saved(page)
    assert Application.objects.get(pk=app.pk).title == "Aide aux devoirs à Rochebelle et aux Prés Saint-Jean"
