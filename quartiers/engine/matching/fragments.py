"""Objectives cut into the fragments matching works on: the label, each action type, and their clauses.

An objective such as « Accompagner les parents… : actions de soutien à la parentalité…, médiation écoles/familles »
is matched piece by piece, so that a proposal that fits one action type well is not drowned by the rest of a long
objective. The whole objective, prefixed by its theme title, is kept too: it carries the context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quartiers.engine.framework import Objective, Theme

# A fragment longer than this many words is cut into clauses at commas and parentheses.
LONG_FRAGMENT_WORDS = 14
MIN_CLAUSE_WORDS = 3

_SEMI_RE = re.compile(r"\s*[;•]\s*|\s+-\s+|\.\s+(?=[A-ZÀ-Ý])")
_CLAUSE_RE = re.compile(r"\s*[,()]\s*|\s*\.\.\.\s*|\s*…\s*")


@dataclass(frozen=True, slots=True)
class Fragment:
    kind: str  # "objective" (whole text with theme), "label", "action_type" or "clause"
    text: str


def _split(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [p.strip(" .:;,") for p in pattern.split(text) if p and p.strip(" .:;,")]


def _clauses(text: str) -> list[str]:
    if len(text.split()) <= LONG_FRAGMENT_WORDS:
        return []
    out: list[str] = []
    for piece in _split(text, _CLAUSE_RE):
        if out and len(piece.split()) < MIN_CLAUSE_WORDS:
            out[-1] = out[-1] + ", " + piece
        else:
            out.append(piece)
    return out if len(out) > 1 else []


def split_label(text: str) -> tuple[str, tuple[str, ...]]:
    """Label and action types of an objective text: before and after the first colon, action types split at « ; »."""
    head, sep, tail = text.partition(" : ")
    if not sep:
        head, sep, tail = text.partition(":")
    if not sep:
        return text.strip(), ()
    return head.strip(), tuple(_split(tail, _SEMI_RE))


def objective_fragments(objective: Objective, theme: Theme) -> tuple[Fragment, ...]:
    """Fragments of one objective, whole objective first; duplicates removed, order stable."""
    label = objective.label.strip() or objective.text.strip()
    action_types = tuple(a.strip() for a in objective.action_types if a.strip())
    if not action_types and label == objective.text.strip():
        label, action_types = split_label(objective.text)
    pieces: list[Fragment] = [Fragment("objective", f"{theme.title.strip()} : {objective.text.strip()}")]
    for part in _split(label, _SEMI_RE) or [label]:
        pieces.append(Fragment("label", part))
        pieces.extend(Fragment("clause", c) for c in _clauses(part))
    for action in action_types:
        for part in _split(action, _SEMI_RE) or [action]:
            pieces.append(Fragment("action_type", part))
            pieces.extend(Fragment("clause", c) for c in _clauses(part))
    seen: set[str] = set()
    out: list[Fragment] = []
    for f in pieces:
        k = " ".join(f.text.casefold().split())
        if k and k not in seen:
            seen.add(k)
            out.append(f)
    return tuple(out)
