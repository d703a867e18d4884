"""Roles in a contract's review work: a trait per role of ``ContractRole``."""

import factory
from factory.django import DjangoModelFactory

from quartiers.reviews.models import ContractMember, ContractRole
from tests.factories.accounts import UserFactory
from tests.factories.calls import FunderFactory
from tests.factories.territories import ContractFactory


class ContractMemberFactory(DjangoModelFactory):
    """A person with a role in a contract. Traits: ``project_lead``, ``reviewer`` (any funder),
    ``reviewer_for_funder`` (speaks for the State by default), ``funder`` (a funder's representative),
    ``committee``, ``resident`` (conseil citoyen), ``observer`` (the default role)."""

    class Meta:
        model = ContractMember

    class Params:
        project_lead = factory.Trait(role=ContractRole.PROJECT_LEAD)
        reviewer = factory.Trait(role=ContractRole.REVIEWER)
        reviewer_for_funder = factory.Trait(
            role=ContractRole.REVIEWER, funder=factory.SubFactory(FunderFactory, contract=factory.SelfAttribute("..contract")))
        funder_representative = factory.Trait(
            role=ContractRole.FUNDER, funder=factory.SubFactory(FunderFactory, contract=factory.SelfAttribute("..contract")))
        committee = factory.Trait(role=ContractRole.COMMITTEE)
        resident = factory.Trait(role=ContractRole.RESIDENT)
        observer = factory.Trait(role=ContractRole.OBSERVER)

    contract = factory.SubFactory(ContractFactory)
    user = factory.SubFactory(UserFactory)
    role = ContractRole.OBSERVER
    funder = None


def project_lead_of(contract):
    """The contract's project lead, made if it has none."""
    member = contract.members.filter(role=ContractRole.PROJECT_LEAD).select_related("user").order_by("pk").first()
    return (member or ContractMemberFactory(contract=contract, project_lead=True)).user


def reviewer_of(contract):
    """A reviewer of the contract (any funder), made if it has none."""
    member = (contract.members.filter(role=ContractRole.REVIEWER, funder=None).select_related("user")
              .order_by("pk").first())
    return (member or ContractMemberFactory(contract=contract, reviewer=True)).user
