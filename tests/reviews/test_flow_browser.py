"""The whole review flow in a real browser, on the demo (issue 5, « Done means »).

The État's reviewer (the préfet's delegate) opens the call's queue, filters on Anduze, opens the Maison des jeunes'
application, confirms the objective the engine ranks first and gives the État's opinion with a modified amount; the
project lead puts it on the agenda of the second committee session, records the État's grant and the Département's
refusal, and closes the session (which notifies the applicant); the association sees the decision on its
application's page; the programme XLSX opens with openpyxl with the Anduze lines and totals equal to the sum of the
lines; the État's SCDL file passes the schema's rules and holds the Anduze grant.
"""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from quartiers.applications.models import Application, Status
from quartiers.programme.exports import HEADERS
from quartiers.programme.scdl import validate_scdl
from quartiers.reviews.models import Assessment, ConfirmedMatch, Decision, Opinion, Outcome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "quartiers-demo-2026"
TITLE = "Soirées jeunes du vendredi au centre ancien"
ETAT = "Préfecture du Gard — État, BOP 147 « Politique de la ville »"
ETAT_SIRET = "17300001900013"
DEPARTEMENT = "Département du Gard"
SESSION = "Comité de programmation — seconde vague"
NBSP = "[\\s\u00a0\u202f]"  # the spaces French number formats put in amounts


def _sign_in(page, live_server, username, next_url=""):
    page.goto(f"{live_server.url}/connexion/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def _sign_out(page):
    page.get_by_role("button", name="Se déconnecter").first.click()


def _euros(amount: int) -> re.Pattern:
    thousands, units = divmod(amount, 1000)
    return re.compile(rf"{thousands}{NBSP}{units:03d},00{NBSP}€" if thousands else rf"{units},00{NBSP}€")


def test_from_the_queue_to_the_open_data(page, live_server, demo_reviews, tmp_path, mailoutbox):
    page.set_default_timeout(30_000)
    anduze = Application.objects.get(call__slug="ales-2027", title=TITLE)
    assert anduze.status == Status.ADMISSIBLE and not ConfirmedMatch.objects.filter(application=anduze).exists()

    # --- the préfet's delegate reviews for the État ------------------------------------------------------------
    _sign_in(page, live_server, "delegue-prefet", next_url="/gestion/appels/ales-2027/instruction/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Instruction des demandes")
    quartier = page.get_by_label("Quartier", exact=True)
    anduze_option = quartier.locator("option", has_text="Anduze")
    assert anduze_option.get_attribute("value") == "QN03002M"
    quartier.select_option(value="QN03002M")
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"quartier=QN03002M"))
    table = page.get_by_role("table", name=re.compile("^Demandes de l'appel"))
    expect(table.get_by_role("row")).to_have_count(2)  # the header and the one Anduze application
    row = table.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Maison des jeunes d'Anduze")
    expect(row).to_contain_text("à confirmer")
    row.get_by_role("link", name=anduze.reference).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Instruction du dossier {anduze.reference}")
    # the engine's first suggestion: the first « Confirmer » button, whose name carries the objective
    confirm = page.get_by_role("button", name=re.compile("^Confirmer l'objectif « ")).first
    suggested = re.fullmatch(r"Confirmer l'objectif « (.+) »", " ".join(confirm.inner_text().split())).group(1)
    confirm.click()
    expect(page.get_by_role("status").first).to_contain_text(f"Rattachement confirmé : « {suggested} »")
    expect(page.locator("#rattachement-confirme")).to_contain_text(suggested)
    expect(page.locator("#rattachement-confirme")).to_contain_text("proposé au rang 1 par le moteur")

    etat = anduze.call.call_funders.get(funder__siret=ETAT_SIRET).funder
    block = page.get_by_role("region", name=etat.name)
    block.get_by_label("Avis", exact=True).select_option(label="favorable avec un montant modifié")
    block.get_by_label("Montant proposé (€)").fill("6 500")
    block.get_by_label("Commentaire").fill("Action attendue par la ville ; le poste repas peut être réduit.")
    block.get_by_role("button", name=f"Enregistrer l'avis de {ETAT}").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Avis de {ETAT} enregistré.")
    block = page.get_by_role("region", name=etat.name)
    expect(block.locator(".q-opinion")).to_have_text("favorable avec un montant modifié")
    expect(block.locator(".q-proposed")).to_have_text(_euros(6500))
    page.get_by_role("button", name="Marquer comme instruite").click()
    expect(page.get_by_role("status").first).to_have_text("La demande est marquée comme instruite : elle peut passer "
                                                         "en comité.")
    expect(page.locator("#statut")).to_have_text("Statut : instruite")

    match = ConfirmedMatch.objects.get(application=anduze)
    assert match.suggested_rank == 1 and match.confirmed_by.username == "delegue-prefet"
    assert match.neighbourhood_code == "QN03002M"
    assessment = Assessment.objects.get(application=anduze, funder=etat)
    assert (assessment.opinion, assessment.proposed_amount) == (Opinion.FAVOURABLE_MODIFIED, Decimal("6500"))
    _sign_out(page)

    # --- the project lead runs the committee -------------------------------------------------------------------
    _sign_in(page, live_server, "cheffe-de-projet", next_url="/gestion/appels/ales-2027/comite/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comité de programmation")
    page.get_by_role("link", name=SESSION).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SESSION)
    page.get_by_label(re.compile(rf"^{anduze.reference} — ")).check(force=True)
    page.get_by_role("button", name="Ajouter les dossiers cochés").click()
    expect(page.get_by_text("1 dossier(s) ajouté(s) à l'ordre du jour.")).to_be_visible()

    item_name = f"1. {anduze.reference} — {TITLE}"
    item = page.get_by_role("article", name=item_name)
    expect(item).to_contain_text(suggested)  # the confirmed objective, shown to the committee
    funders_table = item.get_by_role("table", name=f"Financeurs sollicités pour le dossier {anduze.reference}")
    expect(funders_table.get_by_role("row").filter(has_text=ETAT)).to_contain_text("favorable avec un montant modifié")
    form = item.get_by_role("group", name=f"Décision de {ETAT} — dossier {anduze.reference}")
    form.get_by_label("Accordée").check(force=True)
    form.get_by_label("Montant accordé (€)").fill("6 500")
    form.get_by_label("Conditions", exact=True).fill("Bilan de fréquentation à la fin de l'année scolaire.")
    form.get_by_label("Date de la décision").fill("2027-02-09")
    form.get_by_label("Référence de l'acte (délibération, arrêté)").fill("CP-20270209-0006")
    form.get_by_role("button", name=f"Enregistrer la décision de {ETAT}").click()
    item = page.get_by_role("article", name=item_name)
    expect(item.get_by_text(f"Décision de {ETAT} enregistrée : accordée.")).to_be_visible()
    expect(funders_table.get_by_role("row").filter(has_text=ETAT).get_by_role("cell").last).to_contain_text(
        _euros(6500))

    departement = anduze.call.call_funders.get(funder__kind="departement").funder
    form = item.get_by_role("group", name=f"Décision de {DEPARTEMENT} — dossier {anduze.reference}")
    form.get_by_label("Refusée").check(force=True)
    form.get_by_label("Motif du refus").fill("Enveloppe départementale de la jeunesse déjà engagée pour 2027.")
    form.get_by_role("button", name=f"Enregistrer la décision de {DEPARTEMENT}").click()
    item = page.get_by_role("article", name=item_name)
    expect(item.get_by_text(f"Décision de {DEPARTEMENT} enregistrée : refusée.")).to_be_visible()
    expect(item.get_by_role("definition").filter(has_text=re.compile("^votée$"))).to_have_count(1)  # État : votée

    page.get_by_role("button", name="Clore la séance et notifier les porteurs").click()
    expect(page.get_by_text(re.compile(r"La séance est close : ses décisions ne se modifient plus\. 1 porteur"))
           ).to_be_visible()

    anduze.refresh_from_db()
    assert anduze.status == Status.DECIDED
    decisions = {d.funder_id: d for d in Decision.objects.filter(application=anduze)}
    assert (decisions[etat.pk].outcome, decisions[etat.pk].amount) == (Outcome.GRANTED, Decimal("6500"))
    assert decisions[departement.pk].outcome == Outcome.REFUSED
    assert all(d.notified_at for d in decisions.values())
    [mail] = [m for m in mailoutbox if "mj-anduze@quartiers.localhost" in m.to]
    assert mail.subject == f"Décision sur votre demande de subvention — dossier {anduze.reference}"
    assert re.search(rf"{re.escape(ETAT)} : subvention accordée de {_euros(6500).pattern}", mail.body)
    assert f"{DEPARTEMENT} : demande refusée" in mail.body
    letter_url = re.search(r"https?://\S+", mail.body).group(0)

    # the programme, as the lead downloads it from the programme page
    page.goto(f"{live_server.url}/gestion/appels/ales-2027/programmation/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Programmation au format XLSX").click()
    download = download_info.value
    assert download.suggested_filename == "programmation-ales-2027.xlsx"
    download.save_as(tmp_path / download.suggested_filename)
    workbook = load_workbook(tmp_path / download.suggested_filename)
    sheet = workbook["Programmation"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    col = {h: i for i, h in enumerate(HEADERS)}
    data = [r for r in rows[1:] if str(r[0]).startswith("ALES-2027-")]
    totals = {r[0]: r for r in rows[1 + len(data):]}
    mine = {r[col["Financeur"]]: r for r in data if r[col["Numéro de dossier"]] == anduze.reference}
    assert set(mine) == {ETAT, DEPARTEMENT}
    line = mine[ETAT]
    assert (line[col["Action"]], line[col["Structure"]], line[col["Quartiers (codes QPV)"]]) == (
        TITLE, "Maison des jeunes d'Anduze", "QN03002M")
    assert line[col["Objectif confirmé"]] == suggested
    assert (line[col["SIRET du financeur"]], line[col["Avis"]], line[col["Statut"]]) == (
        ETAT_SIRET, "favorable avec un montant modifié", "votée")
    assert (line[col["Montant demandé"]], line[col["Montant proposé"]], line[col["Montant accordé"]]) == (
        7000, 6500, 6500)
    assert line[col["Date de la décision"]].date() == date(2027, 2, 9)
    assert (mine[DEPARTEMENT][col["Montant demandé"]], mine[DEPARTEMENT][col["Montant accordé"]]) == (3000, 0)
    granted = sum(r[col["Montant accordé"]] or 0 for r in data)
    assert totals["Total"][col["Montant accordé"]] == pytest.approx(granted)
    assert totals["Total"][col["Montant demandé"]] == pytest.approx(sum(r[col["Montant demandé"]] for r in data))
    assert granted == pytest.approx(float(sum(d.amount for d in Decision.objects.filter(
        application__call=anduze.call, outcome=Outcome.GRANTED))))
    etat_granted = sum(r[col["Montant accordé"]] or 0 for r in data if r[col["Financeur"]] == ETAT)
    assert totals[f"Total — {ETAT}"][col["Montant accordé"]] == pytest.approx(etat_granted)
    assert etat_granted == 26000 + 6000 + 5000 + 6500  # the demo's three État grants of the first wave, and ours

    # the État's open-data file
    response = page.request.get(f"{live_server.url}/gestion/appels/ales-2027/programmation/scdl/{ETAT_SIRET}.csv")
    assert response.status == 200
    text = response.body().decode("utf-8")
    assert validate_scdl(text) == []
    lines = list(csv.DictReader(io.StringIO(text, newline="")))
    grant = next(x for x in lines if x["objet"] == TITLE)
    assert (grant["idAttribuant"], grant["nomBeneficiaire"], grant["idBeneficiaire"], grant["montant"]) == (
        ETAT_SIRET, "Maison des jeunes d'Anduze", "85678901100017", "6500.00")
    assert (grant["dateConvention"], grant["referenceDecision"], grant["rnaBeneficiaire"]) == (
        "2027-02-09", "CP-20270209-0006", "W302007890")
    assert len(lines) == 4  # the three État grants of the first wave, and ours
    assert all(x["idAttribuant"] == ETAT_SIRET for x in lines)
    _sign_out(page)

    # --- the association sees the decision ---------------------------------------------------------------------
    _sign_in(page, live_server, "mj-anduze@quartiers.localhost", next_url="/demandes/")
    page.get_by_role("link", name=TITLE).click()
    decisions_table = page.get_by_role("table", name="Décision de chaque financeur sur votre demande")
    etat_row = decisions_table.get_by_role("row").filter(has_text=ETAT)
    expect(etat_row).to_contain_text("Accordée")
    expect(etat_row).to_contain_text(_euros(6500))
    expect(etat_row).to_contain_text("Bilan de fréquentation à la fin de l'année scolaire.")
    departement_row = decisions_table.get_by_role("row").filter(has_text=DEPARTEMENT)
    expect(departement_row).to_contain_text("Refusée")
    expect(departement_row).to_contain_text("Enveloppe départementale de la jeunesse déjà engagée pour 2027.")
    page.get_by_role("link", name="Lire et imprimer la lettre de décision").click()
    assert page.url == letter_url  # the same letter as the e-mail's link
    expect(page).to_have_title(f"Lettre de décision — dossier {anduze.reference} — Quartiers")
    expect(page.get_by_role("row").filter(has_text=ETAT)).to_contain_text(_euros(6500))
    expect(page.get_by_text(re.compile(r"Une subvention de .* vous est accordée"))).to_contain_text(_euros(6500))
