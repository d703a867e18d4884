"""The review side's landing page and the menu entry that leads to it."""

import pytest
from django.urls import reverse

from quartiers.reviews.models import ContractMember

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("reviews:home"))
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_a_role_lists_the_calls_of_its_contract_with_their_pages(client, demo_reviews, django_user_model):
    user = django_user_model.objects.get(username="delegue-prefet")
    client.force_login(user)
    response = client.get(reverse("reviews:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Appel à projets 2027" in body
    assert reverse("reviews:queue", args=["ales-2027"]) in body
    assert "pour Préfecture du Gard" in body  # the funder the reviewer speaks for
    assert reverse("reviews:members", args=["ales-2027"]) not in body  # only the project lead manages roles
    assert 'href="/gestion/instruction/"' in body  # the menu entry


def test_the_project_lead_also_gets_roles_and_grid(client, demo_reviews, django_user_model):
    client.force_login(django_user_model.objects.get(username="cheffe-de-projet"))
    body = client.get(reverse("reviews:home")).content.decode()
    assert reverse("reviews:members", args=["ales-2027"]) in body


def test_without_a_role_nothing_of_the_contract_is_listed(client, demo_reviews, django_user_model):
    client.force_login(django_user_model.objects.get(username="association@quartiers.localhost"))
    response = client.get(reverse("reviews:home"))
    assert response.status_code == 403
    assert "aucun rôle" in response.content.decode()
    assert "Appel à projets 2027" not in response.content.decode()
    assert 'href="/gestion/instruction/"' not in client.get("/").content.decode()


def test_after_login_a_role_lands_on_the_review_side(client, demo_reviews, django_user_model):
    user = django_user_model.objects.get(username="observateur")
    assert ContractMember.objects.filter(user=user).exists()
    client.force_login(user)
    response = client.get(reverse("core:after_login"))
    assert response["Location"] == reverse("reviews:home")
