"""What every baseline shares: the `quartiers match` command-line contract and neighbourhood selection.

A baseline only supplies ``rank(proposal_text, objective_texts) -> scores``; it never declares « no match »
(its no-match F1 is therefore 0). Neighbourhoods are selected exactly as the engine does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from quartiers.engine.framework import Framework, framework_from_dict
from quartiers.engine.matching import MatchingError, find_neighbourhood

Scorer = Callable[[str, Sequence[str]], Sequence[float]]


def proposal_text(item: dict[str, str]) -> str:
    return " ".join(str(item.get(k) or "") for k in ("title", "description", "audience")).strip()


def main(make_scorer: Callable[[Framework], Scorer], argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--framework", required=True)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    try:
        lines = Path(a.input).read_text(encoding="utf-8").splitlines()
        framework = framework_from_dict(json.loads(Path(a.framework).read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        print(f"Lecture impossible : {exc}", file=sys.stderr)
        return 2
    score = make_scorer(framework)
    for line in lines:
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            hood = find_neighbourhood(framework, item.get("neighbourhood", ""))
        except (ValueError, MatchingError) as exc:
            print(json.dumps({"id": None, "error": str(exc)}, ensure_ascii=False))
            continue
        pairs = [(t, o) for t in hood.themes for o in t.objectives]
        scores = score(proposal_text(item), [o.text for _, o in pairs])
        order = sorted(range(len(pairs)), key=lambda i: (-float(scores[i]), i))
        print(json.dumps({"id": item.get("id"), "no_match": False, "matches": [
            {"objective": pairs[i][1].text, "theme": pairs[i][0].title, "score": round(float(scores[i]), 4),
             "evidence": []} for i in order]}, ensure_ascii=False))
    return 0
