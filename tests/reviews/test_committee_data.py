"""The committee tests' world, built with the ORM (no annex import): the Alès contract, two QPVs, a published
framework with one objective, the 2027 call with two funders and their envelopes, three applications on the review
side, the contract's people in every committee role, and an applicant. Fixtures only; imported by the tests."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

PASSWORD = "un-mot-de-passe-solide-2026"
ETAT_SIRET = "17300001900013"
AGGLO_SIRET = "20006680100016"


@dataclass
class World:
    call: object
    session: object
    etat: object
    agglo: object
    anduze: object  # reviewed, asks État 6 500 € and the agglomération 4 000 €
    ales: object  # reviewed, asks État 30 000 €
    late: object  # admissible (recevable, not yet instruite), asks État 3 000 €
    lead: object
    etat_rep: object
    committee: object
    recused: object
    applicant: object
    outsider: object


def _user(django_user_model, email, **extra):
    first, _, last = email.split("@")[0].partition(".")
    return django_user_model.objects.create_user(username=email, email=email, password=PASSWORD,
                                                 first_name=first.title(), last_name=last.title() or "Test", **extra)


def _application(call, org, reference, title, codes, status, requests):
    from quartiers.applications.models import Application, ApplicationTransition, FundingRequest

    a = Application.objects.create(call=call, organisation=org, status=status, reference=reference, title=title,
                                   neighbourhood_codes="," + ",".join(codes) + ",",
                                   requested_total=sum((amount for _, amount in requests), Decimal(0)),
                                   submitted_at=timezone.now())
    ApplicationTransition.objects.create(application=a, from_status="admissible", to_status=status)
    for funder, amount in requests:
        FundingRequest.objects.create(application=a, funder=funder, funder_code=funder.code, amount=amount)
    return a


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, django_user_model):
    from quartiers.applications.models import Membership, Organisation, Role, Status
    from quartiers.calls.models import Call, CallFunder, CallStatus, Funder
    from quartiers.frameworks.models import FrameworkVersion, NeighbourhoodSection, Objective, Theme
    from quartiers.reviews.models import (
        Advice,
        AdvisoryStance,
        Assessment,
        CommitteeSession,
        ConfirmedMatch,
        ConflictOfInterest,
        ContractMember,
        ContractRole,
        Opinion,
    )
    from quartiers.territories.models import Contract, Neighbourhood

    contract = Contract.objects.create(slug="ales", name="Contrat de ville de l'arrondissement d'Alès",
                                       lead_name="Alès Agglomération")
    ales_qpv = Neighbourhood.objects.create(code="QN03001I", name="Prés Saint-Jean", short_name="Alès",
                                            contract=contract)
    anduze_qpv = Neighbourhood.objects.create(code="QN03002M", name="Centre ancien", short_name="Anduze",
                                              contract=contract)
    version = FrameworkVersion.objects.create(contract=contract, number=1, status="published",
                                              source_name="annexe.txt", source_file=b"", checksum="0" * 64)
    section = NeighbourhoodSection.objects.create(version=version, neighbourhood=anduze_qpv, name="Anduze")
    theme = Theme.objects.create(section=section, title="Jeunesse", canonical_theme="youth")
    objective = Objective.objects.create(theme=theme, key="a1b2c3d4e5f6", label="Lieux pour les adolescents",
                                         text="Ouvrir des lieux d'accueil pour les adolescents le soir et le week-end")
    now = timezone.now()
    call = Call.objects.create(contract=contract, framework_version=version, slug="ales-2027", year=2027,
                               title="Appel à projets 2027 du contrat de ville d'Alès", status=CallStatus.CLOSED,
                               opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=10))
    call.neighbourhoods.set([ales_qpv, anduze_qpv])
    etat = Funder.objects.create(contract=contract, kind="etat_bop147", siret=ETAT_SIRET,
                                 name="État – Préfecture du Gard (BOP 147)")
    agglo = Funder.objects.create(contract=contract, kind="epci", siret=AGGLO_SIRET, name="Alès Agglomération")
    CallFunder.objects.create(call=call, funder=etat, envelope=Decimal("35000"))
    CallFunder.objects.create(call=call, funder=agglo, envelope=Decimal("10000"))

    applicant = _user(django_user_model, "nadia.benali@example.org")
    org = Organisation.objects.create(legal_name="Association Cévennes Jeunesse", siret="81324567700014",
                                      street="12 rue du Luxembourg", postcode="30140", commune="Anduze",
                                      representative_name="Nadia Benali")
    Membership.objects.create(organisation=org, user=applicant, role=Role.ADMINISTRATOR)
    Membership.objects.create(organisation=org, user=_user(django_user_model, "paul.tresorier@example.org"),
                              role=Role.SIGNATORY)
    other = Organisation.objects.create(legal_name="Rochebelle Solidarités", siret="84123456000024",
                                        street="1 place Saint-Jean", postcode="30100", commune="Alès",
                                        representative_name="Autre Personne")
    Membership.objects.create(organisation=other, user=_user(django_user_model, "rochebelle@example.org"),
                              role=Role.ADMINISTRATOR)

    anduze = _application(call, org, "ALES-2027-0002", "Les soirées et samedis du local jeunes", ["QN03002M"],
                          Status.REVIEWED, [(etat, Decimal("6500")), (agglo, Decimal("4000"))])
    ales = _application(call, other, "ALES-2027-0001", "Coup de pouce devoirs à Rochebelle", ["QN03001I"],
                        Status.REVIEWED, [(etat, Decimal("30000"))])
    late = _application(call, other, "ALES-2027-0003", "Jardins partagés des Prés Saint-Jean", ["QN03001I"],
                        Status.ADMISSIBLE, [(etat, Decimal("3000"))])
    ConfirmedMatch.objects.create(application=anduze, objective=objective, objective_key=objective.key,
                                  neighbourhood_code="QN03002M", is_primary=True)
    Assessment.objects.create(application=anduze, funder=etat, opinion=Opinion.FAVOURABLE_MODIFIED,
                              proposed_amount=Decimal("6000"), weighted_score=Decimal("3.25"),
                              comment="Action utile, budget de sorties à revoir.")
    Assessment.objects.create(application=anduze, funder=agglo, opinion=Opinion.FAVOURABLE,
                              proposed_amount=Decimal("4000"))
    Assessment.objects.create(application=ales, funder=etat, opinion=Opinion.FAVOURABLE,
                              proposed_amount=Decimal("25000"))

    def member(email, role, funder=None):
        user = _user(django_user_model, email)
        ContractMember.objects.create(contract=contract, user=user, role=role, funder=funder)
        return user

    lead = member("camille.martin@example.org", ContractRole.PROJECT_LEAD)
    etat_rep = member("delegue.prefet@example.org", ContractRole.FUNDER, etat)
    committee = member("elu.comite@example.org", ContractRole.COMMITTEE)
    recused = member("agglo.representant@example.org", ContractRole.FUNDER, agglo)
    ConflictOfInterest.objects.create(application=anduze, user=recused, reason="Trésorier de l'association")
    resident = member("conseil.citoyen@example.org", ContractRole.RESIDENT)
    Advice.objects.create(application=anduze, author=resident, stance=AdvisoryStance.SUPPORT,
                          comment="Les jeunes du centre ancien attendent ce lieu depuis longtemps.")
    session = CommitteeSession.objects.create(call=call, title="Comité de programmation du 12 février 2027",
                                              date=date(2027, 2, 12), place="Hôtel de ville d'Alès")
    return World(call=call, session=session, etat=etat, agglo=agglo, anduze=anduze, ales=ales, late=late, lead=lead,
                 etat_rep=etat_rep, committee=committee, recused=recused, applicant=applicant,
                 outsider=_user(django_user_model, "passant@example.org"))
