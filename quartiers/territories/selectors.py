"""Reads on territories: finding the official neighbourhood (QPV) a text designates."""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quartiers.territories.models import Commune, Contract, Neighbourhood


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


@dataclass(frozen=True)
class PlaceHit:
    """One answer of the national search: a contract, a commune or a priority neighbourhood (QPV)."""

    kind: str  # "contract" | "commune" | "neighbourhood"
    code: str  # contract code (CN…) or slug when it has none, INSEE code, QPV code
    name: str
    department: str = ""
    contract_slug: str = ""  # the contract on this instance that it belongs to, if any
    neighbourhood_codes: tuple[str, ...] = ()  # the QPVs of the commune or of the contract


SEARCH_ALIASES = {"st": "saint", "ste": "sainte", "s": "saint"}


def search_words(text: str) -> list[str]:
    """The folded words of a query, with the usual abbreviations spelled out (« St-Ambroix » → saint ambroix)."""
    return [SEARCH_ALIASES.get(w, w) for w in fold(text).split()]


def territory_search(query: str, *, limit: int = 20) -> list[PlaceHit]:
    """Contracts, communes and QPVs whose name (or code) holds every word of the query, accents and hyphens ignored.

    First version, over the rows of this instance, filtered in Python; the reference loader replaces it by an
    indexed search with the same signature.
    """
    words = search_words(query)
    if not words:
        return []

    def matches(*names: str) -> bool:
        hay = " " + " ".join(" ".join(search_words(n)) for n in names if n) + " "
        return all(f" {w}" in hay for w in words)

    hits: list[PlaceHit] = []
    for c in Contract.objects.prefetch_related("neighbourhoods"):
        if matches(c.name, c.code, c.slug):
            hits.append(PlaceHit("contract", c.code or c.slug, c.name, c.department, c.slug,
                                 tuple(n.code for n in c.neighbourhoods.all())))
    for n in Neighbourhood.objects.select_related("contract").prefetch_related("communes"):
        if matches(n.code, n.name, n.short_name, *(m.name for m in n.communes.all())):
            hits.append(PlaceHit("neighbourhood", n.code, n.display_name, n.department,
                                 n.contract.slug if n.contract else "", (n.code,)))
    for m in Commune.objects.prefetch_related("neighbourhoods__contract"):
        if matches(m.name, m.insee_code, m.postcode):
            hoods = list(m.neighbourhoods.all())
            slug = next((n.contract.slug for n in hoods if n.contract), "")
            hits.append(PlaceHit("commune", m.insee_code, m.name, m.department, slug, tuple(n.code for n in hoods)))
    return hits[:limit]
