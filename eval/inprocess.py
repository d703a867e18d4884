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
    outcomes = []
    for it in items:
        o = out[it["id"]]
        ids = [exact[it["qpv"]].get(score_matches.norm(m.get("objective", "")))
               or score_matches.to_id(m.get("objective", ""), gold[it["qpv"]]) for m in o.get("matches", [])]
        outcomes.append((ids, bool(o.get("no_match")), list(it["gold"])))
    return summarise(outcomes)


def summarise(outcomes: list[tuple[list[str | None], bool, list[str]]]) -> dict[str, float]:
    """score_matches.py's metrics from (ranked objective ids, no_match said, gold ids) per item: top-1 strict, top-3
    and MRR over the items with a gold objective, no-match F1 over all."""
    n_pos = sum(1 for _, _, g in outcomes if g)
    n_neg = len(outcomes) - n_pos
    top1 = top3 = mrr = 0.0
    tp = fp = 0
    for ids, no_match, gold_ids in outcomes:
        said_none = no_match or not ids
        if not gold_ids:
            tp += said_none
            continue
        fp += said_none
        g = set(gold_ids)
        if ids and not said_none:
            top1 += ids[0] in g
        top3 += any(i in g for i in ids[:3])
        for r, i in enumerate(ids, 1):
            if i in g:
                mrr += 1 / r
                break
    p = max(n_pos, 1)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / n_neg if n_neg else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"top1": top1 / p, "top3": top3 / p, "mrr": mrr / p, "none_f1": f1, "n": float(len(outcomes))}
