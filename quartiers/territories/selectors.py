"""Reads on territories: finding the official neighbourhood (QPV) a text designates."""

import re
import unicodedata
from collections.abc import Iterable, Sequence

from quartiers.territories.models import Neighbourhood


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces (« Grand'Combe » → « grand combe »)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _commune_names(n: Neighbourhood) -> list[str]:
    return [fold(c.name) for c in n.communes.all() if c.name]


def _own_names(n: Neighbourhood) -> list[str]:
    return [fold(x) for x in (n.code, n.name, n.short_name) if x]


def neighbourhood_find(candidates: Sequence[Neighbourhood], *, code: str = "", texts: Iterable[str] = ()
                       ) -> Neighbourhood | None:
    """The one candidate designated by an official code or, failing that, by names found in the texts.

    Names count only as whole phrases (« Alès » in « Commune d'Alès »). Commune names decide first, the
    neighbourhood's own name breaks ties (several QPVs in one commune). Returns None when nothing, or more
    than one neighbourhood, matches.
    """
    if code:
        for n in candidates:
            if n.code.upper() == code.strip().upper():
                return n
    haystack = " " + " ".join(fold(t) for t in texts if t) + " "

    def hits(pool: Sequence[Neighbourhood], names) -> list[Neighbourhood]:
        return [n for n in pool if any(f" {name} " in haystack for name in names(n))]

    by_commune = hits(candidates, _commune_names)
    if len(by_commune) == 1:
        return by_commune[0]
    by_name = hits(by_commune or candidates, _own_names)
    return by_name[0] if len(by_name) == 1 else None
