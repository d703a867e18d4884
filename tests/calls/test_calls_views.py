import html
from decimal import Decimal
from unittest import mock

import pytest
from calls_helpers import SIRET_AGGLO, SIRET_STATE, paris
from django.urls import reverse

from quartiers.calls import services
from quartiers.calls.models import Call, CallStatus, Funder
from quartiers.engine.rules.checks import RULES


def _post_data(version, **overrides):
    data = {
        "contract": version.contract_id, "framework_version": version.pk, "title": "Appel à projets 2027",
        "slug": "ales-2027", "year": "2027", "opens_on": "2026-10-01", "opens_time": "09:00",
        "closes_on": "2027-01-15", "closes_time": "12:00", "description": "Pour les quartiers.",
        "required_documents": ["statutes", "bank_details"],
        "neighbourhoods": [n.pk for n in version.contract.neighbourhoods.all()],
        "min_qpv_share": "50", "max_public_share": "80", "weak_match_threshold": "0,2",
        "max_total_budget": "2000000",
        "funders-TOTAL_FORMS": "3", "funders-INITIAL_FORMS": "0", "funders-MIN_NUM_FORMS": "0",
        "funders-MAX_NUM_FORMS": "1000",
        "funders-0-kind": "etat_bop147", "funders-0-name": "Préfecture du Gard",
        "funders-0-siret": "173 000 019 00013", "funders-0-envelope": "120000",
        "funders-1-kind": "epci", "funders-1-name": "Alès Agglomération", "funders-1-siret": SIRET_AGGLO,
        "funders-1-envelope": "80000,50",
    }
    for rule in RULES:
        if rule.enabled_by_default:
            data[f"rule_{rule.code}_enabled"] = "on"
    data.update(overrides)
    return data


STAFF_URLS = ["calls:staff_calls", "calls:staff_call_create"]


@pytest.mark.parametrize("name", STAFF_URLS)
def test_anonymous_visitors_go_to_the_login_page(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/connexion/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("name", STAFF_URLS)
def test_non_staff_accounts_get_a_403_page(client, django_user_model, name):
    user = django_user_model.objects.create_user(username="asso", password="x")
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert "Accès refusé" in html.unescape(response.content.decode())


def test_non_staff_cannot_open_a_call(client, django_user_model, calls_ready):
    client.force_login(django_user_model.objects.create_user(username="asso", password="x"))
    response = client.post(reverse("calls:staff_call_open", args=[calls_ready.pk]))
    assert response.status_code == 403
    calls_ready.refresh_from_db()
    assert calls_ready.status == CallStatus.DRAFT


def test_staff_creates_a_call_with_two_funders(calls_staff_client, calls_version):
    response = calls_staff_client.get(reverse("calls:staff_call_create"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and page.count("<h1") == 1
    assert "Pièces demandées" in page and "SIRET valide (14 chiffres, clé de Luhn, exception La Poste)" in page
    response = calls_staff_client.post(reverse("calls:staff_call_create"), _post_data(calls_version))
    call = Call.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("calls:staff_call", args=[call.pk])
    assert call.opens_at == paris(2026, 10, 1, 9) and call.closes_at == paris(2027, 1, 15, 12)
    assert call.min_qpv_share == Decimal("0.5") and call.weak_match_threshold == Decimal("0.2")
    assert call.rule_settings == {}
    assert sorted(call.call_funders.values_list("envelope", flat=True)) == [Decimal("80000.50"), Decimal("120000")]
    page = html.unescape(calls_staff_client.get(response["Location"]).content.decode())
    assert "200\u202f000,50\u00a0€" in page and "Préfecture du Gard" in page and "173 000 019 00013" in page


def test_a_bad_siret_is_a_french_error_on_its_row_and_nothing_is_saved(calls_staff_client, calls_version):
    response = calls_staff_client.post(reverse("calls:staff_call_create"),
                                       _post_data(calls_version, **{"funders-1-siret": "20006691800019"}))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Ce numéro SIRET n'est pas valide : sa clé de contrôle est fausse." in page
    assert 'id="id_funders-1-siret-erreur"' in page
    assert not Call.objects.exists() and not Funder.objects.exists()


def test_bad_dates_envelopes_and_rules_are_french_errors(calls_staff_client, calls_version):
    data = _post_data(calls_version, closes_on="2026-09-30", **{"funders-0-envelope": "-10",
                                                               "rule_SIRET_INVALID_severity": "fatal"})
    response = calls_staff_client.post(reverse("calls:staff_call_create"), data)
    page = html.unescape(response.content.decode())
    assert "La clôture doit être postérieure à l'ouverture." in page
    assert "L'enveloppe ne peut pas être négative." in page
    assert "Gravité inconnue." in page
    assert not Call.objects.exists()


def test_a_duplicate_slug_is_refused_on_its_field(calls_staff_client, calls_ready):
    response = calls_staff_client.post(reverse("calls:staff_call_create"), _post_data(calls_ready.framework_version))
    assert response.status_code == 200
    assert 'id="id_slug-erreur"' in html.unescape(response.content.decode())
    assert Call.objects.count() == 1


def test_staff_changes_a_rule_and_the_funders(calls_staff_client, calls_ready):
    data = _post_data(calls_ready.framework_version, **{
        "funders-TOTAL_FORMS": "2", "funders-INITIAL_FORMS": "2", "funders-1-DELETE": "on",
        "rule_SINGLE_FUNDER_enabled": "", "rule_INDICATOR_MISSING_severity": "blocking"})
    del data["contract"]
    response = calls_staff_client.post(reverse("calls:staff_call_edit", args=[calls_ready.pk]), data)
    assert response.status_code == 302
    calls_ready.refresh_from_db()
    assert calls_ready.rule_settings == {"SINGLE_FUNDER": {"enabled": False, "severity": None},
                                         "INDICATOR_MISSING": {"enabled": True, "severity": "blocking"}}
    assert list(calls_ready.call_funders.values_list("funder__siret", flat=True)) == [SIRET_STATE]


def test_staff_opens_then_closes_a_call_with_confirmation(calls_staff_client, calls_ready, staff_user):
    with mock.patch("django.utils.timezone.now", return_value=paris(2026, 11, 1, 10)):  # before the deadline
        _open_then_close(calls_staff_client, calls_ready, staff_user)


def _open_then_close(calls_staff_client, calls_ready, staff_user):
    url = reverse("calls:staff_call_open", args=[calls_ready.pk])
    page = html.unescape(calls_staff_client.get(url).content.decode())
    assert "Confirmer l'ouverture" in page
    calls_ready.refresh_from_db()
    assert calls_ready.status == CallStatus.DRAFT
    response = calls_staff_client.post(url, {"why": "Lancement en réunion"}, follow=True)
    assert "est ouvert." in html.unescape(response.content.decode())
    calls_ready.refresh_from_db()
    assert calls_ready.status == CallStatus.OPEN
    # An open call is no longer edited: the edit page becomes the extension page.
    response = calls_staff_client.get(reverse("calls:staff_call_edit", args=[calls_ready.pk]))
    assert response["Location"] == reverse("calls:staff_call_extend", args=[calls_ready.pk])
    response = calls_staff_client.post(reverse("calls:staff_call_extend", args=[calls_ready.pk]),
                                       {"closes_on": "2027-01-10", "closes_time": "12:00"})
    assert "peut être repoussée, pas avancée" in html.unescape(response.content.decode())
    response = calls_staff_client.post(reverse("calls:staff_call_close", args=[calls_ready.pk]), {"why": ""},
                                       follow=True)
    assert "est clos." in html.unescape(response.content.decode())
    assert list(calls_ready.transitions.values_list("to_status", "by")) == [("open", staff_user.pk),
                                                                             ("closed", staff_user.pk)]


def test_opening_an_incomplete_call_explains_why(calls_staff_client, calls_draft):
    response = calls_staff_client.post(reverse("calls:staff_call_open", args=[calls_draft.pk]), follow=True)
    assert "aucun financeur n'a d'enveloppe" in html.unescape(response.content.decode())
    calls_draft.refresh_from_db()
    assert calls_draft.status == CallStatus.DRAFT


def test_public_pages_hide_drafts(client, calls_ready):
    assert client.get(reverse("calls:detail", args=[calls_ready.slug])).status_code == 404
    assert "Appel à projets 2027" not in html.unescape(client.get(reverse("calls:list")).content.decode())


def test_staff_list_shows_totals(calls_staff_client, calls_ready):
    services.call_open(call=calls_ready, now=paris(2026, 9, 1))
    page = html.unescape(calls_staff_client.get(reverse("calls:staff_calls")).content.decode())
    assert "Appel à projets 2027" in page and "200\u202f000,50\u00a0€" in page


def test_staff_detail_shows_rules_history_and_the_allowed_actions(calls_staff_client, calls_ready, staff_user):
    calls_ready.rule_settings = {"SINGLE_FUNDER": {"enabled": False, "severity": None}}
    calls_ready.save()
    services.call_open(call=calls_ready, by=staff_user, why="Lancement", now=paris(2026, 9, 1))
    page = html.unescape(calls_staff_client.get(reverse("calls:staff_call", args=[calls_ready.pk])).content.decode())
    assert page.count("<h1") == 1
    assert "brouillon → ouvert, par Équipe Contrat — Lancement" in page
    assert "réglée pour cet appel" in page
    assert "Clore l'appel" in page and "Repousser la clôture" in page and "Ouvrir l'appel" not in page
    assert 'href="/appels/ales-2027/"' in page


def test_public_list_queries_do_not_grow_with_calls(client, calls_ready, django_assert_max_num_queries):
    from quartiers.calls.models import CallFunder

    for year in (2028, 2029, 2030):
        other = Call.objects.create(contract=calls_ready.contract, framework_version=calls_ready.framework_version,
                                    slug=f"ales-{year}", title=f"Appel {year}", year=year, status=CallStatus.OPEN,
                                    opens_at=paris(2020, 1, 1), closes_at=paris(2100, 1, 1))
        other.neighbourhoods.set(calls_ready.neighbourhoods.all())
        CallFunder.objects.create(call=other, funder=Funder.objects.first(), envelope=Decimal(1000))
    with django_assert_max_num_queries(10):
        page = html.unescape(client.get(reverse("calls:list")).content.decode())
    assert page.count("fr-card__title") == 3
    assert "Appel à projets 2027" not in page  # a draft
