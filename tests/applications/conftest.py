"""Fixtures of the applications tests: the demo contract, an open call « ales-2027 », two organisations."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

ASSOCIATION_SIRET = "81324567700014"
OTHER_SIRET = "84123456000024"
PASSWORD = "un-mot-de-passe-solide-2026"


@pytest.fixture(scope="session")
def demo_annex(ales_annex_import):
    """The demo annex, imported once per session (the import is the slow part of loading the demo)."""
    return ales_annex_import


@pytest.fixture
def demo_contract(ales_annex):
    """The contract, 4 QPVs and published annex that ``quartiers demo`` loads, built by the factories."""
    return ales_annex


@pytest.fixture
def call(demo_contract):
    demo_data = demo_contract
    """The demo call, open now (whatever the calls demo says), with three funders and required documents."""
    from quartiers.calls.models import Call, CallFunder, CallStatus, Funder
    from quartiers.frameworks.selectors import published_version
    from quartiers.territories.models import Neighbourhood

    now = timezone.now()
    call, _ = Call.objects.update_or_create(
        slug="ales-2027",
        defaults={"contract": demo_data, "framework_version": published_version(demo_data),
                  "title": "Appel à projets 2027 du contrat de ville d'Alès", "year": 2027,
                  "opens_at": now - timedelta(days=10), "closes_at": now + timedelta(days=30),
                  "status": CallStatus.OPEN, "required_documents": ["statutes", "bank_details"],
                  "rule_settings": {}},
    )
    call.neighbourhoods.set(Neighbourhood.objects.filter(contract=demo_data))
    for kind, name, siret, envelope in (
        ("etat_bop147", "État – Préfecture du Gard (BOP 147)", "17300001900013", "450000"),
        ("epci", "Alès Agglomération", "20006680100016", "180000"),
        ("commune", "Commune d'Anduze", "21300007800013", "15000"),
    ):
        funder, _ = Funder.objects.get_or_create(contract=demo_data, kind=kind, siret=siret, defaults={"name": name})
        CallFunder.objects.update_or_create(call=call, funder=funder, defaults={"envelope": Decimal(envelope)})
    return call


def _user(django_user_model, email, **extra):
    first, _, last = email.split("@")[0].partition(".")
    return django_user_model.objects.create_user(username=email, email=email, password=PASSWORD,
                                                 first_name=first.title(), last_name=last.title() or "Test", **extra)


@pytest.fixture
def make_user(db, django_user_model):
    return lambda email, **extra: _user(django_user_model, email, **extra)


@pytest.fixture
def organisation(db, make_user):
    """« Association Cévennes Jeunesse » with an administrator (admin@), a signatory and an editor."""
    from quartiers.applications.models import Membership, Role
    from quartiers.applications.services import organisation_create

    admin = make_user("nadia.benali@example.org")
    org = organisation_create(user=admin, legal_name="Association Cévennes Jeunesse", siret=ASSOCIATION_SIRET,
                              rna="W301000123", legal_form="association", street="12 rue du Luxembourg",
                              postcode="30140", commune="Anduze", representative_name="Nadia Benali")
    Membership.objects.create(organisation=org, user=make_user("paul.signataire@example.org"), role=Role.SIGNATORY)
    Membership.objects.create(organisation=org, user=make_user("eva.redactrice@example.org"), role=Role.EDITOR)
    return org


@pytest.fixture
def other_organisation(db, make_user):
    from quartiers.applications.services import organisation_create

    return organisation_create(user=make_user("autre.admin@example.org"), legal_name="Autre association",
                               siret=OTHER_SIRET, rna="W301000456", legal_form="association", street="1 place",
                               postcode="30100", commune="Alès", representative_name="Autre Personne")


def member(org, role):
    return org.memberships.get(role=role).user


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Accounts are created in almost every test here: hash their passwords cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rebuilds(monkeypatch):
    """How many times the framework is rebuilt from the database (the real function, counted)."""
    from quartiers.frameworks import matching

    calls = []
    real = matching.version_to_framework

    def counted(version):
        calls.append(version.pk)
        return real(version)

    monkeypatch.setattr(matching, "version_to_framework", counted)
    return calls
