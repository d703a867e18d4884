"""Rank a neighbourhood's objectives for a proposal, with evidence and an explicit « no match ».

Scoring, per objective (every constant is in :class:`MatchConfig`):

* lexical: bm25s scores of the proposal's weighted stems (title > description > audience > lexicon
  expansions) on each fragment; objective = ``0.6·best fragment + 0.4·whole objective``, then squashed into
  [0, 1] by ``1 − exp(−raw / lexical_scale)``;
* semantic: cosine between the proposal's vector (USE on its title, description and audience, plus
  ``semantic_expansion_mix`` × the mean vector of what its first jargon terms mean, those vectors being computed
  once per lexicon) and each fragment's,
  minus the fragment's hubness (its mean cosine to its ``hub_k`` nearest lexicon entries, times ``hub_beta``);
  objective = ``0.6·best fragment + 0.4·whole objective (with the theme title)``, mapped linearly from
  [semantic_floor, semantic_ceiling] to [0, 1];
* fused score = ``semantic_weight·semantic + (1 − semantic_weight)·lexical``, in [0, 1].

No match is declared when the best fused score is below ``no_match_score``: see docs/matching.md for how the
threshold was chosen.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from quartiers.engine.framework import Framework, Neighbourhood, Objective, Theme
from quartiers.engine.matching.examples import (
    ExampleCache,
    ExampleConfig,
    LabelledExample,
    PreparedExample,
    bag_cosine,
    combine,
    example_key,
    normalised_bag,
    strength,
)
from quartiers.engine.matching.fragments import Fragment, objective_fragments
from quartiers.engine.matching.lexical import LexicalIndex
from quartiers.engine.matching.lexicon import Lexicon, LexiconHit, default_lexicon
from quartiers.engine.matching.neighbourhoods import find_neighbourhood
from quartiers.engine.matching.normalise import Token, analyse, clean
from quartiers.engine.matching.semantic import Encoder, default_encoder, embed_cached
from quartiers.engine.matching.types import Evidence, Match, MatchingError, MatchResult, Proposal, SimilarCase

# Semantic side: the description is cut here (USE reads the beginning of a text best; the rest costs time:
# the encoding's cost grows with the tokens).
SEMANTIC_MAX_CHARS = 400
# Vectors of the last proposals encoded by :meth:`Matcher.match` (the public page matches again at each edit).
PROPOSAL_CACHE_SIZE = 512


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Every constant of the scoring; the defaults are those evaluated in docs/matching.md."""

    title_weight: float = 1.5
    description_weight: float = 1.0
    audience_weight: float = 0.6
    expansion_weight: float = 0.9
    expansion_max_df: float = 0.2
    lexical_best_fragment: float = 0.6
    lexical_scale: float = 8.0
    semantic_best_fragment: float = 0.6
    semantic_floor: float = -0.13
    semantic_ceiling: float = 0.48
    semantic_weight: float = 0.3
    semantic_with_lexicon: bool = True
    semantic_max_expansions: int = 3  # the first jargon terms describe the action; more dilute the vector
    semantic_expansion_mix: float = 0.5  # weight of the mean vector of the jargon meanings, added to the text's
    # (those vectors are computed once per lexicon: the proposal's own text alone is encoded per request)
    hub_beta: float = 1.0
    hub_k: int = 10
    no_match_score: float = 0.32
    max_evidence_terms: int = 8


@dataclass(frozen=True, slots=True)
class _Entry:
    neighbourhood: int
    theme: Theme
    objective: Objective
    first_doc: int
    fragments: tuple[Fragment, ...]
    stems: tuple[frozenset[str], ...]  # per fragment


@dataclass(frozen=True, slots=True)
class _Query:
    weights: dict[str, float]
    surfaces: dict[str, tuple[str, ...]]  # stem → words of the proposal, as written
    hits: tuple[LexiconHit, ...]
    semantic_text: str
    title: str
    means: tuple[str, ...] = ()


@dataclass
class _Range:
    objectives: tuple[int, int]
    docs: tuple[int, int]


@dataclass
class Matcher:
    """Build once per framework (indexes and vectors are computed here), then call :meth:`match` per proposal."""

    framework: Framework
    encoder: Encoder | None = None
    lexicon: Lexicon | None = None
    cache_dir: str | Path | None = None
    config: MatchConfig = field(default_factory=MatchConfig)
    example_config: ExampleConfig = field(default_factory=ExampleConfig)

    def __post_init__(self) -> None:
        if isinstance(self.framework, Neighbourhood):  # one neighbourhood given alone
            self.framework = Framework(neighbourhoods=(self.framework,))
        self._encoder: Encoder = self.encoder or default_encoder()
        self._proposal_vectors: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
        self._proposal_lock = threading.Lock()
        self._examples = ExampleCache()
        self._lexicon: Lexicon = self.lexicon or default_lexicon()
        entries: list[_Entry] = []
        docs: list[list[str]] = []
        texts: list[str] = []
        self._ranges: list[_Range] = []
        self._selected: dict[str, Neighbourhood] = {}
        analysed: dict[str, list[str]] = {}  # frameworks repeat wording: analyse each text once
        stem_sets: dict[tuple[str, str], tuple[list[str], frozenset[str]]] = {}

        def stems_of(text: str) -> list[str]:
            found = analysed.get(text)
            if found is None:
                found = analysed[text] = [t.stem for t in analyse(text)]
            return found

        def doc_of(text: str, theme_title: str) -> tuple[list[str], frozenset[str]]:
            """Stems of a fragment (theme title added for the whole objective), shared between equal texts."""
            k = (text, theme_title)
            found = stem_sets.get(k)
            if found is None:
                s = stems_of(text) + (stems_of(theme_title) if theme_title else [])
                found = stem_sets[k] = (s, frozenset(s))
            return found

        cut: dict[tuple[str, str, str, tuple[str, ...]], tuple[Fragment, ...]] = {}
        for ni, hood in enumerate(self.framework.neighbourhoods):
            o0, d0 = len(entries), len(docs)
            for theme in hood.themes:
                for objective in theme.objectives:
                    ck = (theme.title, objective.text, objective.label, objective.action_types)
                    frags = cut.get(ck)
                    if frags is None:
                        frags = cut[ck] = objective_fragments(objective, theme)
                    stems = []
                    first = len(docs)
                    for i, frag in enumerate(frags):
                        # the theme title counts twice in the whole-objective document (it is in its text too)
                        doc, stem_set = doc_of(frag.text, theme.title if i == 0 else "")
                        docs.append(doc)
                        texts.append(frag.text)
                        stems.append(stem_set)
                    entries.append(_Entry(ni, theme, objective, first, frags, tuple(stems)))
            self._ranges.append(_Range((o0, len(entries)), (d0, len(docs))))
        self._hood_index = {id(h): i for i, h in enumerate(self.framework.neighbourhoods)}
        self._key_entries: dict[str, list[int]] = {}
        for ei, e in enumerate(entries):
            self._key_entries.setdefault(e.objective.key, []).append(ei)
        self._entries = tuple(entries)
        self._entry_first = np.array([e.first_doc for e in entries], dtype=np.int64)
        self._doc_entry = np.zeros(len(docs), dtype=np.int64)
        self._doc_is_whole = np.zeros(len(docs), dtype=bool)
        for ei, e in enumerate(entries):
            self._doc_entry[e.first_doc : e.first_doc + len(e.fragments)] = ei
            self._doc_is_whole[e.first_doc] = True
        self._lexical = LexicalIndex(docs)
        del docs
        analysed.clear()
        stem_sets.clear()
        unique = list(dict.fromkeys(texts))
        row = {t: i for i, t in enumerate(unique)}
        self._doc_row = np.array([row[t] for t in texts], dtype=np.int64)
        self._vectors = embed_cached(unique, self._encoder, self.cache_dir)
        # Hubness: how close each fragment is, on average, to its k nearest « typical actions » (the lexicon's
        # entries). Fragments close to everything would otherwise attract every proposal.
        reference = [", ".join(e.terms) + " : " + e.means for e in self._lexicon.entries]
        ref_vectors = embed_cached(reference, self._encoder, self.cache_dir)
        means_texts = list(dict.fromkeys(e.means for e in self._lexicon.entries))
        means_vectors = embed_cached(means_texts, self._encoder, self.cache_dir)
        self._means_vectors = {t: means_vectors[i] for i, t in enumerate(means_texts)}
        self._hub = np.zeros(len(unique), dtype=np.float32)
        if len(reference) and len(unique):
            k = min(self.config.hub_k, len(reference))
            for lo in range(0, len(unique), 4096):
                sims = self._vectors[lo : lo + 4096] @ ref_vectors.T
                top = np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:]
                self._hub[lo : lo + 4096] = top.mean(axis=1)

    # --- public -------------------------------------------------------------------------------------------

    @property
    def size(self) -> int:
        """Number of objectives indexed."""
        return len(self._entries)

    def neighbourhood(self, selector: str) -> Neighbourhood:
        return find_neighbourhood(self.framework, selector)

    def match(self, proposal: Proposal, neighbourhood: Neighbourhood | str | None = None, *,
              examples: Sequence[LabelledExample] = ()) -> MatchResult:
        """Objectives of ``neighbourhood`` (all of the framework's when None) ranked for ``proposal``.

        ``examples``: confirmed matches (of the same contract); the nearest raise their objective's score a little
        and are listed in its ``similar_cases`` (rules in :mod:`quartiers.engine.matching.examples`). Examples of
        objectives outside the ranked neighbourhood are ignored."""
        rng = self._range_of(neighbourhood)
        query = self._query(proposal)
        prepared = self._prepare_examples(examples, rng)
        return self._rank(query, rng, self._query_vector(query, self._text_vector(query.semantic_text)), prepared)

    def match_many(self, proposals: Sequence[tuple[Proposal, Neighbourhood | str | None]], *,
                   examples: Sequence[LabelledExample] = ()) -> list[MatchResult]:
        """Like :meth:`match` for many proposals, their texts encoded in one batch (faster); raises on the first
        bad proposal."""
        prepared = [(self._query(p), self._range_of(n)) for p, n in proposals]
        vectors = self._encoder.encode([q.semantic_text for q, _ in prepared])
        every = self._prepare_examples(examples, None)
        return [self._rank(q, rng, self._query_vector(q, vectors[i]), self._in_range(every, rng))
                for i, (q, rng) in enumerate(prepared)]

    def clear_proposal_cache(self) -> None:
        """Forget the vectors of the proposals already seen (the benchmark measures uncached proposals)."""
        with self._proposal_lock:
            self._proposal_vectors.clear()

    # --- internals ----------------------------------------------------------------------------------------

    def _text_vector(self, text: str) -> npt.NDArray[np.float32]:
        """The USE vector of one proposal text, from a small LRU cache keyed on the text (always encoded alone,
        so a cached vector is exactly the one a fresh encoding gives)."""
        with self._proposal_lock:
            hit = self._proposal_vectors.get(text)
            if hit is not None:
                self._proposal_vectors.move_to_end(text)
                return hit
        vector: npt.NDArray[np.float32] = self._encoder.encode([text])[0]
        vector.setflags(write=False)
        with self._proposal_lock:
            self._proposal_vectors[text] = vector
            while len(self._proposal_vectors) > PROPOSAL_CACHE_SIZE:
                self._proposal_vectors.popitem(last=False)
        return vector

    def _prepare_examples(self, examples: Sequence[LabelledExample], rng: _Range | None
                          ) -> list[tuple[int, LabelledExample, PreparedExample]]:
        """(objective entry, example, prepared example) for every example whose objective is ranked in ``rng``
        (the whole framework when None); the others, and examples without any significant word, are left out."""
        out: list[tuple[int, LabelledExample, PreparedExample]] = []
        for ex in examples:
            for ei in self._key_entries.get(ex.objective_key, ()):
                if rng is not None and not rng.objectives[0] <= ei < rng.objectives[1]:
                    continue
                code = self.framework.neighbourhoods[self._entries[ei].neighbourhood].code
                if ex.neighbourhood_code and code and ex.neighbourhood_code.strip() != code:
                    continue
                prepared = self._prepared_example(ex)
                if prepared is not None:
                    out.append((ei, ex, prepared))
        return out

    @staticmethod
    def _in_range(prepared: list[tuple[int, LabelledExample, PreparedExample]], rng: _Range
                  ) -> list[tuple[int, LabelledExample, PreparedExample]]:
        return [p for p in prepared if rng.objectives[0] <= p[0] < rng.objectives[1]]

    def _prepared_example(self, ex: LabelledExample) -> PreparedExample | None:
        key = example_key(ex.title, ex.description)
        hit = self._examples.get(key)
        if hit is not None:
            return hit
        try:
            q = self._query(Proposal(ex.title, ex.description))
        except MatchingError:
            return None
        vector = self._query_vector(q, self._text_vector(q.semantic_text))
        vector.setflags(write=False)
        prepared = PreparedExample(vector=vector, bag=self._bag(q))
        self._examples.put(key, prepared)
        return prepared

    def _bag(self, query: _Query) -> dict[str, float]:
        """The query's weighted stems times their IDF (a stem the framework does not know counts as rare)."""
        rare = math.log(1 + (self._lexical.n_docs + 0.5) / 0.5)
        idf = {s: (self._lexical.idf(s) if s in self._lexical else rare) for s in query.weights}
        return normalised_bag(query.weights, idf)

    def _example_boosts(self, query: _Query, qv: npt.NDArray[np.float32], o0: int, n: int,
                        examples: list[tuple[int, LabelledExample, PreparedExample]]
                        ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], dict[int, tuple[SimilarCase, ...]],
                                   float]:
        """Boost and floor per ranked objective, the similar cases that gave them, the highest similarity seen."""
        ec = self.example_config
        boost = np.zeros(n, dtype=np.float64)
        floor = np.zeros(n, dtype=np.float64)
        cases: dict[int, tuple[SimilarCase, ...]] = {}
        if not examples:
            return boost, floor, cases, 0.0
        bag = self._bag(query)
        by_objective: dict[int, list[tuple[float, str, str]]] = {}
        top = 0.0
        for ei, ex, prep in examples:
            semantic = max(0.0, float(np.dot(prep.vector, qv)))
            sim = round(ec.semantic_share * semantic + (1 - ec.semantic_share) * bag_cosine(bag, prep.bag), 4)
            top = max(top, sim)
            if sim >= ec.near_duplicate:  # the same action again: its confirmed objective is a good match
                floor[ei - o0] = max(floor[ei - o0], round(ec.near_duplicate_score * sim, 6))
            if strength(sim, ec) > 0 or sim >= ec.near_duplicate:
                by_objective.setdefault(ei - o0, []).append((sim, ex.reference, ex.title))
        for i, found in by_objective.items():
            found.sort(key=lambda c: (-c[0], c[1], c[2]))
            boost[i] = round(ec.max_boost * combine([strength(c[0], ec) for c in found[: ec.top_k]]), 6)
            cases[i] = tuple(SimilarCase(ref, title, sim) for sim, ref, title in found[: ec.max_cases])
        return boost, floor, cases, top

    def _rank(self, query: _Query, rng: _Range, qv: npt.NDArray[np.float32],
              examples: list[tuple[int, LabelledExample, PreparedExample]] | None = None) -> MatchResult:
        (o0, o1), (d0, d1) = rng.objectives, rng.docs
        if o1 == o0:
            return MatchResult(no_match=True, matches=(), reason="Ce quartier n'a aucun objectif.")
        cfg = self.config
        starts = self._entry_first[o0:o1] - d0
        whole = self._doc_is_whole[d0:d1]
        n = o1 - o0

        lex_docs = self._lexical.score(query.weights, d0, d1)
        lex_best = _group_max(np.where(whole, 0.0, lex_docs), starts)
        lex_whole = _group_max(np.where(whole, lex_docs, 0.0), starts)
        lex_raw = cfg.lexical_best_fragment * lex_best + (1 - cfg.lexical_best_fragment) * lex_whole
        lexical = 1.0 - np.exp(-lex_raw / cfg.lexical_scale)

        rows = self._doc_row[d0:d1]
        if len(rows) > len(self._vectors):  # many documents share a text: score each text once
            sem_docs = (self._vectors @ qv - cfg.hub_beta * self._hub)[rows]
        else:
            sem_docs = self._vectors[rows] @ qv - cfg.hub_beta * self._hub[rows]
        sem_best = _group_max(np.where(whole, -1.0, sem_docs), starts)
        sem_whole = _group_max(np.where(whole, sem_docs, -1.0), starts)
        sem_raw = cfg.semantic_best_fragment * sem_best + (1 - cfg.semantic_best_fragment) * sem_whole
        semantic = np.clip((sem_raw - cfg.semantic_floor) / (cfg.semantic_ceiling - cfg.semantic_floor), 0.0, 1.0)

        fused = np.round(cfg.semantic_weight * semantic + (1 - cfg.semantic_weight) * lexical, 6)
        base_best = float(fused.max())
        base = fused
        boost, floor, cases, top_similarity = self._example_boosts(query, qv, o0, n, examples or [])
        if cases:
            fused = np.round(np.minimum(np.maximum(fused + boost, floor), 1.0), 6).astype(base.dtype)
            boost = fused - base
        order = np.lexsort((np.arange(n), -fused))  # best first; ties: framework order
        # evidence is built for every objective of a neighbourhood, for the best 50 of a whole framework
        shown = order if n <= 200 else order[:50]
        matches = tuple(
            self._build_match(o0 + int(i), float(fused[i]), float(lexical[i]), float(semantic[i]), query,
                              lex_docs, sem_docs, d0, float(boost[i]), cases.get(int(i), ()))
            for i in shown
        )
        best = matches[0].score
        # Examples never decide alone: a « no match » of the annex's words stays one unless the proposal is a
        # near-duplicate of a confirmed case.
        held = base_best < cfg.no_match_score and top_similarity < self.example_config.near_duplicate
        if best < cfg.no_match_score or held:
            return MatchResult(
                no_match=True, matches=matches,
                reason=(f"Aucun objectif de ce quartier ne correspond assez à l'action (meilleur score "
                        f"{min(best, base_best):.2f} < seuil {cfg.no_match_score:.2f})."),
            )
        return MatchResult(no_match=False, matches=matches)

    def _range_of(self, neighbourhood: Neighbourhood | str | None) -> _Range:
        hoods = self.framework.neighbourhoods
        if neighbourhood is None:
            return _Range((0, len(self._entries)), (0, len(self._doc_entry)))
        if isinstance(neighbourhood, str):
            found = self._selected.get(neighbourhood)
            if found is None:
                found = find_neighbourhood(self.framework, neighbourhood)
                if len(self._selected) < 10_000:
                    self._selected[neighbourhood] = found
            neighbourhood = found
        index = self._hood_index.get(id(neighbourhood))
        if index is not None:
            return self._ranges[index]
        for i, h in enumerate(hoods):
            if h == neighbourhood:
                return self._ranges[i]
        raise MatchingError(f"Le quartier « {neighbourhood.name} » n'appartient pas à ce cadre.")

    def _query(self, proposal: Proposal) -> _Query:
        cfg = self.config
        title = clean(proposal.title or "")
        description = clean(proposal.description or "")
        audience = clean(proposal.audience or "")
        schedule = clean(proposal.schedule or "")
        if not (title or description):
            raise MatchingError("Proposition vide : indiquez au moins un titre ou une description de l'action.")
        weights: dict[str, float] = {}
        counts: dict[str, int] = {}
        surfaces: dict[str, list[str]] = {}
        all_tokens: list[Token] = []
        for text, w in ((title, cfg.title_weight), (description, cfg.description_weight),
                        (audience, cfg.audience_weight), (schedule, cfg.audience_weight)):
            tokens = analyse(text)
            all_tokens.extend(tokens)
            for t in tokens:
                weights[t.stem] = max(weights.get(t.stem, 0.0), w)
                counts[t.stem] = counts.get(t.stem, 0) + 1
                forms = surfaces.setdefault(t.stem, [])
                if t.surface not in forms:
                    forms.append(t.surface)
        for s, c in counts.items():
            weights[s] *= 1.0 + 0.3 * math.log(c)
        full = ". ".join(p for p in (title, description, audience, schedule) if p)
        hits = tuple(self._lexicon.detect(full))
        for hit in hits:
            for s in hit.entry.means_stems:
                # an expansion adds distinctive words only: « actions », « favoriser »… would match everything
                if self._lexical.df_ratio(s) <= cfg.expansion_max_df:
                    weights[s] = max(weights.get(s, 0.0), cfg.expansion_weight)
        if not weights and not hits:
            raise MatchingError("Proposition sans mot significatif : décrivez l'action en quelques phrases.")
        semantic_text = ". ".join(p for p in (title, description[:SEMANTIC_MAX_CHARS], audience) if p)
        means: tuple[str, ...] = ()
        if hits and cfg.semantic_with_lexicon:
            means = tuple(dict.fromkeys(h.entry.means for h in hits))[: cfg.semantic_max_expansions]
        return _Query(weights=weights, surfaces={k: tuple(v) for k, v in surfaces.items()}, hits=hits,
                      semantic_text=semantic_text, title=title, means=means)

    def _query_vector(self, query: _Query, text_vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """The proposal's vector: its text's, plus the mean of its jargon meanings' (computed once per lexicon)."""
        if not query.means or self.config.semantic_expansion_mix <= 0:
            return text_vector
        extra = np.mean([self._means_vectors[m] for m in query.means], axis=0)
        v = text_vector + self.config.semantic_expansion_mix * extra
        out: npt.NDArray[np.float32] = (v / (np.linalg.norm(v) or 1.0)).astype(np.float32)
        return out

    def _build_match(self, ei: int, score: float, lexical: float, semantic: float, query: _Query,
                     lex_docs: npt.NDArray[np.float32], sem_docs: npt.NDArray[np.float32], d0: int,
                     boost: float = 0.0, cases: tuple[SimilarCase, ...] = ()) -> Match:
        e = self._entries[ei]
        cfg = self.config
        nfr = len(e.fragments)
        lo = e.first_doc - d0
        lex_f = lex_docs[lo : lo + nfr]
        sem_f = sem_docs[lo : lo + nfr]
        evidence: list[Evidence] = []
        lex_share = (1 - cfg.semantic_weight) * lexical
        sem_share = cfg.semantic_weight * semantic
        total = lex_share + sem_share + (boost if cases else 0.0) or 1.0

        def fragment_text(i: int) -> str:
            return e.objective.label if e.fragments[i].kind == "objective" else e.fragments[i].text

        # lexicon: jargon of the proposal whose meaning is found in a fragment
        for hit in query.hits:
            means = set(hit.entry.means_stems)
            best_i, best_n = -1, 0
            best_w = 0.0
            for i in range(1, nfr):
                common = means & e.stems[i]
                w = sum(self._lexical.idf(c) for c in common)
                if w > best_w:
                    best_i, best_n, best_w = i, len(common), w
            if best_i >= 0 and (best_n >= 2 or best_n == len(means)):
                evidence.append(Evidence("lexicon", fragment_text(best_i), (hit.surface,), 0.0))
        # lexical: the best fragment and the proposal's words it shares
        if lexical > 0:
            order = sorted(range(nfr), key=lambda i: (-float(lex_f[i]), i))
            best_i = next((i for i in order if e.fragments[i].kind != "objective"), order[0])
            if float(lex_f[best_i]) <= 0:
                best_i = order[0]
            shared = [s for s in e.stems[best_i] if s in query.surfaces]
            shared.sort(key=lambda s: (-query.weights.get(s, 0.0) * self._lexical.idf(s), s))
            terms: list[str] = []
            for s in shared:
                for form in query.surfaces[s]:
                    if form not in terms:
                        terms.append(form)
            if terms:
                evidence.append(Evidence("lexical", fragment_text(best_i), tuple(terms[: cfg.max_evidence_terms]),
                                         lex_share / total))
        # semantic: the fragment closest in meaning
        if semantic > 0:
            best_i = min(range(nfr), key=lambda i: (-float(sem_f[i]), i))
            evidence.append(Evidence("semantic", fragment_text(best_i), (query.title,) if query.title else (),
                                     sem_share / total))
        return Match(objective=e.objective, theme=e.theme, score=score, evidence=tuple(evidence),
                     neighbourhood=self.framework.neighbourhoods[e.neighbourhood], lexical=lexical,
                     semantic=semantic, similar_cases=cases, example_boost=boost if cases else 0.0)


def _group_max(values: npt.NDArray[np.floating], starts: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Maximum of each run of documents (an objective's fragments are contiguous, starting at ``starts``)."""
    out: npt.NDArray[np.float64] = np.maximum.reduceat(values.astype(np.float64), starts)
    return out
