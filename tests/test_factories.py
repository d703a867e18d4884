"""The factories of tests/factories/: each trait yields its status or role, through the services (transition rows
included), and two contracts built by them share nothing."""

import pytest

from quartiers.applications.models import Application, ApplicationTransition, Status
from quartiers.calls.models import CallStatus
from quartiers.frameworks.models import VersionStatus
from quartiers.reviews.models import Assessment, CommitteeSession, ContractRole, Decision, Outcome
from tests.factories import (
    ALES_QPVS,
    NIMES_QPVS,
    PASSWORD,
    ApplicationFactory,
    CallFactory,
    ContractFactory,
    ContractMemberFactory,
    OrganisationFactory,
    administrator_of,
    siret,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def call():
    return CallFactory(contract=ContractFactory(slug="ales", qpvs=ALES_QPVS))


def test_a_contract_has_its_official_qpvs_with_their_communes():
    contract = ContractFactory(qpvs=ALES_QPVS)
    hoods = {n.code: n for n in contract.neighbourhoods.prefetch_related("communes")}
    assert set(hoods) == set(ALES_QPVS)
    assert [c.name for c in hoods["QN03002M"].communes.all()] == ["Anduze"]
    assert hoods["QN03001I"].short_name == "Alès"


def test_a_call_is_open_on_a_published_framework_imported_from_an_annex(call):
    version = call.framework_version
    assert version.status == VersionStatus.PUBLISHED and version.contract == call.contract
    sections = version.sections.select_related("neighbourhood").order_by("position")
    assert [s.neighbourhood.code for s in sections] == sorted(ALES_QPVS)  # every section found its QPV
    assert version.sections.filter(themes__objectives__isnull=False).distinct().count() == 2
    assert call.status == CallStatus.OPEN
    assert list(call.transitions.order_by("pk").values_list("from_status", "to_status")) == [
        ("", CallStatus.DRAFT), (CallStatus.DRAFT, CallStatus.OPEN)]
    assert sorted(call.call_funders.values_list("funder__kind", flat=True)) == ["commune", "epci", "etat_bop147"]
    assert sorted(call.neighbourhoods.values_list("code", flat=True)) == sorted(ALES_QPVS)


@pytest.mark.parametrize(("trait", "status", "moves"), [
    ("draft", CallStatus.DRAFT, 1), ("open", CallStatus.OPEN, 2), ("closed", CallStatus.CLOSED, 3)])
def test_call_traits(trait, status, moves):
    call = CallFactory(**{trait: True})
    assert call.status == status
    assert call.transitions.count() == moves
    assert call.transitions.order_by("-pk")[0].to_status == status


def test_an_organisation_has_its_administrator_who_can_sign_in():
    org = OrganisationFactory(legal_name="Association Cévennes Jeunesse")
    admin = administrator_of(org)
    assert admin.check_password(PASSWORD)
    assert org.memberships.count() == 1 and org.legal_name == "Association Cévennes Jeunesse"


def test_sirets_pass_the_luhn_checks():
    from stdnum.fr import siret as stdnum_siret

    assert all(stdnum_siret.is_valid(siret(n)) for n in (1, 2, 99, 12345))
    assert len({siret(n) for n in range(1, 50)}) == 49


# trait → (status, the moves from creation, in order)
PATHS = {
    "draft": (Status.DRAFT, ["draft"]),
    "submitted": (Status.SUBMITTED, ["draft", "submitted"]),
    "withdrawn": (Status.WITHDRAWN, ["draft", "submitted", "withdrawn"]),
    "inadmissible": (Status.INADMISSIBLE, ["draft", "submitted", "inadmissible"]),
    "admissible": (Status.ADMISSIBLE, ["draft", "submitted", "admissible"]),
    "reviewed": (Status.REVIEWED, ["draft", "submitted", "admissible", "reviewed"]),
    "decided": (Status.DECIDED, ["draft", "submitted", "admissible", "reviewed", "decided"]),
    "refused": (Status.REFUSED, ["draft", "submitted", "admissible", "reviewed", "refused"]),
}


@pytest.mark.parametrize("trait", list(PATHS))
def test_application_traits_go_through_the_services(call, trait):
    status, moves = PATHS[trait]
    app = ApplicationFactory(call=call, **{trait: True})
    app = Application.objects.get(pk=app.pk)
    assert app.status == status
    rows = list(ApplicationTransition.objects.filter(application=app).order_by("pk"))
    assert [r.to_status for r in rows] == moves
    assert [r.from_status for r in rows] == [""] + moves[:-1]
    assert all(r.by_id for r in rows)  # every move names who made it
    assert (app.reference is None) == (status == Status.DRAFT)
    assert app.funding_requests.count() == 3 and app.claimed_objectives.count() == 1


def test_reviewed_decided_and_refused_carry_their_assessments_and_decisions(call):
    reviewed = ApplicationFactory(call=call, reviewed=True)
    decided = ApplicationFactory(call=call, decided=True)
    refused = ApplicationFactory(call=call, refused=True)
    assert Assessment.objects.filter(application=reviewed).exclude(opinion="").count() == 3
    primary = reviewed.confirmed_matches.get(is_primary=True)
    assert primary.objective_key == reviewed.claimed_objectives.get().objective_key
    assert set(Decision.objects.filter(application=decided).values_list("outcome", flat=True)) == {Outcome.GRANTED}
    assert set(Decision.objects.filter(application=refused).values_list("outcome", flat=True)) == {Outcome.REFUSED}
    # one project lead, one reviewer and one committee session, shared by the call's applications
    assert call.contract.members.filter(role=ContractRole.PROJECT_LEAD).count() == 1
    assert call.contract.members.filter(role=ContractRole.REVIEWER).count() == 1
    assert CommitteeSession.objects.filter(call=call).count() == 1


@pytest.mark.parametrize(("trait", "role", "with_funder"), [
    ("project_lead", ContractRole.PROJECT_LEAD, False),
    ("reviewer", ContractRole.REVIEWER, False),
    ("reviewer_for_funder", ContractRole.REVIEWER, True),
    ("funder_representative", ContractRole.FUNDER, True),
    ("committee", ContractRole.COMMITTEE, False),
    ("resident", ContractRole.RESIDENT, False),
    ("observer", ContractRole.OBSERVER, False),
])
def test_contract_member_traits(trait, role, with_funder):
    contract = ContractFactory()
    member = ContractMemberFactory(contract=contract, **{trait: True})
    assert member.role == role
    assert (member.funder is not None) == with_funder
    if with_funder:
        assert member.funder.contract == contract


def test_two_contracts_built_by_factories_share_nothing():
    ales = CallFactory(contract=ContractFactory(qpvs=ALES_QPVS))
    nimes = CallFactory(contract=ContractFactory(qpvs=NIMES_QPVS))
    a, b = ApplicationFactory(call=ales, submitted=True), ApplicationFactory(call=nimes, submitted=True)
    assert ales.contract != nimes.contract
    assert not set(ales.neighbourhoods.all()) & set(nimes.neighbourhoods.all())
    assert sorted(nimes.neighbourhoods.values_list("code", flat=True)) == sorted(NIMES_QPVS)
    assert ales.framework_version != nimes.framework_version
    assert not set(ales.contract.funders.all()) & set(nimes.contract.funders.all())
    assert a.organisation != b.organisation
    assert a.neighbourhood_code_list == ["QN03001I"] and b.neighbourhood_code_list == ["QN03003M"]
    assert a.reference.startswith(ales.slug.upper()) and b.reference.startswith(nimes.slug.upper())
    assert Application.objects.filter(call__contract=nimes.contract).get() == b
