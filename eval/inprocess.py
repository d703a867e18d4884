"""The evaluation in one process (for the CI gate): same contract code as `quartiers match`, same metrics as
score_matches.py (whose functions are imported, not rewritten)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from quartiers.engine.framework import Framework
from quartiers.engine.matching import Matcher
from quartiers.engine.matching.contract import answer

from eval import score_matches
from eval.seed import SEED_IDS, load_seed, load_set

ROOT = Path(__file__).resolve().parent.parent
ANNEX = ROOT / "data" / "demo" / "annexe-1-projets-de-quartiers-ales.txt"
QPV = ROOT / "data" / "reference" / "qpv_2024_france.csv"


def official_framework() -> Framework:
    """The seed annex as the importer reads it; the hand-annotated structure if the importer is unavailable."""
    try:
        from quartiers.engine.importer import import_annex_path, load_qpv_reference

        return import_annex_path(ANNEX, reference=load_qpv_reference(QPV)).framework
    except Exception:  # noqa: BLE001 - any importer failure falls back to the annotated seed
        return load_seed()[0]


def evaluate(matcher: Matcher, set_path: Path) -> dict[str, float]:
    items = load_set(set_path)
    gold = score_matches.load_gold(str(SEED_IDS))
    exact = {q: {text: oid for oid, text in cands} for q, cands in gold.items()}
    out: dict[str, dict[str, Any]] = {}
    for it in items:
        line = {"id": it["id"], "neighbourhood": score_matches.SELECTOR[it["qpv"]], "title": it["titre"],
                "description": it["description"], "audience": it.get("public", "")}
        out[it["id"]] = json.loads(json.dumps(answer(matcher, line)))
    pos = [it for it in items if it["gold"]]
    neg = [it for it in items if not it["gold"]]
    top1 = top3 = mrr = 0.0
    tp = fp = 0
    for it in items:
        o = out[it["id"]]
        ids = [exact[it["qpv"]].get(score_matches.norm(m.get("objective", "")))
               or score_matches.to_id(m.get("objective", ""), gold[it["qpv"]]) for m in o.get("matches", [])]
        said_none = bool(o.get("no_match")) or not ids
        if not it["gold"]:
            tp += said_none
            continue
        fp += said_none
        g = set(it["gold"])
        if ids and not said_none:
            top1 += ids[0] in g
        top3 += any(i in g for i in ids[:3])
        for r, i in enumerate(ids, 1):
            if i in g:
                mrr += 1 / r
                break
    p = max(len(pos), 1)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / len(neg) if neg else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"top1": top1 / p, "top3": top3 / p, "mrr": mrr / p, "none_f1": f1, "n": float(len(items))}
