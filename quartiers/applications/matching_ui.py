"""Objective suggestions for the application form, shown with the matching engine's evidence."""

from .services import objective_suggestions


def suggestions_context(application) -> list[dict]:
    claimed = {(c.objective_key, c.neighbourhood_code) for c in application.claimed_objectives.all()}
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
                    "others": [c for c in application.claimed_objectives.all()
                               if c.neighbourhood_code == s.neighbourhood_code and c.objective_key not in shown]})
    return out
