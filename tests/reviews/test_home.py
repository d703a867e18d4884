"""The review side's landing page and the menu entry that leads to it."""

import pytest
from django.urls import reverse

from quartiers.reviews.models import ContractMember
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    ContractFactory,
    ContractMemberFactory,
    administrator_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(settings):
    """The call « ales-2027 » of a contract with a project lead, a reviewer for the State, an observer, and an
    applicant (administrator of an association with a submitted application) who has no role in the contract."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call = CallFactory(contract=ContractFactory(slug="ales"), slug="ales-2027", title="Appel à projets 2027")
    members = {trait: ContractMemberFactory(contract=call.contract, **{trait: True}).user
               for trait in ("project_lead", "reviewer_for_funder", "observer")}
    members["applicant"] = administrator_of(ApplicationFactory(call=call, submitted=True).organisation)
    return members


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("reviews:home"))
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_a_role_lists_the_calls_of_its_contract_with_their_pages(client, roles):
    client.force_login(roles["reviewer_for_funder"])
    response = client.get(reverse("reviews:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Appel à projets 2027" in body
    assert reverse("reviews:queue", args=["ales-2027"]) in body
    assert "pour Préfecture du Gard" in body  # the funder the reviewer speaks for
    assert reverse("reviews:members", args=["ales-2027"]) not in body  # only the project lead manages roles
    assert 'href="/gestion/instruction/"' in body  # the menu entry


def test_the_project_lead_also_gets_roles_and_grid(client, roles):
    client.force_login(roles["project_lead"])
    body = client.get(reverse("reviews:home")).content.decode()
    assert reverse("reviews:members", args=["ales-2027"]) in body


def test_without_a_role_nothing_of_the_contract_is_listed(client, roles):
    client.force_login(roles["applicant"])
    response = client.get(reverse("reviews:home"))
    assert response.status_code == 403
    assert "aucun rôle" in response.content.decode()
    assert "Appel à projets 2027" not in response.content.decode()
    assert 'href="/gestion/instruction/"' not in client.get("/").content.decode()


def test_after_login_a_role_lands_on_the_review_side(client, roles):
    user = roles["observer"]
    assert ContractMember.objects.filter(user=user).exists()
    client.force_login(user)
    response = client.get(reverse("core:after_login"))
    assert response["Location"] == reverse("reviews:home")
