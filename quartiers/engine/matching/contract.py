"""The `quartiers match --json` line contract, shared by the command, the evaluation and the CI gate.

One input line: ``{"id", "neighbourhood", "title", "description", "audience", "schedule"?}``.
One output line: ``{"id", "no_match", "reason"?, "matches": [{"objective", "label", "theme", "score",
"evidence"}]}``, best first, or ``{"id", "error"}`` with a French message when the line cannot be matched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from quartiers.engine.matching.matcher import Matcher
from quartiers.engine.matching.types import MatchingError, Proposal


def answer(matcher: Matcher, item: Any, *, top: int = 0) -> dict[str, Any]:
    """The output object for one decoded input object (never raises on bad input)."""
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


def answer_lines(matcher: Matcher, lines: Iterable[str], *, top: int = 0) -> Iterator[dict[str, Any]]:
    """Output objects for JSONL input lines; blank lines are skipped, invalid JSON gives an error object."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {"id": None, "error": f"Ligne {number} : JSON invalide ({exc.msg}, colonne {exc.colno})."}
            continue
        yield answer(matcher, item, top=top)
