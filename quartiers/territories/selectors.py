"""Reads on territories: finding the official neighbourhood (QPV) a text designates."""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet

from quartiers.territories.models import Commune, Contract, Neighbourhood, PlaceWord, ReferenceContract


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


def _word_filter(word: str) -> Q:
    """PlaceWord rows whose word starts with `word`, through an index on both databases: PostgreSQL has a
    varchar_pattern_ops index for LIKE 'w%'; SQLite uses its plain index for a range (folded words are [a-z0-9])."""
    if connection.vendor == "postgresql":
        return Q(word__startswith=word)
    return Q(word__gte=word, word__lt=word + "{")


def _codes(kind: str, words: list[str]) -> QuerySet:
    """The codes of the places of one kind indexed under every word (each a prefix of a word of the place)."""
    qs = PlaceWord.objects.filter(_word_filter(words[0]), kind=kind).values("code")
    for w in words[1:]:
        qs = qs.filter(code__in=PlaceWord.objects.filter(_word_filter(w), kind=kind).values("code"))
    return qs.distinct()


def territory_search(query: str, *, limit: int = 20) -> list[PlaceHit]:
    """Contracts, QPVs and communes whose name or code holds every word of the query (as a word or the start of
    one), accents, case, hyphens and « St » ignored. National: over the reference loaded by `load-reference`
    (indexed PlaceWord rows), plus the contracts of this instance not linked to the reference. Contracts first,
    then QPVs, then communes (most populated first); `contract_slug` is the contract this instance runs, if any.
    """
    words = search_words(query)
    if not words or limit <= 0:
        return []
    words = sorted(set(words), key=len, reverse=True)  # the longest word first: the most selective probe
    hits: list[PlaceHit] = []

    refs = list(ReferenceContract.objects.filter(code__in=_codes("contract", words))
                .select_related("tenant").order_by("name")[:limit])
    ref_hoods: dict[int, list[str]] = {}
    for ref_id, code in Neighbourhood.objects.filter(reference_contract__in=refs).values_list("reference_contract",
                                                                                               "code"):
        ref_hoods.setdefault(ref_id, []).append(code)
    for r in refs:
        tenant = getattr(r, "tenant", None)
        hits.append(PlaceHit("contract", r.code, tenant.name if tenant else r.name, r.department,
                             tenant.slug if tenant else "", tuple(sorted(ref_hoods.get(r.pk, [])))))
    unlinked = [c for c in Contract.objects.filter(reference__isnull=True).prefetch_related("neighbourhoods")
                if all(f" {w}" in " " + " ".join(search_words(" ".join((c.name, c.code, c.slug)))) for w in words)]
    for c in unlinked[: max(0, limit - len(hits))]:
        hits.append(PlaceHit("contract", c.code or c.slug, c.name, c.department, c.slug,
                             tuple(n.code for n in c.neighbourhoods.all())))
    if len(hits) >= limit:
        return hits[:limit]

    hoods = (Neighbourhood.objects.filter(code__in=_codes("neighbourhood", words))
             .select_related("contract", "reference_contract__tenant").defer("perimeter")
             .order_by("code")[: limit - len(hits)])
    for n in hoods:
        hits.append(PlaceHit("neighbourhood", n.code, n.display_name, n.department, _hood_slug(n), (n.code,)))
    if len(hits) >= limit:
        return hits[:limit]

    communes = list(Commune.objects.filter(insee_code__in=_codes("commune", words))
                    .order_by(F("population").desc(nulls_last=True), "name")[: limit - len(hits)])
    by_commune: dict[int, list[Neighbourhood]] = {}
    for n in (Neighbourhood.objects.filter(communes__in=communes).select_related("contract", "reference_contract__tenant")
              .defer("perimeter").annotate(commune_pk=F("communes__pk")).order_by("code")):
        by_commune.setdefault(n.commune_pk, []).append(n)
    for m in communes:
        found = by_commune.get(m.pk, [])
        slug = next((s for s in (_hood_slug(n) for n in found) if s), "")
        hits.append(PlaceHit("commune", m.insee_code, m.name, m.department, slug, tuple(n.code for n in found)))
    return hits[:limit]


def _hood_slug(n: Neighbourhood) -> str:
    """The slug of the contract this instance runs for a QPV: its own, else its reference contract's tenant."""
    if n.contract is not None:
        return n.contract.slug
    ref = n.reference_contract
    tenant = getattr(ref, "tenant", None) if ref is not None else None
    return tenant.slug if tenant is not None else ""


@dataclass(frozen=True)
class NeighbourhoodReference:
    """What the public page of a QPV shows of its place in the national reference."""

    contract_name: str  # the contract this instance runs for it, else the national reference's, else ""
    contract_slug: str  # the tenant contract's slug ("" when this instance runs none for it)
    reference_code: str  # the official contract code (CN…), "" when the QPV belongs to none
    communes: tuple[str, ...]  # commune names, in INSEE order
    epci_names: tuple[str, ...]  # the EPCI of its communes


def neighbourhood_reference(neighbourhood: Neighbourhood) -> NeighbourhoodReference:
    """The contract (tenant, else reference), communes and EPCI of a QPV for its public page (3 queries at most)."""
    n = (Neighbourhood.objects.select_related("contract", "reference_contract__tenant")
         .get(pk=neighbourhood.pk))
    communes = list(n.communes.select_related("epci").order_by("insee_code"))
    ref = n.reference_contract
    tenant = n.contract or (getattr(ref, "tenant", None) if ref is not None else None)
    return NeighbourhoodReference(
        contract_name=tenant.name if tenant else (ref.name if ref else ""),
        contract_slug=tenant.slug if tenant else "",
        reference_code=ref.code if ref else "",
        communes=tuple(m.name for m in communes),
        epci_names=tuple(dict.fromkeys(m.epci.name for m in communes if m.epci)),
    )
