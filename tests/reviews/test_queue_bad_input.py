"""Tampered or mistyped request data on the queue's pages (members, saved views, filters, CSV): a 404 or a French
message naming the field, never a server error."""

import sys
from pathlib import Path

import pytest
from django.urls import reverse

sys.path.insert(0, str(Path(__file__).parent))

import test_queue_setup as setup  # noqa: E402

from quartiers.reviews.models import ContractMember, ContractRole  # noqa: E402

contract, funders, call, make_user, people = setup.contract, setup.funders, setup.call, setup.make_user, setup.people
fast_password_hasher = setup.fast_password_hasher

pytestmark = pytest.mark.django_db

BAD_NUMBERS = ["abc", "", "1.5", "-3", "²", " 1 ", "99999999999999999999999"]


def members_url(call):
    return reverse("reviews:members", args=[call.slug])


@pytest.mark.parametrize("member", BAD_NUMBERS)
def test_remove_with_a_member_that_is_no_number_is_404(client, call, people, member):
    client.force_login(people["project_lead"])
    count = ContractMember.objects.count()
    assert client.post(members_url(call), {"action": "remove", "member": member}).status_code == 404
    assert ContractMember.objects.count() == count


@pytest.mark.parametrize("member", BAD_NUMBERS)
def test_change_with_a_member_that_is_no_number_is_404(client, call, people, member):
    client.force_login(people["project_lead"])
    response = client.post(members_url(call), {"action": "change", "member": member, "role": "observer"})
    assert response.status_code == 404
    assert not ContractMember.objects.filter(role=ContractRole.OBSERVER).exclude(user=people["observer"]).exists()


def test_remove_without_member_is_404(client, call, people):
    client.force_login(people["project_lead"])
    assert client.post(members_url(call), {"action": "remove"}).status_code == 404


@pytest.mark.parametrize("funder", ["abc", "99999999999999999999999", "-1"])
def test_change_with_a_bad_funder_is_a_french_message(client, call, people, funder):
    client.force_login(people["project_lead"])
    member = ContractMember.objects.get(user=people["reviewer"])
    response = client.post(members_url(call), {"action": "change", "member": member.pk, "role": "reviewer",
                                               "funder": funder}, follow=True)
    assert response.status_code == 200
    assert "Financeur représenté : " in response.content.decode()
    member.refresh_from_db()
    assert member.funder_id is None


def test_deleting_a_saved_view_of_a_huge_number_is_404(client, call, people):
    client.force_login(people["reviewer"])
    url = reverse("reviews:view_delete", args=[call.slug, 1]).replace("/1/", "/99999999999999999999999/")
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("query", ["page=abc", "page=99999999999999999999", "financeur=abc",
                                   "financeur=99999999999999999999", "montant_min=abc", "montant_min=1e999999",
                                   "montant_max=NaN", "tri=pirate&ordre=zzz"])
def test_queue_and_csv_survive_bad_filters(client, call, people, query):
    client.force_login(people["reviewer"])
    assert client.get(reverse("reviews:queue", args=[call.slug]) + "?" + query).status_code == 200
    response = client.get(reverse("reviews:queue_csv", args=[call.slug]) + "?colonnes=title&" + query)
    assert response.status_code in (200, 302)


def test_an_amount_beyond_any_column_is_refused_in_french(client, call, people):
    client.force_login(people["reviewer"])
    page = client.get(reverse("reviews:queue", args=[call.slug]) + "?montant_min=1e999999").content.decode()
    assert "Montant demandé minimum (€) : au plus 999" in page


@pytest.mark.parametrize("columns", ["funder_abc", "funder_", "funder_99999999999999999999", "pirate"])
def test_csv_with_an_unknown_column_is_refused_in_french(client, call, people, columns):
    client.force_login(people["reviewer"])
    response = client.get(reverse("reviews:queue_csv", args=[call.slug]) + "?colonnes=" + columns, follow=True)
    assert response.status_code == 200
    assert "Export impossible." in response.content.decode()
