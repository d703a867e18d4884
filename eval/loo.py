"""Leave-one-out of the confirmed-matches examples (issue #5, « Review »): does ranking with the nearest confirmed
cases help?

Every labelled case of the dev set and of our own set is ranked twice by the engine in this process: without
examples, and with ``examples`` = every OTHER labelled case that has a gold objective (its first gold objective as
the confirmed one, as a reviewer would confirm it), the case itself left out. Both sets describe the same
framework (the seed annex), so the examples of one set help the other too, as confirmed cases of one contract
would. The metrics are those of score_matches.py (top-1 strict, top-3, MRR on the cases with an objective;
no-match F1 on all), computed by the same rules as ``eval/inprocess.py``.

    .venv/bin/python -m eval.loo
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quartiers.engine.framework import Framework
from quartiers.engine.matching import LabelledExample, Matcher, MatchResult, Proposal

from eval import score_matches
from eval.inprocess import summarise
from eval.seed import DEV_SET, OWN_SET, SEED_IDS, load_set

SETS = {"dev": DEV_SET, "own": OWN_SET}


@dataclass(frozen=True)
class Case:
    set_name: str
    item: dict[str, Any]
    proposal: Proposal
    selector: str


def objective_ids(framework: Framework) -> dict[str, dict[str, str]]:
    """Per seed QPV id (Q1…): objective id (Q1.T6.O3) → Objective.key of the framework's objective with that id."""
    gold = score_matches.load_gold(str(SEED_IDS))
    out: dict[str, dict[str, str]] = {}
    for q, candidates in gold.items():
        hood = next((h for h in framework.neighbourhoods
                     if score_matches.norm(h.commune or h.name) == score_matches.norm(score_matches.SELECTOR[q])
                     or score_matches.norm(score_matches.SELECTOR[q]) in score_matches.norm(h.heading + " " + h.name
                                                                                              + " " + h.commune)),
                    None)
        objectives = hood.objectives if hood is not None else framework.objectives
        ids: dict[str, str] = {}
        for o in objectives:
            oid = score_matches.to_id(o.text, candidates)
            if oid is not None and oid not in ids:
                ids[oid] = o.key
        out[q] = ids
    return out


def load_cases(set_names: Sequence[str] = ("dev", "own")) -> list[Case]:
    cases = []
    for name in set_names:
        for it in load_set(SETS[name]):
            cases.append(Case(name, it, Proposal(it["titre"], it["description"], it.get("public", "")),
                              score_matches.SELECTOR[it["qpv"]]))
    return cases


def examples_of(cases: Sequence[Case], keys: dict[str, dict[str, str]], framework: Framework
                ) -> list[tuple[Case, LabelledExample]]:
    """The labelled cases with a gold objective, as confirmed examples (first gold objective)."""
    codes = {q: next((h.code for h in framework.neighbourhoods
                      if score_matches.norm(score_matches.SELECTOR[q]) in score_matches.norm(
                          h.heading + " " + h.name + " " + h.commune)), "") for q in keys}
    out = []
    for c in cases:
        gold = c.item.get("gold") or []
        key = keys.get(c.item["qpv"], {}).get(gold[0]) if gold else None
        if key is None:
            continue
        # the audience is part of what an applicant writes; the example keeps it in its description
        description = c.item["description"] + (f" Public : {c.item['public']}." if c.item.get("public") else "")
        out.append((c, LabelledExample(reference=c.item["id"], title=c.item["titre"], description=description,
                                       objective_key=key, neighbourhood_code=codes.get(c.item["qpv"], ""))))
    return out


def metrics(results: Sequence[tuple[Case, MatchResult]], keys: dict[str, dict[str, str]]) -> dict[str, float]:
    """score_matches.py's metrics (top-1 strict, top-3, MRR, no-match F1) on in-process results."""
    by_key = {q: {k: oid for oid, k in ids.items()} for q, ids in keys.items()}
    return summarise([([by_key[c.item["qpv"]].get(m.objective.key) for m in r.matches], r.no_match,
                       list(c.item["gold"])) for c, r in results])


def leave_one_out(matcher: Matcher, cases: Sequence[Case] | None = None
                  ) -> dict[str, dict[str, dict[str, float]]]:
    """{set: {"without": metrics, "with": metrics}} plus the same for "all" (both sets together)."""
    cases = list(cases) if cases is not None else load_cases()
    keys = objective_ids(matcher.framework)
    examples = examples_of(cases, keys, matcher.framework)
    without: list[tuple[Case, MatchResult]] = []
    with_ex: list[tuple[Case, MatchResult]] = []
    for c in cases:
        others = [ex for other, ex in examples if other is not c]
        without.append((c, matcher.match(c.proposal, c.selector)))
        with_ex.append((c, matcher.match(c.proposal, c.selector, examples=others)))
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name in [*dict.fromkeys(c.set_name for c in cases), "all"]:
        def pick(rs: list[tuple[Case, MatchResult]], name: str = name) -> list[tuple[Case, MatchResult]]:
            return [(c, r) for c, r in rs if name == "all" or c.set_name == name]
        out[name] = {"without": metrics(pick(without), keys), "with": metrics(pick(with_ex), keys)}
    return out


LABELS = {"dev": "dev", "own": "own", "all": "dev + own"}


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    rows = ["| jeu | cas | exemples | top-1 | top-3 | MRR | F1 « aucun » |", "|---|---|---|---|---|---|---|"]
    for name, by in results.items():
        for mode, label in (("without", "sans"), ("with", "avec (tous les autres cas confirmés)")):
            m = by[mode]
            rows.append(f"| {LABELS.get(name, name)} | {int(m['n'])} | {label} | {m['top1']:.3f} | {m['top3']:.3f} | "
                        f"{m['mrr']:.3f} | {m['none_f1']:.3f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description="Leave-one-out des cas confirmés.").parse_args(argv)
    from eval.inprocess import official_framework

    print(table(leave_one_out(Matcher(official_framework(), cache_dir=Path("var/cache/embeddings")))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
