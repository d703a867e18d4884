"""Everything a rule may read, resolved once: the application, the call, the framework and what they designate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from quartiers.engine.framework import Framework, Neighbourhood, Objective
from quartiers.engine.rules.model import Application, Call, ObjectiveClaim, Organisation
from quartiers.engine.rules.resolve import Located, find_neighbourhood, find_objective, looks_like_qpv_code

Scorer = Callable[[Application, Objective], "float | None"]
"""How likely the application serves the objective (0…1), as the matching engine says; None: no opinion."""


@dataclass(frozen=True, slots=True)
class NeighbourhoodRef:
    """One entry of ``application.neighbourhoods``: what was written, what it designates, its official code."""

    index: int
    ref: str
    neighbourhood: Neighbourhood | None
    code: str


@dataclass(frozen=True, slots=True)
class Claim:
    """One claimed objective: everywhere it exists in the framework, and where it is in the action's neighbourhoods."""

    index: int
    claim: ObjectiveClaim
    anywhere: tuple[Located, ...]
    served: tuple[Located, ...]


@dataclass(frozen=True, slots=True)
class Context:
    application: Application
    call: Call
    organisation: Organisation
    framework: Framework
    now: datetime
    scorer: Scorer | None
    neighbourhoods: tuple[NeighbourhoodRef, ...]
    claims: tuple[Claim, ...]

    @property
    def submitted_at(self) -> datetime:
        """When the application counts as filed: its submission time, or else now."""
        return self.application.submitted_at or self.now


def build_context(
    application: Application,
    *,
    call: Call,
    framework: Framework,
    organisation: Organisation,
    now: datetime,
    scorer: Scorer | None = None,
) -> Context:
    refs = []
    for i, ref in enumerate(application.neighbourhoods):
        n = find_neighbourhood(ref, framework)
        code = n.code.upper() if n is not None and n.code else ""
        if not code and looks_like_qpv_code(ref):
            code = ref.strip().upper()
        refs.append(NeighbourhoodRef(i, ref, n, code))
    mine = [r.neighbourhood for r in refs if r.neighbourhood is not None]
    codes = {r.code for r in refs if r.code}
    claims = []
    for i, claim in enumerate(application.claimed_objectives):
        anywhere = tuple(find_objective(replace(claim, neighbourhood=""), framework))
        wanted = find_neighbourhood(claim.neighbourhood, framework) if claim.neighbourhood.strip() else None
        served = tuple(
            loc
            for loc in anywhere
            if (loc.neighbourhood in mine or (loc.neighbourhood.code and loc.neighbourhood.code.upper() in codes))
            and (wanted is None or loc.neighbourhood == wanted)
        )
        claims.append(Claim(i, claim, anywhere, served))
    return Context(
        application=application,
        call=call,
        organisation=organisation,
        framework=framework,
        now=now,
        scorer=scorer,
        neighbourhoods=tuple(refs),
        claims=tuple(claims),
    )
