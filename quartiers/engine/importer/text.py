"""Small text helpers shared by the importer (French-aware folding and typography)."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces (« Grand'Combe » → « grand combe »)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def soft_fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces; punctuation kept (for regexes)."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """Collapse runs of white space into one space."""
    return " ".join(text.split())


def _fold_char(c: str) -> str:
    base = unicodedata.normalize("NFKD", c)[:1].lower() or c
    if base in "’‘ʼ`´":
        return "'"
    return base if len(base) == 1 else c


def fold_aligned(text: str) -> str:
    """Like ``soft_fold`` but keeps every character in place, so positions map back to ``text``."""
    return "".join(_fold_char(c) for c in text)
