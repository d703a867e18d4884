"""Fixtures and builders shared by the queue and members tests (imported as ``test_queue_setup``; no tests here).

A contract with two QPVs (Alès, Anduze) and a published framework of three objectives under three canonical themes,
a closed call « ales-2027 » with two funders, a people of every role, and applications written with the ORM.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from quartiers.engine.framework import framework_from_dict

PARIS = ZoneInfo("Europe/Paris")
ALES, ANDUZE = "QN03001I", "QN03002M"
SIRET_STATE = "17300001900013"
SIRET_AGGLO = "20006691800018"
PASSWORD = "un-mot-de-passe-solide-2026"

FRAMEWORK = {
    "title": "Annexe 1 — Alès et Anduze",
    "neighbourhoods": [
        {"name": "Prés Saint-Jean", "commune": "Alès", "code": ALES, "source_lines": [1, 6],
         "themes": [
             {"title": "Réussite scolaire", "canonical_theme": "education", "source_lines": [2, 3],
              "constraints": [], "objectives": [{"text": "Lutter contre le décrochage scolaire.",
                                                 "label": "Lutter contre le décrochage scolaire",
                                                 "source_lines": [3, 3]}]},
             {"title": "Emploi", "canonical_theme": "employment", "source_lines": [4, 6], "constraints": [],
              "objectives": [{"text": "Accompagner les femmes vers l'emploi.",
                              "label": "Accompagner les femmes vers l'emploi", "source_lines": [5, 5]}]}]},
        {"name": "Centre ancien", "commune": "Anduze", "code": ANDUZE, "source_lines": [7, 9],
         "themes": [{"title": "Jeunesse", "canonical_theme": "youth", "source_lines": [8, 9], "constraints": [],
                     "objectives": [{"text": "Accompagner les jeunes vers l'autonomie.",
                                     "label": "Accompagner les jeunes vers l'autonomie",
                                     "source_lines": [9, 9]}]}]},
    ],
    "warnings": [],
}

_sirets = count(1)


def _siret(n: int) -> str:
    """A valid SIRET (Luhn) built from a number."""
    base = f"8{n:012d}"
    for last in range(10):
        candidate = base + str(last)
        digits = [int(c) for c in candidate]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(reversed(digits)))
        if total % 10 == 0:
            return candidate
    raise AssertionError


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def contract(db):
    from quartiers.frameworks.services import framework_store, version_publish
    from quartiers.territories.models import Contract
    from quartiers.territories.services import neighbourhoods_load

    contract = Contract.objects.create(slug="ales", name="Contrat de ville d'Alès", code="CN03001I")
    neighbourhoods_load(codes=[ALES, ANDUZE], contract=contract, short_names={ALES: "Alès", ANDUZE: "Anduze"})
    version = framework_store(contract=contract, framework=framework_from_dict(FRAMEWORK), source_name="annexe.txt",
                              source_bytes=b"annexe", source_text="annexe")
    version_publish(version=version)
    return contract


@pytest.fixture
def funders(contract):
    from quartiers.calls.models import Funder

    state = Funder.objects.create(contract=contract, kind="etat_bop147", name="Préfecture du Gard", siret=SIRET_STATE)
    agglo = Funder.objects.create(contract=contract, kind="epci", name="Alès Agglomération", siret=SIRET_AGGLO)
    return state, agglo


@pytest.fixture
def call(contract, funders):
    from quartiers.calls.models import Call, CallFunder, CallStatus
    from quartiers.frameworks.selectors import published_version

    call = Call.objects.create(contract=contract, framework_version=published_version(contract), slug="ales-2027",
                               title="Appel à projets 2027", year=2027, status=CallStatus.CLOSED,
                               opens_at=datetime(2026, 10, 1, 9, tzinfo=PARIS),
                               closes_at=datetime(2027, 1, 15, 12, tzinfo=PARIS))
    call.neighbourhoods.set(contract.neighbourhoods.all())
    for funder, envelope in zip(funders, ("120000", "80000"), strict=True):
        CallFunder.objects.create(call=call, funder=funder, envelope=Decimal(envelope))
    return call


def objective(call, canonical_theme: str):
    from quartiers.frameworks.models import Objective

    return Objective.objects.get(theme__section__version=call.framework_version, theme__canonical_theme=canonical_theme)


@pytest.fixture
def make_user(db, django_user_model):
    def make(email: str, **extra):
        first, _, last = email.split("@")[0].partition(".")
        return django_user_model.objects.create_user(username=email, email=email, password=PASSWORD,
                                                     first_name=first.title(), last_name=last.title() or "Test",
                                                     **extra)
    return make


@pytest.fixture
def people(contract, funders, make_user):
    """One account per role of the contract, a person of no contract, and an applicant (member of an organisation)."""
    from quartiers.reviews.models import ContractMember, ContractRole

    state, _ = funders
    out = {}
    for role in ContractRole:
        user = make_user(f"{role.value.replace('_', '')}@example.org")
        ContractMember.objects.create(contract=contract, user=user, role=role,
                                      funder=state if role == ContractRole.FUNDER else None)
        out[role.value] = user
    out["outsider"] = make_user("personne.ailleurs@example.org")
    out["applicant"] = make_user("porteur.projet@example.org")
    return out


def make_organisation(name: str, *, user=None):
    from quartiers.applications.models import Membership, Organisation, Role

    org = Organisation.objects.create(legal_name=name, siret=_siret(next(_sirets)), street="1 rue", postcode="30100",
                                      commune="Alès", representative_name="Personne Présidente")
    if user is not None:
        Membership.objects.create(organisation=org, user=user, role=Role.ADMINISTRATOR)
    return org


def make_application(call, org, *, status="submitted", title="Action", codes=(ALES,), requested="1000",
                     renewal=False, blocking=0, warnings=0, claimed=(), confirmed=None, requests=(),
                     submitted_at=None, reference=None):
    """An application as the submission leaves it: columns, funding requests, claimed objectives (Objective rows),
    and a primary confirmed match when ``confirmed`` is an Objective."""
    from quartiers.applications.models import Application, ClaimedObjective, FundingRequest
    from quartiers.reviews.models import ConfirmedMatch

    n = Application.objects.filter(call=call).count() + 1
    app = Application.objects.create(
        call=call, organisation=org, status=status, reference=reference or f"AAP-2027-{n:04d}", title=title,
        requested_total=Decimal(requested), total_budget=Decimal(requested) * 2, renewal=renewal,
        neighbourhood_codes="," + ",".join(codes) + ",", findings_blocking=blocking, findings_warnings=warnings,
        submitted_at=submitted_at or datetime(2026, 12, 1, 10, tzinfo=PARIS),
    )
    for funder, amount in requests:
        FundingRequest.objects.create(application=app, funder=funder, funder_code=funder.code, amount=Decimal(amount))
    for o in claimed:
        ClaimedObjective.objects.create(application=app, objective_key=o.key, text=o.text,
                                        neighbourhood_code=o.theme.section.neighbourhood.code)
    if confirmed is not None:
        ConfirmedMatch.objects.create(application=app, objective=confirmed, objective_key=confirmed.key,
                                      neighbourhood_code=confirmed.theme.section.neighbourhood.code)
    return app
