"""Shared fixtures for the calls app's tests (prefix ``calls_``).

A contract with two official QPVs and a small published framework whose two sections are attached to them, built
through the frameworks services (no importer), and two funders of the contract.
"""

import sys
from decimal import Decimal
from pathlib import Path

import pytest

# The tests of this folder import ``calls_helpers`` next to them, whichever file pytest is asked to run.
sys.path.insert(0, str(Path(__file__).parent))

from calls_helpers import CALLS_FRAMEWORK, SIRET_AGGLO, SIRET_STATE, paris  # noqa: E402

from quartiers.engine.framework import framework_from_dict


@pytest.fixture
def calls_contract(db):
    from quartiers.territories.models import Contract
    from quartiers.territories.services import neighbourhoods_load

    contract = Contract.objects.create(slug="ales", name="Contrat de ville de l'arrondissement d'Alès", code="CN03001I")
    neighbourhoods_load(codes=["QN03001I", "QN03002M"], contract=contract,
                        short_names={"QN03001I": "Alès", "QN03002M": "Anduze"})
    return contract


@pytest.fixture
def calls_version(calls_contract):
    """The contract's framework, published."""
    from quartiers.frameworks.services import framework_store, version_publish

    version = framework_store(contract=calls_contract, framework=framework_from_dict(CALLS_FRAMEWORK),
                              source_name="annexe.txt", source_bytes=b"annexe", source_text="annexe")
    return version_publish(version=version)


@pytest.fixture
def calls_funders(calls_contract):
    from quartiers.calls.models import Funder

    state = Funder.objects.create(contract=calls_contract, kind="etat_bop147", name="Préfecture du Gard",
                                  siret=SIRET_STATE)
    agglo = Funder.objects.create(contract=calls_contract, kind="epci", name="Alès Agglomération",
                                  siret=SIRET_AGGLO)
    return state, agglo


@pytest.fixture
def calls_draft(calls_version):
    """A draft call of the contract, 1 Oct 2026 9:00 → 15 Jan 2027 12:00 (Paris), without funders."""
    from quartiers.calls.models import Call

    call = Call.objects.create(contract=calls_version.contract, framework_version=calls_version, slug="ales-2027",
                               title="Appel à projets 2027", year=2027, opens_at=paris(2026, 10, 1, 9),
                               closes_at=paris(2027, 1, 15, 12))
    call.neighbourhoods.set(calls_version.contract.neighbourhoods.all())
    return call


@pytest.fixture
def calls_ready(calls_draft, calls_funders):
    """The draft call with both funders and their envelopes: ready to open."""
    from quartiers.calls.models import CallFunder

    CallFunder.objects.create(call=calls_draft, funder=calls_funders[0], envelope=Decimal("120000"))
    CallFunder.objects.create(call=calls_draft, funder=calls_funders[1], envelope=Decimal("80000.50"))
    return calls_draft


@pytest.fixture
def calls_staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
