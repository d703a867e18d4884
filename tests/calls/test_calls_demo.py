import html
import io
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse

from quartiers.calls.models import Call, CallStatus, Funder


def test_demo_call_is_open_with_five_funders_and_is_idempotent(demo_data, client):
    call = Call.objects.get(slug="ales-2027")
    assert call.status == CallStatus.OPEN
    assert call.title == "Appel à projets 2027 — Contrat de ville de l'arrondissement d'Alès"
    assert sorted(call.neighbourhoods.values_list("code", flat=True)) == ["QN03001I", "QN03002M", "QN03014M",
                                                                          "QN03016M"]
    assert call.call_funders.count() == 5
    assert sum(call.call_funders.values_list("envelope", flat=True)) == Decimal("795000")
    call_command("demo", "--no-migrate", "--no-warmup", stdout=io.StringIO())
    assert Call.objects.count() == 1 and Funder.objects.count() == 5
    assert call.transitions.count() == 2
    # The demo's staff account for calls can reach the staff pages.
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="charge-de-mission", is_staff=True))
    assert client.get(reverse("calls:staff_calls")).status_code == 200


def test_public_call_page_on_the_demo(client, demo_data, settings):
    from datetime import datetime
    from unittest import mock
    from zoneinfo import ZoneInfo

    december = datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Europe/Paris"))
    with mock.patch("django.utils.timezone.now", return_value=december):
        response = client.get(reverse("calls:detail", args=["ales-2027"]))
        listing = html.unescape(client.get(reverse("calls:list")).content.decode())
    page = html.unescape(response.content.decode())
    assert page.count("<h1") == 1
    assert "Dépôt des demandes ouvert jusqu'au 15 janvier 2027 à 12\u00a0h\u00a000" in page
    assert "795\u202f000\u00a0€" in page
    assert "Caisse d'allocations familiales du Gard" in page
    assert 'href="/quartiers/QN03014M/"' in page
    assert "Derniers comptes annuels approuvés" in page
    assert 'href="/demandes/nouvelle/?appel=ales-2027"' in page
    assert "Appel à projets 2027 — Contrat de ville" in listing

    after = datetime(2027, 1, 15, 12, tzinfo=ZoneInfo("Europe/Paris"))
    with mock.patch("django.utils.timezone.now", return_value=after):
        page = html.unescape(client.get(reverse("calls:detail", args=["ales-2027"])).content.decode())
    assert "/demandes/nouvelle/" not in page
    assert "Cet appel est clos" in page

