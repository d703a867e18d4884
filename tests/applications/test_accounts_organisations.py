"""Sign-up with e-mail confirmation, organisations (SIRET, RNA), members, roles and invitations."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from quartiers.applications.models import Membership, Organisation, Role
from tests.applications.conftest import ASSOCIATION_SIRET, PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "Claire.Dupont@Example.org", "first_name": "Claire", "last_name": "Dupont",
          "password1": PASSWORD, "password2": PASSWORD}


def _confirm_link() -> str:
    return re.search(r"https?://\S+/inscription/confirmer/\S+/", mail.outbox[-1].body).group(0)


def test_signup_sends_a_link_that_opens_the_account(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is enqueued once the account commits
        response = client.post(reverse("applications:signup"), SIGNUP)
    assert "Confirmez votre adresse" in response.content.decode()
    user = get_user_model().objects.get(username="claire.dupont@example.org")
    assert not user.is_active
    assert mail.outbox[-1].to == ["claire.dupont@example.org"]
    # Not active yet: the login page refuses the account.
    assert not client.login(username="claire.dupont@example.org", password=PASSWORD)
    link = _confirm_link()
    response = client.get(link, follow=True)
    assert "Votre adresse est confirmée" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active
    assert response.context["user"] == user
    # The link works once.
    client.logout()
    assert client.get(link).status_code == 400


def test_signup_refuses_weak_or_mismatched_passwords_in_french(client):
    response = client.post(reverse("applications:signup"), {**SIGNUP, "password1": "123", "password2": "123"})
    html = response.content.decode()
    assert "trop court" in html or "au moins 10 caractères" in html
    response = client.post(reverse("applications:signup"), {**SIGNUP, "password2": "autre-chose-2026!"})
    assert "ne sont pas identiques" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_signup_refuses_an_existing_active_account(client, make_user):
    make_user("claire.dupont@example.org")
    response = client.post(reverse("applications:signup"), SIGNUP)
    assert "Un compte existe déjà" in response.content.decode()


def test_login_with_email_uses_core_login(client, make_user):
    make_user("claire.dupont@example.org")
    response = client.post(reverse("core:login"), {"username": "claire.dupont@example.org", "password": PASSWORD,
                                                   "next": reverse("applications:dashboard")})
    assert response.status_code == 302 and response.url == reverse("applications:dashboard")


ORG = {"legal_name": "Association Cévennes Jeunesse", "siret": "813 245 677 00014", "rna": "W301000123",
       "legal_form": "association", "street": "12 rue du Luxembourg", "postcode": "30140", "commune": "Anduze",
       "representative_name": "Nadia Benali", "representative_role": "présidente"}


def test_creating_an_organisation_makes_you_its_administrator(client, make_user):
    user = make_user("nadia.benali@example.org")
    client.force_login(user)
    response = client.post(reverse("applications:organisation_new"), ORG, follow=True)
    org = Organisation.objects.get()
    assert org.siret == ASSOCIATION_SIRET
    assert Membership.objects.get(organisation=org).role == Role.ADMINISTRATOR
    assert "vous en êtes l'administrateur" in html.unescape(response.content.decode())


@pytest.mark.parametrize("field, value, message", [
    ("siret", "81324567700015", "clé de contrôle"),
    ("siret", "8132456770001", "14 chiffres"),
    ("rna", "W30100012", "W suivi de 9 chiffres"),
    ("rna", "", "numéro RNA de l'association n'est pas renseigné"),
    ("postcode", "301", "5 chiffres"),
])
def test_bad_identifiers_are_refused_in_french(client, make_user, field, value, message):
    client.force_login(make_user("nadia.benali@example.org"))
    response = client.post(reverse("applications:organisation_new"), {**ORG, field: value})
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not Organisation.objects.exists()


def test_la_poste_and_alsace_moselle_are_accepted(client, make_user):
    client.force_login(make_user("nadia.benali@example.org"))
    client.post(reverse("applications:organisation_new"),
                {**ORG, "siret": "35600000049837", "legal_form": "local_law_association", "rna": "VOL 12 F 345"})
    org = Organisation.objects.get()
    assert org.siret == "35600000049837" and org.legal_form == "local_law_association"


def test_administrator_invites_members_by_email(client, organisation, make_user, django_capture_on_commit_callbacks):
    admin = organisation.memberships.get(role=Role.ADMINISTRATOR).user
    client.force_login(admin)
    url = reverse("applications:organisation_invite", args=[organisation.pk])
    # An existing account joins at once.
    existing = make_user("deja.inscrit@example.org")
    client.post(url, {"email": "deja.inscrit@example.org", "role": Role.SIGNATORY})
    assert Membership.objects.get(organisation=organisation, user=existing).role == Role.SIGNATORY
    # A new address joins once it confirms its account.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "nouvelle@example.org", "role": Role.EDITOR})
    assert "Invitation à rejoindre Association Cévennes Jeunesse" in mail.outbox[-1].subject
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:signup"), {**SIGNUP, "email": "nouvelle@example.org"})
    client.get(_confirm_link())
    newcomer = get_user_model().objects.get(username="nouvelle@example.org")
    assert Membership.objects.get(organisation=organisation, user=newcomer).role == Role.EDITOR


def test_only_an_administrator_invites(client, organisation):
    client.force_login(organisation.memberships.get(role=Role.EDITOR).user)
    response = client.post(reverse("applications:organisation_invite", args=[organisation.pk]),
                           {"email": "x@example.org", "role": Role.ADMINISTRATOR})
    assert response.status_code == 404
    assert not mail.outbox


def test_administrator_changes_roles_but_keeps_an_administrator(client, organisation):
    admin = organisation.memberships.get(role=Role.ADMINISTRATOR)
    editor = organisation.memberships.get(role=Role.EDITOR)
    client.force_login(admin.user)
    url = lambda m: reverse("applications:organisation_member", args=[organisation.pk, m.pk])  # noqa: E731
    client.post(url(editor), {"action": "role", "role": Role.SIGNATORY})
    editor.refresh_from_db()
    assert editor.role == Role.SIGNATORY
    response = client.post(url(admin), {"action": "role", "role": Role.EDITOR}, follow=True)
    assert "au moins un administrateur" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR
    client.post(url(editor), {"action": "remove"})
    assert not Membership.objects.filter(pk=editor.pk).exists()
    # A signatory cannot manage members.
    signatory = organisation.memberships.get(role=Role.SIGNATORY)
    client.force_login(signatory.user)
    assert client.post(url(admin), {"action": "remove"}).status_code == 404
