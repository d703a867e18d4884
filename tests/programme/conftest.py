"""Fixtures of the programme tests (prefix ``prog_``): a closed call with three funders and five applications
that reached the committee, written with the ORM as the review pages would leave them.

    2027-001  Cévennes Jeunesse, Anduze, new   État 30 000 asked → proposed 25 000, granted 25 000 (convention)
                                               Agglo 10 000 asked → favourable, granted 8 000
                                               Commune (not asked) → granted 2 000
    2027-002  Atelier du Gardon, Alès+Anduze, renewal   État 6 000 asked → unfavourable, refused
    2027-003  Cévennes Jeunesse, Alès, new     Agglo 4 500 asked → reserved, not decided
    2027-004  withdrawn, 2027-005 inadmissible, and a draft: not in the programme
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.programme.programme_helpers import (
    FRAMEWORK,
    ORG_SIRET,
    OTHER_ORG_SIRET,
    PASSWORD,
    SIRET_AGGLO,
    SIRET_COMMUNE,
    SIRET_STATE,
    funder,
    make_application,
    objective,
)

PARIS = ZoneInfo("Europe/Paris")

@pytest.fixture(autouse=True)
def prog_fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def prog_call(db):
    """The closed call « ales-2027 » of the Alès contract, with its three funders (État, Agglo, Commune)."""
    from quartiers.calls.models import Call, CallFunder, CallStatus, Funder
    from quartiers.engine.framework import framework_from_dict
    from quartiers.frameworks.services import framework_store, version_publish
    from quartiers.territories.models import Contract
    from quartiers.territories.services import neighbourhoods_load

    contract = Contract.objects.create(slug="ales", name="Contrat de ville de l'arrondissement d'Alès")
    neighbourhoods_load(codes=["QN03001I", "QN03002M"], contract=contract)
    version = version_publish(version=framework_store(
        contract=contract, framework=framework_from_dict(FRAMEWORK), source_name="annexe.txt",
        source_bytes=b"annexe", source_text="annexe"))
    call = Call.objects.create(contract=contract, framework_version=version, slug="ales-2027",
                               title="Appel à projets 2027", year=2027, status=CallStatus.CLOSED,
                               opens_at=datetime(2026, 10, 1, 9, tzinfo=PARIS),
                               closes_at=datetime(2027, 1, 15, 12, tzinfo=PARIS))
    for kind, name, siret, envelope in (("etat_bop147", "Préfecture du Gard (BOP 147)", SIRET_STATE, "120000"),
                                        ("epci", "Alès Agglomération", SIRET_AGGLO, "80000"),
                                        ("commune", "Commune d'Anduze", SIRET_COMMUNE, "15000")):
        funder = Funder.objects.create(contract=contract, kind=kind, name=name, siret=siret)
        CallFunder.objects.create(call=call, funder=funder, envelope=Decimal(envelope))
    return call


@pytest.fixture
def prog_orgs(db):
    from quartiers.applications.models import Organisation

    common = {"legal_form": "association", "street": "12 rue du Luxembourg", "postcode": "30140",
              "representative_name": "Nadia Benali"}
    return (Organisation.objects.create(legal_name="Association Cévennes Jeunesse", siret=ORG_SIRET,
                                        rna="W301000123", commune="Anduze", **common),
            Organisation.objects.create(legal_name="Atelier du Gardon", siret=OTHER_ORG_SIRET,
                                        rna="Registre Colmar 45/12", commune="Alès", **common))


@pytest.fixture
def prog_data(prog_call, prog_orgs):
    """The five applications of the module docstring, with assessments, decisions and a confirmed match."""
    from quartiers.applications.models import Status
    from quartiers.reviews.models import (
        Assessment,
        CommitteeSession,
        ConfirmedMatch,
        Decision,
        Opinion,
        Outcome,
        SessionStatus,
    )

    call = prog_call
    state, agglo, commune = (funder(call, s) for s in (SIRET_STATE, SIRET_AGGLO, SIRET_COMMUNE))
    youth, school = prog_orgs
    a1 = make_application(call, youth, 1, Status.DECIDED, title="Les soirées et samedis du local jeunes",
                          budget="60000", beneficiaries=(40, 30), requests=[(state, "30000"), (agglo, "10000")])
    a2 = make_application(call, school, 2, Status.REFUSED, title="Atelier d'aide aux devoirs", renewal=True,
                          codes=("QN03001I", "QN03002M"), budget="12000", beneficiaries=(25, 20),
                          requests=[(state, "6000")])
    a3 = make_application(call, youth, 3, Status.REVIEWED, title="Chantier éducatif de l'été", codes=("QN03001I",),
                          budget="9000", requests=[(agglo, "4500")])
    make_application(call, youth, 4, Status.WITHDRAWN, requests=[(state, "1000")])
    make_application(call, school, 5, Status.INADMISSIBLE, requests=[(state, "2000")])
    make_application(call, school, 6, Status.DRAFT, requests=[(state, "3000")])

    ConfirmedMatch.objects.create(application=a1, objective=objective(call, "QN03002M"), objective_key="k1",
                                  neighbourhood_code="QN03002M", is_primary=True)
    Assessment.objects.create(application=a1, funder=state, opinion=Opinion.FAVOURABLE_MODIFIED,
                              proposed_amount=Decimal("25000"))
    Assessment.objects.create(application=a1, funder=agglo, opinion=Opinion.FAVOURABLE)
    Assessment.objects.create(application=a2, funder=state, opinion=Opinion.UNFAVOURABLE)
    Assessment.objects.create(application=a3, funder=agglo, opinion=Opinion.RESERVED)
    session = CommitteeSession.objects.create(call=call, title="Comité de programmation", date=date(2027, 3, 15),
                                              status=SessionStatus.CLOSED)
    Decision.objects.create(application=a1, funder=state, session=session, outcome=Outcome.GRANTED,
                            amount=Decimal("25000"), decided_on=date(2027, 3, 15), reference="DEL-2027-014",
                            payment_terms="échelonné", payment_dates="2027-04-01/2027-12-31",
                            convention_date=date(2027, 3, 28))
    Decision.objects.create(application=a1, funder=agglo, session=session, outcome=Outcome.GRANTED,
                            amount=Decimal("8000"), decided_on=date(2027, 3, 15))
    Decision.objects.create(application=a1, funder=commune, session=session, outcome=Outcome.GRANTED,
                            amount=Decimal("2000"), decided_on=date(2027, 3, 22), reference="DM-2027-07")
    Decision.objects.create(application=a2, funder=state, session=session, outcome=Outcome.REFUSED,
                            reason="Action déjà financée par le droit commun.", decided_on=date(2027, 3, 15))
    return {"call": call, "state": state, "agglo": agglo, "commune": commune, "apps": (a1, a2, a3)}


ROLES = ("project_lead", "reviewer", "funder_state", "funder_agglo", "committee", "resident", "observer",
         "applicant", "outsider")


@pytest.fixture
def prog_users(prog_data, django_user_model, prog_orgs):
    """One user per role of the contract (the two funders' representatives apart), an applicant, an outsider."""
    from quartiers.applications.models import Membership, Role
    from quartiers.reviews.models import ContractMember, ContractRole

    call = prog_data["call"]
    users = {}
    for name in ROLES:
        users[name] = django_user_model.objects.create_user(username=name, email=f"{name}@example.org",
                                                            password=PASSWORD)
    for name, role, fund in (("project_lead", ContractRole.PROJECT_LEAD, None),
                             ("reviewer", ContractRole.REVIEWER, prog_data["state"]),
                             ("funder_state", ContractRole.FUNDER, prog_data["state"]),
                             ("funder_agglo", ContractRole.FUNDER, prog_data["agglo"]),
                             ("committee", ContractRole.COMMITTEE, None),
                             ("resident", ContractRole.RESIDENT, None),
                             ("observer", ContractRole.OBSERVER, None)):
        ContractMember.objects.create(contract=call.contract, user=users[name], role=role, funder=fund)
    Membership.objects.create(organisation=prog_orgs[0], user=users["applicant"], role=Role.ADMINISTRATOR)
    return users


@pytest.fixture
def lead_client(client, prog_users):
    client.force_login(prog_users["project_lead"])
    return client
