"""Reads for the national home: every contract of this instance with the state of its framework and of its call."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count

from quartiers.calls.models import Call
from quartiers.frameworks.models import FrameworkVersion
from quartiers.frameworks.selectors import sections_with_counts
from quartiers.territories.models import Contract

# Up to this many contracts, the home page also lists each published contract's neighbourhoods.
DETAILED_CONTRACTS = 5


@dataclass
class ContractStatus:
    """One row of the national home's table of contracts."""

    contract: Contract
    neighbourhoods: int
    version: FrameworkVersion | None
    open_call: Call | None
    sections: list = field(default_factory=list)  # filled only when the home is detailed


@dataclass
class NationalOverview:
    contracts: list[ContractStatus]
    detailed: bool

    @property
    def published(self) -> int:
        return sum(1 for c in self.contracts if c.version)

    @property
    def with_open_call(self) -> int:
        return sum(1 for c in self.contracts if c.open_call)


def national_overview(now: datetime) -> NationalOverview:
    """Every contract, by name, with its count of QPV, its published version and its call open at ``now`` (the one
    closing first). A fixed number of queries whatever the number of contracts: 3, or 5 when detailed."""
    contracts = list(Contract.objects.annotate(n_hoods=Count("neighbourhoods", distinct=True)).order_by("name", "pk"))
    versions = {v.contract_id: v for v in FrameworkVersion.objects.published().order_by("published_at", "pk")}
    calls: dict[int, Call] = {}
    for call in Call.objects.open_now(now).order_by("-closes_at", "-pk"):
        calls[call.contract_id] = call  # the last written is the one closing first
    detailed = len(contracts) <= DETAILED_CONTRACTS
    by_version: dict[int, list] = {}
    if detailed and versions:
        for s in sections_with_counts(versions.values()):
            by_version.setdefault(s.version_id, []).append(s)
    rows = []
    for c in contracts:
        version = versions.get(c.pk)
        rows.append(ContractStatus(contract=c, neighbourhoods=getattr(c, "n_hoods", 0), version=version,
                                   open_call=calls.get(c.pk),
                                   sections=by_version.get(version.pk, []) if version else []))
    return NationalOverview(contracts=rows, detailed=detailed)
