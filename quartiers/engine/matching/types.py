"""Inputs and outputs of the matching engine: frozen dataclasses, no behaviour beyond validation."""

from __future__ import annotations

from dataclasses import dataclass

from quartiers.engine.framework import Neighbourhood, Objective, Theme


class MatchingError(ValueError):
    """A proposal or a selector the engine cannot work with; the message is in French, for the user."""


@dataclass(frozen=True, slots=True)
class Proposal:
    """What an association proposes: the action's title, its description, its audience, optionally its schedule."""

    title: str
    description: str
    audience: str = ""
    schedule: str = ""

    @property
    def text(self) -> str:
        parts = [self.title.strip(), self.description.strip()]
        if self.audience.strip():
            parts.append("Public : " + self.audience.strip())
        if self.schedule.strip():
            parts.append("Calendrier : " + self.schedule.strip())
        return ". ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why an objective was suggested.

    kind: ``"lexical"`` (shared words), ``"lexicon"`` (a jargon term of the proposal and what it means),
    or ``"semantic"`` (closest fragment in meaning).
    fragment: the part of the objective that carried the match (its label, one action type, a clause).
    proposal_terms: the words or phrases of the proposal that carried it, as written.
    weight: the share of the objective's score this piece of evidence accounts for, in [0, 1].
    """

    kind: str
    fragment: str
    proposal_terms: tuple[str, ...]
    weight: float

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "fragment": self.fragment, "proposal_terms": list(self.proposal_terms),
                "weight": round(self.weight, 3)}


@dataclass(frozen=True)
class SimilarCase:
    """A confirmed case (a :class:`~quartiers.engine.matching.examples.LabelledExample`) close to the proposal, that
    raised this objective's score; similarity in [0, 1]."""

    reference: str
    title: str
    similarity: float

    def as_dict(self) -> dict[str, object]:
        return {"reference": self.reference, "title": self.title, "similarity": round(self.similarity, 3)}


@dataclass(frozen=True, slots=True)
class Match:
    objective: Objective
    theme: Theme
    score: float  # in [0, 1]
    evidence: tuple[Evidence, ...] = ()
    neighbourhood: Neighbourhood | None = None
    lexical: float = 0.0  # calibrated lexical component, in [0, 1]
    semantic: float = 0.0  # calibrated semantic component, in [0, 1]
    similar_cases: tuple[SimilarCase, ...] = ()  # confirmed cases that raised the score, nearest first
    example_boost: float = 0.0  # what the confirmed cases added to the score (0 without examples)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "objective": self.objective.text,
            "label": self.objective.label,
            "theme": self.theme.title,
            "score": round(self.score, 4),
            "evidence": [e.as_dict() for e in self.evidence],
        }
        if self.similar_cases:  # only with examples: the `quartiers match` contract is unchanged without
            out["similar_cases"] = [c.as_dict() for c in self.similar_cases]
        return out


@dataclass(frozen=True, slots=True)
class MatchResult:
    """Objectives ranked best first. ``no_match`` says that none fits well enough (the ranking is still given)."""

    no_match: bool
    matches: tuple[Match, ...]
    reason: str = ""  # a French sentence explaining no_match, empty otherwise

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None
