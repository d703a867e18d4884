"""The demo of Quartiers (the Alès contract, its call, associations and the review stages), loaded by
``quartiers demo``. Every step goes through the services the pages use, so the demo has real history.

Modules: ``contract`` (contract, QPVs, annex, staff accounts), ``calls`` (the open call), ``applications`` (the demo
association and its applications), ``reviews`` (role accounts, grid, applications at every stage, first committee).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from quartiers.territories.models import Contract

DEMO_PASSWORD = "quartiers-demo-2026"


@dataclass(frozen=True)
class DemoLoaded:
    """What ``load_demo`` loaded: the contract and the accounts to print (username, what it is for)."""

    contract: Contract
    accounts: list[tuple[str, str]]


def load_demo(*, reviews: bool = True, second_contract: bool = False, password: str = DEMO_PASSWORD) -> DemoLoaded:
    """Load the demo in one transaction (idempotent). Without ``reviews``, no role accounts nor review stages.

    With ``second_contract``, the Pays d'Uzès contract with its one QPV and a short framework (and its project lead when
    ``reviews``), so that two contracts side by side show their isolation.

    Raises ``quartiers.engine.importer.AnnexError`` when the demo annex cannot be imported."""
    from quartiers.demo.applications import load_demo_applications
    from quartiers.demo.calls import load_demo_call
    from quartiers.demo.contract import (
        load_demo_accounts,
        load_demo_contract,
        load_demo_framework,
        load_second_contract,
    )
    from quartiers.demo.reviews import load_demo_reviews, load_second_contract_lead
    from quartiers.frameworks.models import FrameworkVersion

    with transaction.atomic():
        contract = load_demo_contract()
        load_demo_framework(contract)
        load_demo_call(contract, FrameworkVersion.objects.of_contract(contract).published().get())
        accounts = load_demo_accounts(password=password)
        accounts += load_demo_applications(password=password)
        if reviews:
            accounts += load_demo_reviews(password=password)
        if second_contract:
            second = load_second_contract()
            if reviews:
                accounts += load_second_contract_lead(second, password=password)
        accounts = list({username: what for username, what in accounts}.items())  # roles refine staff accounts
    return DemoLoaded(contract=contract, accounts=accounts)


__all__ = ["DEMO_PASSWORD", "DemoLoaded", "load_demo"]
