"""Finding, in a framework, the neighbourhoods and objectives an application names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from quartiers.engine.framework import Framework, Neighbourhood, Objective, Theme
from quartiers.engine.rules.model import ObjectiveClaim

QPV_CODE = re.compile(r"^Q[NP]\d{5}[A-Z]?$|^QP\d{6}$")


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces (« Grand'Combe » → « grand combe »)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def looks_like_qpv_code(text: str) -> bool:
    return bool(QPV_CODE.match(text.strip().upper()))


def neighbourhood_candidates(ref: str, framework: Framework) -> list[Neighbourhood]:
    """The neighbourhoods an official code or a part of a name or commune designates (one when unambiguous)."""
    wanted = ref.strip().upper()
    if not wanted:
        return []
    by_code = [n for n in framework.neighbourhoods if n.code and n.code.upper() == wanted]
    if by_code:
        return by_code
    folded = fold(ref)
    if not folded:
        return []
    for with_places in (False, True):
        exact = [
            n
            for n in framework.neighbourhoods
            if any(fold(x) == folded for x in ((n.name, n.commune, n.heading) if with_places else (n.name,)) if x)
        ]
        if len(exact) == 1:
            return exact
    return [
        n
        for n in framework.neighbourhoods
        if any(f" {folded} " in f" {fold(x)} " for x in (n.name, n.commune, n.heading) if x)
    ]


def find_neighbourhood(ref: str, framework: Framework) -> Neighbourhood | None:
    """The neighbourhood designated by an official code or an unambiguous part of its name or commune."""
    found = neighbourhood_candidates(ref, framework)
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True, slots=True)
class Located:
    """An objective and where it sits in the framework."""

    neighbourhood: Neighbourhood
    theme: Theme
    objective: Objective


def _all(framework: Framework) -> list[Located]:
    return [Located(n, t, o) for n in framework.neighbourhoods for t in n.themes for o in t.objectives]


def find_objective(claim: ObjectiveClaim, framework: Framework) -> list[Located]:
    """Every place of the framework the claim designates (by key, full text, label, or an unambiguous start)."""
    candidates = _all(framework)
    if claim.neighbourhood.strip():
        n = find_neighbourhood(claim.neighbourhood, framework)
        candidates = [c for c in candidates if n is not None and c.neighbourhood == n]
    if claim.key.strip():
        return [c for c in candidates if c.objective.key == claim.key.strip()]
    wanted = fold(claim.text)
    if not wanted:
        return []
    found = [c for c in candidates if fold(c.objective.text) == wanted]
    if not found:
        found = [c for c in candidates if fold(c.objective.label) == wanted]
    if found:
        return found
    if len(wanted) >= 20:
        return [c for c in candidates if fold(c.objective.text).startswith(wanted)]
    return []
