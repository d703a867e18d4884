"""Baseline: TF-IDF cosine (scikit-learn defaults: lowercase words, no stemming, no stop words)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from quartiers.engine.framework import Framework
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from eval.baselines.common import Scorer, main


def make(framework: Framework) -> Scorer:
    vectorizer = TfidfVectorizer().fit([o.text for o in framework.objectives])

    def score(text: str, objectives: Sequence[str]) -> Sequence[float]:
        return list(cosine_similarity(vectorizer.transform([text]), vectorizer.transform(list(objectives)))[0])

    return score


if __name__ == "__main__":
    sys.exit(main(make))
