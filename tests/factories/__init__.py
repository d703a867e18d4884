"""Factories (factory-boy) that build a situation through the real services, with a trait per status or role.

    contract = ContractFactory(qpvs=ALES_QPVS)            # the contract and its official QPVs
    call = CallFactory(contract=contract)                  # open, three funders, on a small real framework
    app = ApplicationFactory(call=call, reviewed=True)     # instruite, with its transition rows
    ContractMemberFactory(contract=contract, funder_representative=True)

Every QPV code belongs to one contract: a second contract in the same test takes other codes (``NIMES_QPVS``).
"""

from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.applications import (
    ApplicationFactory,
    OrganisationFactory,
    administrator_of,
    application_content,
    siret,
)
from tests.factories.calls import CallFactory, FunderFactory, funder_of
from tests.factories.reviews import ContractMemberFactory, project_lead_of, reviewer_of
from tests.factories.territories import (
    ALES_QPVS,
    EDUCATION,
    NIMES_QPVS,
    YOUTH,
    ContractFactory,
    PublishedVersionFactory,
    annex_text,
    published_version,
)

__all__ = [
    "ALES_QPVS", "EDUCATION", "NIMES_QPVS", "PASSWORD", "YOUTH", "ApplicationFactory", "CallFactory",
    "ContractFactory", "ContractMemberFactory", "FunderFactory", "OrganisationFactory", "PublishedVersionFactory",
    "UserFactory", "administrator_of", "annex_text", "application_content", "funder_of", "project_lead_of",
    "published_version", "reviewer_of", "siret",
]
