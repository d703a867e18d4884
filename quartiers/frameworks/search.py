"""Search across the objectives of the published frameworks, in French.

One entry point, ``objectives_search``, used by the search page. Two backends give the same results:

- **PostgreSQL**: its full-text search, through ``django.contrib.postgres.search`` with the ``quartiers_fr``
  configuration (PostgreSQL's ``french`` configuration with ``unaccent`` before the Snowball stemmer, created by
  migration ``frameworks.0002_french_search``). ``SearchRank`` orders the objectives of each neighbourhood.
- **SQLite** (and any other database): the same steps in Python over the published objectives, which are few
  (about 60 per contract): lower case, accents removed, PostgreSQL's French stop words dropped, then the same
  Snowball French stemmer (PyStemmer). Stems of a text are cached by text, so a query costs two SQL queries
  (objectives, theme conditions) plus a few set lookups per objective.

Both backends read the same words from the query (letters and digits only, at most ``MAX_WORDS`` of them): an
objective matches when it contains every meaningful word of the query, in any form sharing its stem
(« jeune » finds « jeunes », « ecole » finds « écoles »). Words are looked for in the objective's text (its label
included), in its theme's title and in the conditions set for the whole theme (« hors-temps scolaire »). Highlighting (``<mark>``) is done in Python on both backends.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import Stemmer
from django.db import connections
from django.db.models import F, Func, OuterRef, Prefetch, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from quartiers.engine.framework import CANONICAL_THEMES
from quartiers.frameworks.models import Constraint, Objective, VersionStatus

SEARCH_CONFIG = "quartiers_fr"
MAX_QUERY_CHARS = 200
MAX_WORDS = 12

# PostgreSQL's French stop words (share/tsearch_data/french.stop), so that both backends drop the same words.
# As in PostgreSQL, they are compared with the word once lower-cased and stripped of its accents.
STOP_WORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes moi mon ne nos
    notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l
    à m n s t y été étée étées étés étant étante étants étantes suis es est sommes êtes sont serai seras sera
    serons serez seront serais serait serions seriez seraient étais était étions étiez étaient fus fut fûmes
    fûtes furent sois soit soyons soyez soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes
    ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions auriez
    auraient avais avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses
    eût eussions eussiez eussent""".split()
)

_WORD = re.compile(r"[^\W_]+")
# Characters PostgreSQL's text parser reads as part of file paths, e-mail addresses, hosts or tags
# (« écoles/familles », « un.e »): replaced by spaces before indexing, so that it sees the words Python sees.
PG_SEPARATORS = r"[/\\@<>&.:;,!?_|+=*#%$~^\"(){}\[\]]+"
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
_stemmer = Stemmer.Stemmer("french")

# Searches offered when nothing is found.
EXAMPLE_QUERIES = ("jeunes", "emploi", "santé", "logement", "isolement", "école")


# --- French normalisation (the SQLite side, and the query on both sides) -----------------------------------


def fold(word: str) -> str:
    """Lower case, without accents or ligatures: « Écoles » → « ecoles », « œuvre » → « oeuvre »."""
    text = unicodedata.normalize("NFKD", word.translate(_LIGATURES).lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def query_words(query: str) -> list[str]:
    """The words of a query both backends search for: letters and digits only, at most MAX_WORDS."""
    query = unicodedata.normalize("NFC", (query or "")[:MAX_QUERY_CHARS])
    return _WORD.findall(query)[:MAX_WORDS]


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The searchable form of one word, or "" for a stop word (as PostgreSQL's unaccent + french_stem)."""
    folded = fold(word)
    if not folded or folded in STOP_WORDS:
        return ""
    return _stemmer.stemWord(folded)


@functools.lru_cache(maxsize=8192)
def text_stems(text: str) -> frozenset[str]:
    return frozenset(s for s in (stem(w) for w in _WORD.findall(text)) if s)


def query_terms(query: str) -> list[str]:
    """The distinct stems of a query, in order: what an objective must all contain to match."""
    out: list[str] = []
    for word in query_words(query):
        s = stem(word)
        if s and s not in out:
            out.append(s)
    return out


def highlight(text: str, terms: list[str] | frozenset[str]) -> SafeString:
    """The text, escaped, with every word whose stem is searched for wrapped in <mark>."""
    wanted = set(terms)
    if not wanted:
        return conditional_escape(text)
    parts: list[str] = []
    pos = 0
    for m in _WORD.finditer(text):
        if stem(m.group()) in wanted:
            parts.append(conditional_escape(text[pos : m.start()]))
            parts.append(f"<mark>{conditional_escape(m.group())}</mark>")
            pos = m.end()
    parts.append(conditional_escape(text[pos:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


# --- Results -----------------------------------------------------------------------------------------------


@dataclass
class Hit:
    objective: Objective
    rank: float
    label_html: SafeString
    text_html: SafeString

    @property
    def theme(self):
        return self.objective.theme

    @property
    def section(self):
        return self.objective.theme.section


@dataclass
class Group:
    """The hits of one neighbourhood (one section of a published framework)."""

    section: object
    hits: list[Hit] = field(default_factory=list)

    @property
    def neighbourhood(self):
        return self.section.neighbourhood

    @property
    def title(self) -> str:
        n = self.section.neighbourhood
        return n.display_name if n else self.section.name


@dataclass
class SearchResults:
    query: str
    terms: list[str]
    neighbourhood: str = ""
    theme: str = ""
    groups: list[Group] = field(default_factory=list)
    backend: str = ""

    @property
    def count(self) -> int:
        return sum(len(g.hits) for g in self.groups)

    @property
    def searched(self) -> bool:
        """True when there was something to search for: meaningful words or a filter."""
        return bool(self.terms or self.neighbourhood or self.theme)

    @property
    def only_stop_words(self) -> bool:
        """True when the query has words, all too common to search for (« de la »)."""
        return bool(query_words(self.query)) and not self.terms

    @property
    def theme_label(self) -> str:
        return CANONICAL_THEMES.get(self.theme, "")

    @property
    def keys(self) -> dict[str, list[str]]:
        """Objective keys per neighbourhood, in order: what tests compare across backends."""
        return {g.title: [h.objective.key for h in g.hits] for g in self.groups}

    def suggestions(self) -> list[dict[str, str]]:
        """Other searches worth trying when nothing was found (each a query and filters)."""
        out: list[dict[str, str]] = []
        if self.neighbourhood or self.theme:
            out.append({"q": self.query, "label": f"« {self.query} » dans tous les quartiers et tous les thèmes"})
        words = [w for w in query_words(self.query) if stem(w)]
        if len(words) > 1:
            out.extend({"q": w, "label": f"« {w} » seul"} for w in words[:5])
        out.extend({"q": q, "label": f"« {q} »"} for q in EXAMPLE_QUERIES if fold(q) != fold(self.query))
        return out


def _published_objectives(*, neighbourhood: str = "", theme: str = ""):
    qs = Objective.objects.filter(theme__section__version__status=VersionStatus.PUBLISHED).select_related(
        "theme__section__neighbourhood", "theme__section__version__contract"
    )
    if neighbourhood:
        qs = qs.filter(theme__section__neighbourhood__code=neighbourhood)
    if theme:
        qs = qs.filter(theme__canonical_theme=theme)
    return qs


def _document_order(o: Objective) -> tuple:
    s = o.theme.section
    return (s.version.contract.name, s.version_id, s.position, s.pk, o.theme.position, o.theme.pk, o.position, o.pk)


def _words_only(expression) -> Func:
    if isinstance(expression, str):
        expression = F(expression)
    return Func(expression, Value(PG_SEPARATORS), Value(" "), Value("g"), function="regexp_replace",
                output_field=TextField())


def _search_postgresql(qs, words: list[str]) -> list[tuple[Objective, float]]:
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    # The conditions of the objective's theme (« hors-temps scolaire »), which apply to all its objectives.
    general = (
        Constraint.objects.filter(theme=OuterRef("theme_id"), objective__isnull=True)
        .order_by()
        .values("theme")
        .annotate(texts=StringAgg("text", delimiter=" "))
        .values("texts")
    )
    vector = (
        SearchVector(_words_only("label"), config=SEARCH_CONFIG, weight="A")
        + SearchVector(_words_only("text"), config=SEARCH_CONFIG, weight="B")
        + SearchVector(_words_only("theme__title"), config=SEARCH_CONFIG, weight="C")
        + SearchVector(_words_only(Coalesce(Subquery(general), Value(""))), config=SEARCH_CONFIG, weight="D")
    )
    # The query is given as its plain words (see query_words): PostgreSQL ANDs them, stems them, drops stop words.
    query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="plain")
    rows = qs.annotate(document=vector, rank=SearchRank(vector, query)).filter(document=query)
    return [(o, float(o.rank)) for o in rows]


def _search_python(qs, terms: list[str]) -> list[tuple[Objective, float]]:
    general = Constraint.objects.filter(objective__isnull=True).order_by("position", "pk")
    out = []
    for o in qs.prefetch_related(Prefetch("theme__constraints", queryset=general, to_attr="general_constraints")):
        label, text, theme = text_stems(o.label), text_stems(o.text), text_stems(o.theme.title)
        conditions = text_stems(" ".join(c.text for c in o.theme.general_constraints))
        if all(t in label or t in text or t in theme or t in conditions for t in terms):
            # Weights as PostgreSQL's ts_rank defaults for A (label), B (text), C (theme title), D (conditions).
            out.append((o, sum(1.0 * (t in label) + 0.4 * (t in text) + 0.2 * (t in theme) + 0.1 * (t in conditions)
                               for t in terms)))
    return out


def objectives_search(*, query: str = "", neighbourhood: str = "", theme: str = "", in_python: bool = False
                      ) -> SearchResults:
    """Objectives of the published frameworks matching the query and filters, grouped by neighbourhood.

    ``neighbourhood`` is a QPV code and ``theme`` a canonical theme code (unknown values find nothing). With
    filters and no query, every objective passing the filters is listed. Groups follow the order of the
    framework; inside a group the most relevant objectives come first, then the order of the framework.
    ``in_python`` forces the Python matching whatever the database (tests compare it with PostgreSQL's).
    """
    query = " ".join((query or "").split())[:MAX_QUERY_CHARS]
    neighbourhood = (neighbourhood or "").strip().upper()
    theme = theme if theme in CANONICAL_THEMES else ""
    terms = query_terms(query)
    results = SearchResults(query=query, terms=terms, neighbourhood=neighbourhood, theme=theme)
    if not results.searched or (query_words(query) and not terms):
        # Nothing to look for, or only stop words (« de la ») : PostgreSQL would match nothing either.
        return results
    qs = _published_objectives(neighbourhood=neighbourhood, theme=theme)
    vendor = connections[qs.db].vendor
    results.backend = "python" if in_python or vendor != "postgresql" else vendor
    if not terms:
        found = [(o, 0.0) for o in qs]
    elif results.backend == "postgresql":
        found = _search_postgresql(qs, query_words(query))
    else:
        found = _search_python(qs, terms)
    found.sort(key=lambda pair: _document_order(pair[0]))
    groups: dict[int, Group] = {}
    for o, rank in found:
        section = o.theme.section
        group = groups.setdefault(section.pk, Group(section=section))
        group.hits.append(Hit(objective=o, rank=rank, label_html=highlight(o.label, terms),
                              text_html=highlight(o.text, terms)))
    for group in groups.values():
        group.hits.sort(key=lambda h: -h.rank)  # stable: ties keep the order of the framework
    results.groups = list(groups.values())
    return results
