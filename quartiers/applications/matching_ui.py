"""Objective suggestions for the application form, shown with the matching engine's evidence."""

import hashlib
import json

from quartiers.applications.engine_adapter import objective_suggestions

SUGGESTION_INPUTS = ("title", "need", "objectives", "description", "activities", "neighbourhoods")


def suggestions_key(application) -> str:
    """A fingerprint of what the suggestions depend on: the page re-renders them only when it changes (so that
    a keyboard user ticking objectives does not lose focus at each autosave)."""
    content = application.content or {}
    payload = json.dumps([content.get(k) for k in SUGGESTION_INPUTS], ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


def suggestions_context(application) -> list[dict]:
    claimed_objectives = list(application.claimed_objectives.all())
    claimed = {(c.objective_key, c.neighbourhood_code) for c in claimed_objectives}
    out = []
    for s in objective_suggestions(application):
        rows = []
        for row in s.rows:
            key = row["match"].objective.key
            rows.append({**row, "value": f"{key}|{s.neighbourhood_code}",
                         "checked": (key, s.neighbourhood_code) in claimed})
        shown = {r["match"].objective.key for r in rows}
        out.append({"name": s.neighbourhood_name, "code": s.neighbourhood_code, "rows": rows,
                    "no_match": s.no_match, "problem": s.problem,
                    # claimed objectives that the ranking no longer shows stay visible (and ticked)
                    "others": [c for c in claimed_objectives
                               if c.neighbourhood_code == s.neighbourhood_code and c.objective_key not in shown]})
    return out
