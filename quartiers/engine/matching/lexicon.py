"""The field's jargon: acronyms and phrases of urban policy mapped to the words objectives use.

The data lives in ``data/lexicon.json`` (one entry per idea: ``terms``, ``means``, ``theme``). A term written in
capitals (« CLAS », « PRE », « FLE ») is an acronym: it is matched case-sensitively as a whole word on the
cleaned text, so « PRE » never fires on « près ». Any other term is matched on stems, articles and prepositions
dropped, so « jardin partagé », « Jardins partagés » and « des jardins-partagés » are the same.

:meth:`Lexicon.detect` returns the hits of a text; the matcher adds the stems of each hit's ``means`` to the
lexical query (at a reduced weight) and its text to the semantic query, and quotes the hit as evidence.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from quartiers.engine.matching.normalise import analyse, fold, stem, words

# Words ignored inside phrases: articles, prepositions and conjunctions only, so that « Quartiers d'été » keeps
# « été » (a stop word elsewhere) and is not reduced to « quartiers ».
GLUE_WORDS = frozenset("le la les un une des de du a au aux en et ou pour sur par avec dans".split())


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    terms: tuple[str, ...]
    means: str
    theme: str
    means_stems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LexiconHit:
    entry: LexiconEntry
    surface: str  # the words of the text that fired the entry, as written


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in term


class Lexicon:
    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.entries: tuple[LexiconEntry, ...] = ()
        built: list[LexiconEntry] = []
        # acronym → entry indices ; stem sequence → entry indices
        self._acronyms: dict[str, list[int]] = {}
        self._phrases: dict[tuple[str, ...], list[int]] = {}
        for raw in entries:
            means = str(raw["means"])
            entry = LexiconEntry(
                terms=tuple(str(t) for t in raw["terms"]),
                means=means,
                theme=str(raw.get("theme", "other")),
                means_stems=tuple(t.stem for t in analyse(means)),
            )
            index = len(built)
            built.append(entry)
            for term in entry.terms:
                if _is_acronym(term):
                    self._acronyms.setdefault(term, []).append(index)
                    continue
                seq = tuple(phrase_stems(term))
                if seq:
                    self._phrases.setdefault(seq, []).append(index)
        self.entries = tuple(built)
        self._max_len = max((len(p) for p in self._phrases), default=1)
        self._acronym_re = (
            re.compile(r"(?<![\w])(" + "|".join(re.escape(a) for a in sorted(self._acronyms, key=len, reverse=True))
                       + r")(?![\w])")
            if self._acronyms
            else None
        )

    def __len__(self) -> int:
        return len(self.entries)

    def detect(self, text: str) -> list[LexiconHit]:
        """Entries fired by a text, in order of first occurrence, each entry once (longest phrase wins)."""
        surfaces = [w for w in words(text) if fold(w) not in GLUE_WORDS]
        stems = [stem(w) for w in surfaces]
        found: list[tuple[int, int, str]] = []  # (position, entry index, surface)
        if self._acronym_re is not None:
            for m in self._acronym_re.finditer(text):
                for idx in self._acronyms[m.group(1)]:
                    found.append((m.start(), idx, m.group(1)))
        i = 0
        n = len(stems)
        while i < n:
            matched = 0
            for length in range(min(self._max_len, n - i), 0, -1):
                seq = tuple(stems[i : i + length])
                hit = self._phrases.get(seq)
                if hit is None:
                    continue
                surface = " ".join(surfaces[i : i + length])
                for idx in hit:
                    found.append((100_000 + i, idx, surface))
                matched = length
                break
            i += max(matched, 1)
        seen: set[int] = set()
        out: list[LexiconHit] = []
        # acronyms first (sorted by character offset), then phrases by word position: a stable, readable order
        for _, idx, surface in sorted(found, key=lambda f: (f[0], f[1])):
            if idx in seen:
                continue
            seen.add(idx)
            out.append(LexiconHit(entry=self.entries[idx], surface=surface))
        return out


def phrase_stems(text: str) -> list[str]:
    """Stems of a phrase for lexicon look-up: every word but articles and prepositions."""
    return [stem(w) for w in words(text) if fold(w) not in GLUE_WORDS]


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The lexicon in ``path``, or the one shipped with Quartiers."""
    if path is None:
        return default_lexicon()
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Lexicon(list(data["entries"]))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    text = resources.files("quartiers.engine.matching").joinpath("data/lexicon.json").read_text(encoding="utf-8")
    return Lexicon(list(json.loads(text)["entries"]))
