"""The contract's members: the services (add, change, remove) and their French refusals, and the page."""

import sys
from pathlib import Path

import pytest
from django.urls import reverse

sys.path.insert(0, str(Path(__file__).parent))

import test_queue_setup as setup  # noqa: E402

from quartiers.reviews.members.services import RoleError, member_add, member_change, member_remove
from quartiers.reviews.models import ContractMember, ContractRole  # noqa: E402

contract, funders, call, make_user, people = setup.contract, setup.funders, setup.call, setup.make_user, setup.people
fast_password_hasher = setup.fast_password_hasher

pytestmark = pytest.mark.django_db
R = ContractRole


@pytest.fixture
def other_funder(db):
    """A funder of another contract."""
    from quartiers.calls.models import Funder
    from quartiers.territories.models import Contract

    other = Contract.objects.create(slug="nimes", name="Contrat de ville de Nîmes", code="CN03002M")
    return Funder.objects.create(contract=other, kind="commune", name="Ville de Nîmes", siret="21300189200010")


# --- services ----------------------------------------------------------------------------------------------------


def test_add_a_reviewer_with_or_without_funder_and_a_representative(contract, funders, make_user):
    make_user("claire.instructrice@example.org")
    make_user("marc.instructeur@example.org")
    make_user("julie.caf@example.org")
    a = member_add(contract=contract, email="  Claire.Instructrice@EXAMPLE.org ", role=R.REVIEWER)
    b = member_add(contract=contract, email="marc.instructeur@example.org", role=R.REVIEWER, funder=funders[1])
    c = member_add(contract=contract, email="julie.caf@example.org", role=R.FUNDER, funder=funders[0])
    assert (a.role, a.funder) == (R.REVIEWER, None)
    assert (b.role, b.funder) == (R.REVIEWER, funders[1])
    assert (c.role, c.funder) == (R.FUNDER, funders[0])


def test_add_refusals_name_the_field(contract, funders, other_funder, make_user, people):
    make_user("nouvelle.personne@example.org")
    cases = [
        (dict(email="inconnu@example.org", role=R.REVIEWER), "email",
         "Courriel du compte : aucun compte actif n'existe avec l'adresse « inconnu@example.org »."),
        (dict(email="nouvelle.personne@example.org", role=R.FUNDER), "funder",
         "Financeur représenté : un représentant d'un financeur doit être rattaché à un financeur"),
        (dict(email="nouvelle.personne@example.org", role=R.REVIEWER, funder=other_funder), "funder",
         "Financeur représenté : « Ville de Nîmes » est un financeur d'un autre contrat."),
        (dict(email="nouvelle.personne@example.org", role=R.OBSERVER, funder=funders[0]), "funder",
         "Financeur représenté : seuls une instructrice ou un instructeur et un représentant"),
        (dict(email="nouvelle.personne@example.org", role="chef"), "role", "Rôle : ce rôle n'existe pas."),
        (dict(email=people["reviewer"].email, role=R.OBSERVER), "email", "fait déjà partie du contrat"),
    ]
    before = ContractMember.objects.count()
    for kwargs, field, message in cases:
        with pytest.raises(RoleError) as exc:
            member_add(contract=contract, **kwargs)
        assert exc.value.field == field and message in exc.value.message, exc.value.message
    assert ContractMember.objects.count() == before


def test_inactive_account_is_unknown(contract, make_user):
    make_user("ancien.compte@example.org", is_active=False)
    with pytest.raises(RoleError, match="aucun compte actif"):
        member_add(contract=contract, email="ancien.compte@example.org", role=R.OBSERVER)


def test_change_and_remove(contract, funders, people):
    reviewer = ContractMember.objects.get(user=people["reviewer"])
    member_change(member=reviewer, role=R.FUNDER, funder=funders[1])
    reviewer.refresh_from_db()
    assert (reviewer.role, reviewer.funder) == (R.FUNDER, funders[1])
    with pytest.raises(RoleError, match="doit être rattaché"):
        member_change(member=reviewer, role=R.FUNDER, funder=None)
    reviewer.refresh_from_db()
    assert reviewer.funder == funders[1]  # nothing half-written
    member_remove(member=reviewer)
    assert not ContractMember.objects.filter(user=people["reviewer"]).exists()


def test_the_last_project_lead_stays(contract, people, make_user):
    lead = ContractMember.objects.get(user=people["project_lead"])
    with pytest.raises(RoleError, match="au moins une cheffe ou un chef de projet"):
        member_remove(member=lead)
    with pytest.raises(RoleError, match="au moins une cheffe ou un chef de projet"):
        member_change(member=lead, role=R.OBSERVER)
    make_user("deuxieme.cheffe@example.org")
    member_add(contract=contract, email="deuxieme.cheffe@example.org", role=R.PROJECT_LEAD)
    member_change(member=lead, role=R.OBSERVER)
    lead.refresh_from_db()
    assert lead.role == R.OBSERVER


# --- the page ------------------------------------------------------------------------------------------------------


def members_url(call):
    return reverse("reviews:members", args=[call.slug])


@pytest.mark.parametrize("who", ["reviewer", "funder", "committee", "resident", "observer", "outsider", "applicant"])
def test_only_the_project_lead_manages_members(client, call, people, who):
    client.force_login(people[who])
    assert client.get(members_url(call)).status_code == 403
    response = client.post(members_url(call), {"action": "add", "email": people["outsider"].email, "role": "observer"})
    assert response.status_code == 403
    assert not ContractMember.objects.filter(user=people["outsider"]).exists()


def test_anonymous_goes_to_login(client, call):
    response = client.get(members_url(call))
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))


def test_lead_lists_adds_changes_and_removes(client, call, people, funders, make_user):
    client.force_login(people["project_lead"])
    page = client.get(members_url(call)).content.decode()
    assert "reviewer@example.org" in page and "Préfecture du Gard" in page
    assert '<label class="fr-label" for="id_email">Courriel du compte' in page

    make_user("sophie.caf@example.org")
    response = client.post(members_url(call), {"action": "add", "email": "sophie.caf@example.org",
                                               "role": "funder", "funder": str(funders[1].pk)}, follow=True)
    assert "Sophie Caf rejoint le contrat : représentant d&#x27;un financeur." in response.content.decode()
    added = ContractMember.objects.get(user__email="sophie.caf@example.org")
    assert added.funder == funders[1]

    response = client.post(members_url(call), {"action": "change", "member": added.pk, "role": "reviewer",
                                               "funder": ""}, follow=True)
    added.refresh_from_db()
    assert (added.role, added.funder) == ("reviewer", None)
    assert "est désormais instructrice ou instructeur" in response.content.decode()

    response = client.post(members_url(call), {"action": "remove", "member": added.pk}, follow=True)
    assert "Sophie Caf ne fait plus partie du contrat." in response.content.decode()
    assert not ContractMember.objects.filter(pk=added.pk).exists()


def test_add_errors_are_shown_with_what_was_typed(client, call, people, other_funder):
    client.force_login(people["project_lead"])
    response = client.post(members_url(call), {"action": "add", "email": "personne@example.org", "role": "observer"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "aucun compte actif n&#x27;existe avec l&#x27;adresse « personne@example.org »" in page
    assert 'value="personne@example.org"' in page
    response = client.post(members_url(call), {"action": "add", "email": people["outsider"].email,
                                               "role": "reviewer", "funder": str(other_funder.pk)})
    assert "« Ville de Nîmes » est un financeur d&#x27;un autre contrat." in response.content.decode()
    response = client.post(members_url(call), {"action": "add", "email": "pas-un-courriel", "role": "reviewer"})
    assert "Courriel du compte : cette adresse n&#x27;est pas valide." in response.content.decode()
    assert not ContractMember.objects.filter(user=people["outsider"]).exists()


def test_change_refusal_and_another_contracts_member(client, call, people, other_funder):
    from quartiers.reviews.models import ContractMember as CM

    client.force_login(people["project_lead"])
    lead = CM.objects.get(user=people["project_lead"])
    response = client.post(members_url(call), {"action": "remove", "member": lead.pk}, follow=True)
    assert "Rôle : le contrat doit garder au moins une cheffe ou un chef de projet." in response.content.decode()
    stranger = CM.objects.create(contract=other_funder.contract, user=people["outsider"], role="observer")
    assert client.post(members_url(call), {"action": "remove", "member": stranger.pk}).status_code == 404
    assert client.post(members_url(call), {"action": "pirate"}).status_code == 404
    assert CM.objects.filter(pk=stranger.pk).exists()
