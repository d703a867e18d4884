"""The `quartiers match --json` line contract, shared by the command, the evaluation and the CI gate.

One input line: ``{"id", "neighbourhood", "title", "description", "audience", "schedule"?}``.
One output line: ``{"id", "no_match", "reason"?, "matches": [{"objective", "label", "theme", "score",
"evidence"}]}``, best first, or ``{"id", "error"}`` with a French message when the line cannot be matched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from quartiers.engine.matching.matcher import Matcher
from quartiers.engine.matching.types import MatchingError, Proposal


def answer(matcher: Matcher | None, item: Any, *, top: int = 0) -> dict[str, Any]:
    """The output object for one decoded input object (never raises on bad input). Without an engine, only the
    lines refused before matching get an answer (an invalid object, a missing neighbourhood)."""
    if not isinstance(item, dict):
        return {"id": None, "error": "Ligne invalide : un objet JSON est attendu."}
    ident = item.get("id")
    fields = {k: item.get(k, "") for k in ("neighbourhood", "title", "description", "audience", "schedule")}
    bad = [k for k, v in fields.items() if v is not None and not isinstance(v, str)]
    if bad:
        return {"id": ident, "error": f"Champ invalide : « {bad[0]} » doit être un texte."}
    if not (fields["neighbourhood"] or "").strip():
        return {"id": ident, "error": "Quartier non précisé : indiquez « neighbourhood » (code QPV ou nom)."}
    proposal = Proposal(title=fields["title"] or "", description=fields["description"] or "",
                        audience=fields["audience"] or "", schedule=fields["schedule"] or "")
    if matcher is None:
        return {"id": ident, "error": "Aucun référentiel pour ce quartier."}
    try:
        result = matcher.match(proposal, fields["neighbourhood"])
    except MatchingError as exc:
        return {"id": ident, "error": str(exc)}
    matches = result.matches[:top] if top > 0 else result.matches
    out: dict[str, Any] = {"id": ident, "no_match": result.no_match}
    if result.reason:
        out["reason"] = result.reason
    out["matches"] = [m.as_dict() for m in matches]
    return out


Route = Callable[[str], "Matcher | str"]  # a neighbourhood → the engine that answers for it, or a French error


def answer_lines(matcher: Matcher | Route, lines: Iterable[str], *, top: int = 0) -> Iterator[dict[str, Any]]:
    """Output objects for JSONL input lines; blank lines are skipped, invalid JSON gives an error object.

    ``matcher`` is one engine for every line, or a route that picks each line's engine from its neighbourhood
    (several contracts' frameworks); a route's error message becomes the line's error."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {"id": None, "error": f"Ligne {number} : JSON invalide ({exc.msg}, colonne {exc.colno})."}
            continue
        if isinstance(matcher, Matcher):
            yield answer(matcher, item, top=top)
            continue
        place = item.get("neighbourhood") if isinstance(item, dict) else None
        if not (isinstance(place, str) and place.strip()):
            yield answer(None, item, top=top)  # refused by the line's own checks before any engine is needed
            continue
        routed = matcher(place)
        yield answer(routed, item, top=top) if isinstance(routed, Matcher) else {"id": item.get("id"), "error": routed}
