"""Confirmed matches kept as labelled data: the cases of a call in the input format of ``quartiers match`` with
the confirmed objective as the gold label, and how often the engine's first suggestion was the one confirmed.

Reviewers' confirmations are the truth the engine is judged by in real use; exporting them lets the team grow
``eval/`` with their own contract's cases (``quartiers export-labels``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from quartiers.applications.engine_adapter import application_proposal
from quartiers.reviews.models import ConfirmedMatch


@dataclass(frozen=True)
class Agreement:
    """How the engine's suggestions compare with what the reviewers confirmed."""

    confirmed: int  # applications with a confirmed objective
    suggested: int  # of which the confirmation recorded the engine's rank
    first: int  # confirmed objective was the engine's first suggestion
    top3: int

    @property
    def first_share(self) -> float | None:
        return self.first / self.suggested if self.suggested else None

    @property
    def top3_share(self) -> float | None:
        return self.top3 / self.suggested if self.suggested else None


def _rows(call):
    return (ConfirmedMatch.objects.filter(is_primary=True, application__call=call)
            .select_related("application", "objective__theme")
            .order_by("application__reference", "pk"))


def labelled_cases(call) -> list[dict]:
    """One dict per application of the call with a confirmed objective, in ``quartiers match``'s input format
    plus the label: ``{"id", "neighbourhood", "title", "description", "audience", "gold": {…}}``."""
    out = []
    for row in _rows(call):
        proposal = application_proposal(row.application)
        out.append({
            "id": row.application.reference or f"#{row.application_id}",
            "neighbourhood": row.neighbourhood_code,
            "title": proposal.title,
            "description": proposal.description,
            "audience": proposal.audience,
            "gold": {"objective_key": row.objective_key, "objective": row.objective.text,
                     "theme": row.objective.theme.title, "engine_rank": row.suggested_rank},
        })
    return out


def labelled_jsonl(call) -> str:
    return "".join(json.dumps(case, ensure_ascii=False) + "\n" for case in labelled_cases(call))


def engine_agreement(call) -> Agreement:
    ranks = list(_rows(call).values_list("suggested_rank", flat=True))
    known = [r for r in ranks if r is not None]
    return Agreement(confirmed=len(ranks), suggested=len(known), first=sum(1 for r in known if r == 1),
                     top3=sum(1 for r in known if r <= 3))
