"""Small text helpers shared by the importer (French-aware folding and typography)."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces (« Grand'Combe » → « grand combe »)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def soft_fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces; punctuation kept (for regexes)."""
    return " ".join(fold_aligned(text).split())


def squash(text: str) -> str:
    """Collapse runs of white space into one space."""
    return " ".join(text.split())


def _fold_char(c: str) -> str:
    base = unicodedata.normalize("NFKD", c)[:1].lower() or c
    if base in "’‘ʼ`´":
        return "'"
    return base if len(base) == 1 else c


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on demand: one folded character for every character."""

    def __missing__(self, key: int) -> str:
        value = _fold_char(chr(key))
        self[key] = value
        return value


_FOLD_TABLE = _FoldTable()


def fold_aligned(text: str) -> str:
    """Lower case, no accents, straight apostrophes; one character for one, so positions map back to ``text``."""
    return text.translate(_FOLD_TABLE)
