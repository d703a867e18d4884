"""Baseline: plain BM25 (rank_bm25 Okapi) on lowercased whitespace tokens, no French processing."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from quartiers.engine.framework import Framework
from rank_bm25 import BM25Okapi

from eval.baselines.common import Scorer, main


def make(framework: Framework) -> Scorer:
    texts = [o.text for o in framework.objectives]
    bm25 = BM25Okapi([t.lower().split() for t in texts])
    index = {t: i for i, t in enumerate(texts)}

    def score(text: str, objectives: Sequence[str]) -> Sequence[float]:
        all_scores = bm25.get_scores(text.lower().split())
        return [float(all_scores[index[o]]) for o in objectives]

    return score


if __name__ == "__main__":
    sys.exit(main(make))
