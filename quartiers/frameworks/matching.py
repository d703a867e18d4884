"""The matching engine over the published framework: one Matcher per published version, built once per process.

This is the only cache of matchers. Published (and archived) versions never change (corrections happen on drafts),
so a version is known by what its row already holds: its primary key, the checksum of its annex and its
publication time. Knowing the key costs no query and no rebuild; the framework is rebuilt from the database only
when the version is first used in the process (or when a recreated database reuses the primary key). A draft is
never cached: it may still be corrected. The engine itself caches sentence vectors by content hash under
``var/cache/embeddings``.
"""

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from quartiers.engine.matching.matcher import Matcher
from quartiers.engine.matching.normalise import is_stop, stem
from quartiers.engine.matching.types import Match, MatchResult, Proposal
from quartiers.frameworks.models import FrameworkVersion, NeighbourhoodSection, VersionStatus
from quartiers.frameworks.selectors import published_version, version_to_framework

# version pk → (stamp, engine), least recently used first; bounded by settings.MATCHER_CACHE_SIZE.
_MATCHERS: OrderedDict[int, tuple[tuple[str, str], Matcher]] = OrderedDict()
_LOCK = threading.Lock()
DEFAULT_CACHE_SIZE = 64

# Input limits shared by the page and the API (the engine cuts longer texts anyway).
MAX_TITLE = 300
MAX_DESCRIPTION = 20_000
MAX_AUDIENCE = 1_000
MIN_WORDS = 3


def _stamp(version: FrameworkVersion) -> tuple[str, str]:
    """What tells two rows with the same primary key apart (a recreated database), read from the row itself."""
    return version.checksum, version.published_at.isoformat() if version.published_at else ""


def _build(version: FrameworkVersion) -> Matcher:
    return Matcher(version_to_framework(version), cache_dir=settings.VAR_DIR / "cache" / "embeddings")


def cache_size() -> int:
    """How many engines a process keeps (the least recently used goes first): ``MATCHER_CACHE_SIZE``."""
    return max(1, int(getattr(settings, "MATCHER_CACHE_SIZE", DEFAULT_CACHE_SIZE)))


def matcher_for(version: FrameworkVersion) -> Matcher:
    """The engine for a published (or archived) version: built on first use, then reused by every page, kept in a
    least-recently-used cache of ``cache_size()`` engines per process."""
    if version.status == VersionStatus.DRAFT:
        return _build(version)
    stamp = _stamp(version)
    with _LOCK:  # held while building: two requests at once build the engine once
        cached = _MATCHERS.get(version.pk)
        if cached is None or cached[0] != stamp:
            cached = (stamp, _build(version))
            _MATCHERS[version.pk] = cached
        _MATCHERS.move_to_end(version.pk)
        while len(_MATCHERS) > cache_size():
            _MATCHERS.popitem(last=False)
        return cached[1]


def warm_matcher(version: FrameworkVersion) -> None:
    """Build and cache the engine of a published version now (on publish, at start), so no visitor waits for it."""
    if version.status != VersionStatus.DRAFT:
        matcher_for(version)


def cached_versions() -> list[int]:
    """The primary keys of the versions whose engine this process holds, least recently used first."""
    with _LOCK:
        return list(_MATCHERS)


def published_matcher(contract) -> tuple[FrameworkVersion, Matcher] | None:
    """The contract's published version and its engine, or None when it publishes none."""
    version = published_version(contract)
    if version is None:
        return None
    return version, matcher_for(version)


def proposal_problem(title: str, description: str) -> str:
    """A French sentence saying why a proposal cannot be matched, or an empty string."""
    words = re.findall(r"\w+", f"{title} {description}")
    if not words:
        return "Décrivez votre projet : un titre ou une description est nécessaire."
    if len(words) < MIN_WORDS:
        return (f"Votre description est trop courte pour trouver une priorité : écrivez au moins {MIN_WORDS} mots "
                "sur ce que fera l'action, pour qui et où.")
    return ""


@dataclass(frozen=True)
class Elsewhere:
    """Where an idea that fits no priority of the chosen neighbourhood would fit: another neighbourhood's best."""

    neighbourhood_name: str
    neighbourhood_code: str
    match: Match


def elsewhere(matcher: Matcher, proposal: Proposal, *, exclude_code: str, exclude_name: str, limit: int = 3
              ) -> list[Elsewhere]:
    """The best objective of each other neighbourhood of the framework, when it passes the no-match threshold."""
    ranked = matcher.match(proposal, None)
    seen: set[str] = set()
    out: list[Elsewhere] = []
    threshold = matcher.config.no_match_score
    for m in ranked.matches:
        hood = m.neighbourhood
        if hood is None or m.score < threshold:
            continue
        ident = hood.code or hood.name
        if ident in seen or (hood.code and hood.code == exclude_code) or (not hood.code and hood.name == exclude_name):
            continue
        seen.add(ident)
        out.append(Elsewhere(hood.name, hood.code, m))
        if len(out) >= limit:
            break
    return out


def evidence_stems(result_match: Match) -> set[str]:
    """Stems of the proposal's words that carried a match (for highlighting in both texts)."""
    out: set[str] = set()
    for ev in result_match.evidence:
        if ev.kind == "semantic":
            continue
        for term in ev.proposal_terms:
            for w in re.findall(r"\w+", term.casefold()):
                if not is_stop(w):
                    out.add(stem(w))
    return out


def highlight(text: str, stems: set[str]) -> SafeString:
    """The text, HTML-escaped, with the words whose stem is in ``stems`` wrapped in <mark>."""
    if not stems:
        return mark_safe(escape(text))
    parts: list[str] = []
    last = 0
    for m in re.finditer(r"\w+", text):
        w = m.group(0).casefold()
        if not is_stop(w) and stem(w) in stems:
            parts.append(escape(text[last : m.start()]))
            parts.append(f"<mark>{escape(m.group(0))}</mark>")
            last = m.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


def result_rows(result: MatchResult, proposal_text: str, limit: int = 5) -> list[dict]:
    """What the page shows for each of the best matches: texts with the evidence highlighted."""
    rows = []
    for m in result.matches[:limit]:
        stems = evidence_stems(m)
        rows.append({
            "match": m,
            "percent": round(m.score * 100),
            "objective_html": highlight(m.objective.text, stems),
            "proposal_html": highlight(proposal_text, stems),
            "evidence": m.evidence,
        })
    return rows


# --- which contract's framework a place designates (the API and the match page) ---------------------------------

QPV_CODE = re.compile(r"^\s*QN[0-9AB]{3}\d{2}[A-Z]\s*$", re.IGNORECASE)


class PlaceError(Exception):
    """The place does not lead to one published framework; the message (French) says why."""


@dataclass(frozen=True)
class ContractChoice:
    slug: str
    name: str


class PlaceAmbiguous(PlaceError):
    """Several contracts publish a neighbourhood by that name: ``choices`` lists them."""

    def __init__(self, message: str, choices: list[ContractChoice]):
        super().__init__(message)
        self.choices = choices


def publishing_contracts():
    """The contracts of this instance that publish a framework, by name."""
    from quartiers.territories.models import Contract

    return (Contract.objects.filter(framework_versions__status=VersionStatus.PUBLISHED).distinct()
            .order_by("name", "pk"))


def contract_for_place(place: str, *, contract_slug: str = ""):
    """The contract whose published framework answers for ``place`` (a QPV code, or part of a neighbourhood's or
    commune's name). A QPV code is unique nationally, so it names its contract; a name is looked up among the
    contracts that publish. ``contract_slug`` restricts to one contract. Raises ``PlaceError`` (or
    ``PlaceAmbiguous``) with a French message."""
    from quartiers.territories.models import Contract, Neighbourhood
    from quartiers.territories.selectors import territory_search

    if contract_slug:
        contract = Contract.objects.filter(slug=contract_slug.strip()).first()
        if contract is None:
            raise PlaceError(f"Contrat inconnu : « {contract_slug} ». La liste des contrats est à /api/v1/contracts.")
        return contract
    if QPV_CODE.match(place or ""):
        n = Neighbourhood.objects.select_related("contract", "reference_contract").filter(
            code=place.strip().upper()).first()
        if n is None:
            raise PlaceError(f"Code QPV inconnu de la géographie prioritaire 2024 : « {place.strip()} ».")
        if n.contract is None:
            where = f" (contrat {n.reference_contract.name})" if n.reference_contract else ""
            raise PlaceError(f"Le quartier {n.code}{where} n'est rattaché à aucun contrat de cette plateforme : "
                             "aucun référentiel n'y est publié.")
        return n.contract
    publishing = list(publishing_contracts())
    if len(publishing) <= 1:
        if not publishing:
            raise PlaceError("Aucun référentiel des priorités n'est publié.")
        return publishing[0]
    by_slug = {c.slug: c for c in publishing}
    found: list = []
    for hit in territory_search(place, limit=50):
        contract = by_slug.get(hit.contract_slug)
        if contract is not None and contract not in found:
            found.append(contract)
    if not found:
        text = (place or "").strip()
        slugs = (NeighbourhoodSection.objects.filter(version__status=VersionStatus.PUBLISHED)
                 .filter(Q(name__icontains=text) | Q(commune__icontains=text))
                 .values_list("version__contract__slug", flat=True).distinct()) if text else []
        found = [by_slug[s] for s in sorted(set(slugs)) if s in by_slug]
    if len(found) == 1:
        return found[0]
    if not found:
        raise PlaceError(f"Aucun quartier ni aucune commune d'un contrat qui publie son référentiel ne correspond à "
                         f"« {place} ». Donnez le code QPV (par exemple QN03001I).")
    choices = [ContractChoice(c.slug, c.name) for c in found]
    raise PlaceAmbiguous(f"« {place} » désigne des quartiers de plusieurs contrats : "
                         + ", ".join(f"{c.name} ({c.slug})" for c in choices)
                         + ". Donnez le code QPV ou le contrat.", choices)
