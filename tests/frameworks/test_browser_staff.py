"""The staff import flow in a real browser: sign in, import an annex, review it, correct it, publish it."""

import re

import pytest
from playwright.sync_api import Page, expect

from quartiers.frameworks.models import FrameworkVersion, ImportNote, Objective, VersionStatus

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-solide-2026"  # the staff_user fixture's

# A small annex in the seed's layout. Line 9 ends in a damaged sentence, as when a PDF is badly converted.
ANNEX = """ANNEXE 1

Projet de quartier / Commune d'Anduze Quartier prioritaire « Centre ancien »

Réussite scolaire et éducative

- Valoriser les parcours de réussite et l'exemplarité.
- Accompagner les parents : actions de soutien à la parentalité ; médiation écoles/familles.
- Lutter contre le décrochage scolaire : aide aux devoirs exploratoires. l'entrepreneuriat, actions de tutorat.

Les actions proposées doivent être menées hors-temps scolaire.

Parentalité

- Promouvoir les lieux d'accueil : actions d'écoute ; groupes de parole.
"""


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/connexion/?next=/gestion/referentiel/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gestion du référentiel des priorités")


def test_import_review_correct_and_publish(page: Page, live_server, transactional_db, staff_user, staff_contract,
                                           tmp_path):
    annex = tmp_path / "annexe-anduze.txt"
    annex.write_text(ANNEX, encoding="utf-8")
    sign_in(page, live_server.url, staff_user.username)

    # Import the annex.
    page.get_by_role("link", name="Importer une annexe", exact=True).click()
    page.get_by_label("Contrat de ville").select_option(label=staff_contract.name)
    page.get_by_label("Annexe des projets de quartier").set_input_files(annex)
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Version 1 du référentiel")
    expect(page.get_by_role("status").first).to_contain_text("a été importée")
    version = FrameworkVersion.objects.get(contract=staff_contract)
    assert version.status == VersionStatus.DRAFT

    # Each warning is shown with the numbered source lines around it, its own line highlighted.
    note = ImportNote.objects.get(version=version, line=9)
    alert = page.locator(f"#avertissement-{note.pk}")
    expect(alert).to_contain_text(f"ligne {note.line}")
    expect(alert.locator("mark")).to_contain_text(f"{note.line} │")
    expect(alert.get_by_role("group", name=f"Texte source autour de la ligne {note.line}")).to_be_visible()

    # Correct the text of the damaged objective.
    objective = Objective.objects.get(theme__section__version=version, first_line=9)
    item = page.locator(f"#objectif-{objective.pk}")
    expect(item.locator(f"#avertissement-{note.pk}")).to_be_visible()  # beside the objective it concerns
    item.get_by_text("Corriger cet objectif").click()
    item.get_by_role("link", name=re.compile("^Modifier le texte")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Corriger le texte d'un objectif")
    corrected = "Lutter contre le décrochage scolaire : tutorat ; aide aux devoirs."
    page.get_by_label("Texte de l'objectif").fill(corrected)
    page.get_by_role("button", name="Enregistrer le texte").click()
    expect(page.get_by_role("status").first).to_contain_text("Le texte de l'objectif est corrigé.")
    expect(page.locator(f"#objectif-{objective.pk}")).to_contain_text(corrected)

    # Publish, after confirming.
    page.get_by_role("link", name="Publier cette version").click()
    page.get_by_role("button", name="Confirmer la publication").click()
    expect(page.get_by_role("status").first).to_contain_text("La version 1 est publiée.")

    # The published version is read-only and shows the corrected text.
    expect(page.get_by_text("Publiée", exact=True).first).to_be_visible()
    expect(page.get_by_text(corrected)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Modifier le texte"))).to_have_count(0)
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert Objective.objects.filter(theme__section__version=version, text=corrected).exists()

    # The versions list shows it published.
    page.get_by_role("link", name="Gestion du référentiel").first.click()
    row = page.get_by_role("row", name=re.compile("Version 1"))
    expect(row).to_contain_text("Publiée")
