"""Confirmed matches as examples: the nearest confirmed cases of a proposal add evidence to their objective.

Reviewers confirm which objective an application serves. Those confirmed cases (:class:`LabelledExample`) can be
given to :meth:`Matcher.match <quartiers.engine.matching.Matcher.match>`; for each objective of the neighbourhood
ranked, the examples confirmed on it are compared with the proposal, and the nearest add a bounded boost to the
objective's score and appear in the match as :class:`~quartiers.engine.matching.types.SimilarCase`.

Similarity of a proposal to an example, in [0, 1]: ``0.5 · semantic + 0.5 · lexical``, where semantic is the cosine
of the two texts' vectors (the same vectors as the ranking's: text plus jargon meanings; negative cosines count as
0) and lexical the cosine of their weighted bags of stems (the ranking's query weights times the framework's IDF;
a stem the framework does not know counts as a rare one). Example vectors and bags are computed once per example
text and kept in a bounded cache keyed by a hash of the text, so repeated calls with the same examples only compute
dot products.

Boost of an objective: each example's strength is ``(similarity − low) / (high − low)`` clipped to [0, 1]; the
strengths of the objective's best ``top_k`` examples are combined as ``1 − Π(1 − strength)`` and multiplied by
``max_boost``. The rules that keep examples from deciding alone (see docs/matching.md):

* an example counts only for an objective of the neighbourhood ranked: its ``objective_key`` must be the key of
  one of the ranked objectives, and when both it and that objective's neighbourhood have a code, the codes must
  agree; other examples are ignored;
* the boost is bounded (``max_boost``) and reorders close objectives; it never turns a « no match » into a match,
  except when the proposal is a near-duplicate of a confirmed case (similarity ≥ ``near_duplicate``, 0.9: the
  same action submitted again, e.g. a renewal): then the confirmed objective's score is at least
  ``near_duplicate_score × similarity`` (0.54 to 0.6, a clear match), because the reviewer's answer for the same
  text is better evidence than the annex's words.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class LabelledExample:
    """A confirmed match: an application and the objective a reviewer confirmed it serves."""

    reference: str  # e.g. the application reference « ALES-2027-0003 »
    title: str
    description: str
    objective_key: str  # Objective.key of the confirmed objective
    neighbourhood_code: str = ""


@dataclass(frozen=True, slots=True)
class ExampleConfig:
    """Constants of the examples' boost (chosen on the leave-one-out of ``make eval``, docs/matching.md)."""

    semantic_share: float = 0.5  # similarity = share · semantic + (1 − share) · lexical
    low: float = 0.35  # below this similarity an example adds nothing
    high: float = 0.75  # from this similarity an example gives its full strength
    max_boost: float = 0.10  # at most this much is added to an objective's score
    top_k: int = 3  # examples per objective that count
    near_duplicate: float = 0.9  # from here an example may turn a « no match » into a match
    near_duplicate_score: float = 0.6  # … its objective's score is then at least this × the similarity
    max_cases: int = 3  # similar cases listed per match


@dataclass(frozen=True, slots=True)
class PreparedExample:
    """What the similarity needs of an example, computed once per text."""

    vector: npt.NDArray[np.float32]
    bag: dict[str, float]  # stem → weight × IDF, L2-normalised


def example_key(title: str, description: str) -> str:
    return hashlib.sha256(f"{title}\x1f{description}".encode()).hexdigest()


def normalised_bag(weights: dict[str, float], idf: dict[str, float]) -> dict[str, float]:
    bag = {s: w * idf[s] for s, w in weights.items() if idf.get(s, 0.0) > 0}
    norm = math.sqrt(sum(v * v for v in bag.values()))
    return {s: v / norm for s, v in sorted(bag.items())} if norm else {}


def bag_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two normalised bags (built in sorted order, so the sum's order, hence its value, is fixed)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[s] for s, v in a.items() if s in b)


def strength(similarity: float, cfg: ExampleConfig) -> float:
    if cfg.high <= cfg.low:
        return 1.0 if similarity >= cfg.high else 0.0
    return min(1.0, max(0.0, (similarity - cfg.low) / (cfg.high - cfg.low)))


def combine(strengths: list[float]) -> float:
    """Noisy-or of the best strengths: two good cases say more than one, never more than 1."""
    out = 1.0
    for s in strengths:
        out *= 1.0 - s
    return 1.0 - out


class ExampleCache:
    """Prepared examples by text hash, least recently used dropped beyond ``size`` (thread-safe)."""

    def __init__(self, size: int = 5_000) -> None:  # ≈ 5 kB each (vector and bag)
        self._size = size
        self._items: OrderedDict[str, PreparedExample] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> PreparedExample | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: str, value: PreparedExample) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
