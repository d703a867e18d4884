"""The platform staff create a contract from the national reference and invite its project lead by e-mail."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from quartiers.reviews.models import ContractInvitation, ContractMember, ContractRole
from quartiers.territories.models import Contract

pytestmark = pytest.mark.django_db
URL = "/plateforme/contrats/nouveau/"


@pytest.fixture
def reference(db):
    call_command("load_reference", "--department", "30", stdout=io.StringIO())


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("plateforme", "plateforme@anct.gouv.fr", "mot-de-passe-long")
    client.force_login(user)
    return user


def test_staff_create_a_contract_with_its_qpv_and_invite_a_new_lead(client, reference, staff,
                                                                    django_capture_on_commit_callbacks):
    assert "Créer le contrat" in client.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"code": "cn03002i", "slug": "", "lead_email": "Cheffe@Nimes-Metropole.fr"},
                               follow=True)
    page = response.content.decode()
    contract = Contract.objects.get(code="CN03002I")
    assert sorted(contract.neighbourhoods.values_list("code", flat=True))[:2] == ["QN03003M", "QN03004I"]
    assert f"identifiant {contract.slug}" in page and "Une invitation a été envoyée à cheffe@nimes-metropole.fr" in page
    invitation = ContractInvitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by, invitation.accepted_at) == (
        "cheffe@nimes-metropole.fr", ContractRole.PROJECT_LEAD, staff, None)
    assert [m.to for m in mail.outbox] == [["cheffe@nimes-metropole.fr"]]
    assert contract.name in mail.outbox[0].body and "/inscription/" in mail.outbox[0].body
    assert "cheffe@nimes-metropole.fr" in client.get(reverse("core:platform_contracts")).content.decode()

    # She signs up later; at her first login with the confirmed account she is the contract's project lead.
    client.logout()
    lead = get_user_model().objects.create_user("cheffe@nimes-metropole.fr", "cheffe@nimes-metropole.fr",
                                                "un-mot-de-passe-long")
    assert client.login(username="cheffe@nimes-metropole.fr", password="un-mot-de-passe-long")
    member = ContractMember.objects.get(contract=contract, user=lead)
    assert member.role == ContractRole.PROJECT_LEAD
    invitation.refresh_from_db()
    assert invitation.accepted_by == lead and invitation.accepted_at is not None


def test_an_existing_account_is_lead_at_once(client, reference, staff, django_user_model):
    known = django_user_model.objects.create_user("karim", "karim@agglo.fr", "un-mot-de-passe-long")
    client.post(URL, {"code": "CN03005I", "slug": "ceze-cevennes", "lead_email": "karim@agglo.fr"})
    contract = Contract.objects.get(slug="ceze-cevennes")
    assert ContractMember.objects.get(contract=contract).user == known
    assert not ContractInvitation.objects.exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"code": "CN99999Z"}, "code", "Contrat de ville inconnu du référentiel national"),
    ({"code": ""}, "code", "Ce champ est obligatoire."),
    ({"code": "CN03005I", "slug": "Pas Un Slug"}, "slug", "Identifiant invalide"),
    ({"code": "CN03005I", "lead_email": "pas-une-adresse"}, "lead_email", "n'est pas une adresse électronique valide"),
])
def test_bad_input_is_refused_in_french_and_nothing_is_created(client, reference, staff, data, field, message):
    response = client.post(URL, {"slug": "", "lead_email": "", **data})
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert message in page and "Le contrat n’a pas été créé" in page
    assert not Contract.objects.exists() and not ContractInvitation.objects.exists()


def test_a_contract_cannot_be_created_twice(client, reference, staff):
    client.post(URL, {"code": "CN03005I", "slug": "", "lead_email": ""})
    page = client.post(URL, {"code": "CN03005I", "slug": "", "lead_email": ""}).content.decode()
    assert "existe déjà sur cette instance" in page
    assert Contract.objects.count() == 1


def test_without_the_reference_the_page_says_how_to_load_it(client, staff):
    assert "quartiers load-reference" in client.get(URL).content.decode()
    page = client.post(URL, {"code": "CN03005I", "slug": "", "lead_email": ""}).content.decode()
    assert "Chargez d&#x27;abord le référentiel national" in page or "Chargez d'abord le référentiel national" in page


def test_only_platform_staff_open_the_pages(client, django_user_model):
    assert client.get(URL).status_code == 302
    user = django_user_model.objects.create_user("staff", "staff@x.fr", "un-mot-de-passe-long", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("core:platform_contracts")).status_code == 403
    assert "réservée à l’équipe qui administre la plateforme" in client.get(URL).content.decode()
