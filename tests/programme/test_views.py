import html
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from quartiers.applications.models import Status
from quartiers.programme.scdl import validate_scdl
from tests.programme.programme_helpers import SIRET_AGGLO, SIRET_STATE, make_application

TABLE = "programme:table"


def _url(name, *args):
    return reverse(name, args=["ales-2027", *args])


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_page_shows_the_table_with_french_amounts_and_totals(lead_client, prog_data):
    response = lead_client.get(_url(TABLE))
    assert response.status_code == 200
    page = _text(response)
    assert "<caption>Programmation de l'appel « Appel à projets 2027 »</caption>" in page
    assert '<th scope="col">Demandé</th>' in page and '<th scope="row">' in page
    assert "30\u202f000,00\u00a0€" in page and "25\u202f000,00\u00a0€" in page
    assert "Total (5 lignes, 3 subventions accordées, 1 convention)" in page
    assert "50\u202f500,00\u00a0€" in page  # total requested
    assert "Accueillir les adolescents le soir" in page and "non confirmé" in page
    assert "non décidé" in page
    assert "2027-004" not in page and "2027-005" not in page  # withdrawn and inadmissible
    assert "Totaux par financeur" in page
    for fmt in ("xlsx", "ods", "csv"):
        assert f'href="{_url("programme:export", fmt)}"' in page
    assert f'href="{_url("programme:scdl", SIRET_STATE)}?seuil=23000"' in page


def test_filters_by_funder_and_status(lead_client, prog_data):
    agglo = prog_data["agglo"]
    page = _text(lead_client.get(_url(TABLE), {"financeur": agglo.pk}))
    assert "financeur Alès Agglomération" in page
    assert "Préfecture du Gard (BOP 147)</td>" not in page
    assert "Total (2 lignes, 1 subvention accordée, 0 convention)" in page
    assert f'{_url("programme:export", "xlsx")}?financeur={agglo.pk}' in page

    page = _text(lead_client.get(_url(TABLE), {"statut": Status.REFUSED}))
    assert "demandes au statut « refusée »" in page and "Total (1 ligne, 0 subvention accordée" in page


def test_bad_filters_are_named_in_french_and_ignored(lead_client, prog_data):
    response = lead_client.get(_url(TABLE), {"financeur": "999999", "statut": "withdrawn"})
    page = _text(response)
    assert response.status_code == 200
    assert "Financeur : choisissez un financeur de l'appel dans la liste." in page
    assert "Statut de la demande : choisissez un statut dans la liste." in page
    assert "Total (5 lignes" in page
    response = lead_client.get(_url("programme:export", "csv"), {"financeur": "abc"})
    assert response.status_code == 400 and "Financeur" in response.content.decode()


def test_page_is_paginated_but_totals_cover_every_line(lead_client, prog_data, prog_orgs):
    for n in range(10, 110):
        make_application(prog_data["call"], prog_orgs[0], n, Status.REVIEWED, requests=[(prog_data["state"], "100")])
    page = _text(lead_client.get(_url(TABLE)))
    assert "page 1 sur 2" in page and "Total (105 lignes" in page and "2027-109" not in page
    page = _text(lead_client.get(_url(TABLE), {"page": 2}))
    assert "2027-109" in page and "Page précédente" in page


def test_page_query_count_does_not_grow(lead_client, prog_data, prog_orgs, django_assert_max_num_queries):
    call, state, agglo = prog_data["call"], prog_data["state"], prog_data["agglo"]
    for n in range(10, 70):
        make_application(call, prog_orgs[n % 2], n, Status.REVIEWED, requests=[(state, "1000"), (agglo, "500")])
    with django_assert_max_num_queries(20):
        assert lead_client.get(_url(TABLE)).status_code == 200
    with django_assert_max_num_queries(20):
        assert lead_client.get(_url("programme:export", "xlsx")).status_code == 200


def test_xlsx_download(lead_client, prog_data):
    response = lead_client.get(_url("programme:export", "xlsx"), {"financeur": prog_data["state"].pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="programmation-ales-2027-{SIRET_STATE}.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows] == ["Numéro de dossier", "2027-001", "2027-002", "Total"]


def test_unknown_format_call_or_funder_is_404(lead_client, prog_data):
    assert lead_client.get(_url("programme:export", "pdf")).status_code == 404
    assert lead_client.get(reverse(TABLE, args=["inconnu"])).status_code == 404
    assert lead_client.get(_url("programme:scdl", "00000000000000")).status_code == 404


def test_scdl_download(lead_client, prog_data):
    response = lead_client.get(_url("programme:scdl", SIRET_STATE))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="subventions-ales-2027-{SIRET_STATE}.csv"'
    text = response.content.decode()
    assert validate_scdl(text) == [] and text.count("\r\n") == 2
    above = lead_client.get(_url("programme:scdl", SIRET_AGGLO), {"seuil": "23 000"}).content.decode()
    assert above.count("\r\n") == 1  # header only: the Agglo's 8 000 € grant is below the threshold
    bad = lead_client.get(_url("programme:scdl", SIRET_STATE), {"seuil": "beaucoup"})
    assert bad.status_code == 400 and "Seuil : indiquez un montant en euros" in bad.content.decode()


# Every role × the table, the exports and the SCDL files of the État and of the Agglo.
ACCESS = {
    #               table  export scdl-État scdl-Agglo
    "project_lead": (200, 200, 200, 200),
    "reviewer": (200, 200, 403, 403),
    "funder_state": (200, 200, 200, 403),
    "funder_agglo": (200, 200, 403, 200),
    "committee": (200, 200, 403, 403),
    "observer": (200, 200, 403, 403),
    "resident": (403, 403, 403, 403),
    "applicant": (403, 403, 403, 403),
    "outsider": (403, 403, 403, 403),
}


@pytest.mark.parametrize("role", list(ACCESS))
def test_access_per_role(client, prog_users, role):
    client.force_login(prog_users[role])
    urls = (_url(TABLE), _url("programme:export", "ods"), _url("programme:scdl", SIRET_STATE),
            _url("programme:scdl", SIRET_AGGLO))
    codes = tuple(client.get(u).status_code for u in urls)
    assert codes == ACCESS[role]
    if 403 in codes:
        assert "Accès refusé" in _text(client.get(urls[codes.index(403)]))


def test_superuser_acts_as_project_lead(client, prog_data, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.org", "x"))
    assert client.get(_url("programme:scdl", SIRET_STATE)).status_code == 200


def test_anonymous_goes_to_login(client, prog_data):
    for url in (_url(TABLE), _url("programme:export", "csv"), _url("programme:scdl", SIRET_STATE)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))


def test_unknown_funder_is_not_revealed_to_outsiders(client, prog_users):
    client.force_login(prog_users["outsider"])
    assert client.get(_url("programme:scdl", "00000000000000")).status_code == 403


def test_funder_sees_only_its_own_scdl_links(client, prog_users):
    client.force_login(prog_users["funder_agglo"])
    page = _text(client.get(_url(TABLE)))
    assert _url("programme:scdl", SIRET_AGGLO) in page and _url("programme:scdl", SIRET_STATE) not in page
    client.force_login(prog_users["committee"])
    page = _text(client.get(_url(TABLE)))
    assert "Données ouvertes des subventions" not in page


@pytest.mark.parametrize("query", [{"page": "abc"}, {"page": "99999999999999999999"}, {"financeur": "abc"},
                                   {"financeur": "99999999999999999999"}, {"statut": "x" * 500}])
def test_bad_numbers_in_the_address_never_end_in_a_server_error(lead_client, prog_data, query):
    response = lead_client.get(_url(TABLE), query)
    assert response.status_code == 200
    if "financeur" in query:
        assert "Financeur : choisissez un financeur de l'appel dans la liste." in _text(response)
        export = lead_client.get(_url("programme:export", "xlsx"), query)
        assert export.status_code == 400 and "Financeur : choisissez" in export.content.decode()


@pytest.mark.parametrize("threshold", ["abc", "NaN", "sNaN", "Infinity", "-5", "1,2,3"])
def test_bad_threshold_is_a_french_message(lead_client, prog_data, threshold):
    response = lead_client.get(_url("programme:scdl", SIRET_STATE), {"seuil": threshold})
    assert response.status_code == 400
    assert "Seuil : indiquez un montant en euros positif" in response.content.decode()


def test_huge_threshold_is_refused_in_french_and_a_siret_that_is_no_number_is_404(lead_client, prog_data):
    huge = lead_client.get(_url("programme:scdl", SIRET_STATE), {"seuil": "1e999999999999999999"})
    assert huge.status_code == 400 and "Seuil : au plus 999 999 999 999 €." in huge.content.decode()
    below = lead_client.get(_url("programme:scdl", SIRET_STATE), {"seuil": "999999999999"})
    assert below.status_code == 200 and below.content.decode().count("\r\n") == 1  # no grant above it: the header
    assert lead_client.get(_url("programme:scdl", "abc")).status_code == 404
