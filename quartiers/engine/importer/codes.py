"""Official QPV codes for the neighbourhoods of a framework, from a reference list passed in.

``resolve_codes`` is pure: the reference (``QpvRef`` rows) comes from the caller, e.g. ``load_qpv_reference``
on ``data/reference/qpv_2024_france.csv`` (columns code_qp, lib_qp, insee_dep, insee_com, lib_com, where
lib_com lists the communes separated by « ; »).

Matching, on folded text (case, accents, hyphens and apostrophes ignored: « Grand'Combe » = « Grand-Combe »,
« Saint Ambroix » = « Saint-Ambroix »):

1. an official code written in the heading (« QN03001I ») wins;
2. otherwise the QPVs whose commune names appear as whole phrases in the heading (or the commune field);
   the QPVs matching the most communes are kept; when a commune has several QPVs, the QPV name decides
   (most words shared with the heading); a tie leaves the code empty;
3. otherwise a QPV whose name equals the neighbourhood's name, if only one does.

When a code is found, ``commune`` is rewritten with the official commune names, in the heading's order.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from quartiers.engine.framework import Framework, Neighbourhood
from quartiers.engine.importer.text import fold

_CODE = re.compile(r"\bQN\s?\d{3}\s?\d{2}[A-Z]\b")
_NAME_STOP = frozenset("de la le les du des d l et quartier quartiers".split())


@dataclass(frozen=True, slots=True)
class QpvRef:
    """One official priority neighbourhood (QPV) of the 2024 geography."""

    code: str
    name: str
    communes: tuple[str, ...] = ()
    department: str = ""


def load_qpv_reference(path: str | Path) -> tuple[QpvRef, ...]:
    """Read the official QPV list (CSV with code_qp, lib_qp, insee_dep, lib_com)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(
            QpvRef(
                code=row["code_qp"].strip(),
                name=row.get("lib_qp", "").strip(),
                communes=tuple(c.strip() for c in (row.get("lib_com") or "").split(";") if c.strip()),
                department=(row.get("insee_dep") or "").strip(),
            )
            for row in csv.DictReader(handle)
            if row.get("code_qp")
        )


def _phrase_at(haystack: str, phrase: str) -> int:
    """Position of ``phrase`` as whole words in ``haystack`` (both folded), or -1."""
    if not phrase:
        return -1
    return f" {haystack} ".find(f" {phrase} ")


def _name_score(ref: QpvRef, words: set[str]) -> int:
    return len({w for w in fold(ref.name).split() if w not in _NAME_STOP} & words)


def resolve_code(neighbourhood: Neighbourhood, reference: Sequence[QpvRef]) -> tuple[str, str]:
    """(code, official communes) of one neighbourhood, or ("", "") when it is not resolvable."""
    text = " ".join(t for t in (neighbourhood.heading, neighbourhood.name, neighbourhood.commune) if t)
    by_code = {r.code.upper(): r for r in reference}
    m = _CODE.search(text.upper())
    if m and m.group(0).replace(" ", "") in by_code:
        ref = by_code[m.group(0).replace(" ", "")]
        return ref.code, ", ".join(ref.communes)
    haystack = fold(text)
    scored: list[tuple[int, QpvRef, list[tuple[int, str]]]] = []
    for ref in reference:
        hits = [(pos, c) for c in ref.communes if (pos := _phrase_at(haystack, fold(c))) >= 0]
        if hits:
            scored.append((len(hits), ref, sorted(hits)))
    if scored:
        best = max(n for n, _, _ in scored)
        candidates = [(ref, hits) for n, ref, hits in scored if n == best]
        if len(candidates) > 1:
            words = set(haystack.split())
            ranked = sorted(((_name_score(ref, words), ref, hits) for ref, hits in candidates),
                            key=lambda x: -x[0])
            if ranked[0][0] == 0 or ranked[0][0] == ranked[1][0]:
                return "", ""
            candidates = [(ranked[0][1], ranked[0][2])]
        ref, hits = candidates[0]
        return ref.code, ", ".join(c for _, c in hits)
    name = fold(neighbourhood.name)
    same_name = [r for r in reference if name and fold(r.name) == name]
    if len(same_name) == 1:
        return same_name[0].code, ", ".join(same_name[0].communes)
    return "", ""


def resolve_codes(framework: Framework, reference: Iterable[QpvRef]) -> Framework:
    """The framework with the official code (and commune names) of every neighbourhood that can be resolved."""
    refs = tuple(reference)
    neighbourhoods = []
    for n in framework.neighbourhoods:
        if n.code or not refs:
            neighbourhoods.append(n)
            continue
        code, communes = resolve_code(n, refs)
        if code:
            n = dataclasses.replace(n, code=code, commune=communes or n.commune)
        neighbourhoods.append(n)
    return dataclasses.replace(framework, neighbourhoods=tuple(neighbourhoods))
