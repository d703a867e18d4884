"""Stage 1 of the parser: classify each line (heading, neighbourhood heading, bullet, text, damaged, noise).

Each function looks at one line, plus the hints its reader gave; nothing here knows about the rest of the
document. The parser then settles the ambiguous cases with the neighbouring lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quartiers.engine.importer.document import DocLine
from quartiers.engine.importer.text import soft_fold, squash

NBH = "nbh"
HEADING = "heading"
BULLET = "bullet"
TEXT = "text"
DAMAGED = "damaged"
NOISE = "noise"

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*(:?)\s*$")
_BULLET = re.compile(
    r"^(?P<indent>\s*)(?:(?P<marker>[-–—•*·▪◦○●■□➢➤►▸✓✔→⁃‣]|o(?=\s))\s+|(?P<tight>[-–•▪➢►])(?=[A-ZÀ-Ý]))(?P<text>\S.*)$"
)
_KW_ENUM = re.compile(
    r"^(?P<kw>axe|pilier|volet|th[eé]matique|th[eè]me|enjeu|orientation(?:\s+strat[eé]gique)?"
    r"|objectif(?:\s+strat[eé]gique|\s+op[eé]rationnel|\s+g[eé]n[eé]ral)?|priorit[eé]|partie|chapitre|section)"
    r"\s+(?:n°\s*)?(?P<n>\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5}|[A-H])\b\.?\s*(?:[:.)\-–—]\s*)?(?P<rest>.*)$",
    re.IGNORECASE,
)
_KW_COLON = re.compile(
    r"^(?P<kw>axe|pilier|volet|th[eé]matique|th[eè]me|enjeu|orientation)s?\s*:\s*(?P<rest>\S.*)$", re.IGNORECASE
)
_ROMAN = re.compile(r"^(?P<n>[IVX]{1,5})\s*[.)\-–—]\s+(?P<rest>\S.*)$")
_MULTI = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})+)\.?\s*[)\-–—:]?\s+(?P<rest>\S.*)$")
_SINGLE = re.compile(r"^(?P<n>\d{1,2})\s*[.)°\-–—]\s*(?P<rest>\S.*)$")
_LETTER = re.compile(r"^(?P<n>[A-Ha-h])\s*[.)]\s+(?P<rest>\S.*)$")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?[-–]?\s*\d{1,3}\s*(?:(?:/|sur)\s*\d{1,3})?\s*[-–]?\s*$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[\s\-_=*~.•·–—#+]{3,}$")
_DAMAGED_START = re.compile(r"^\s*(?!\.\.\.)[:;,.!?|\\/=_~^>)\]}]+")
_NBH_START = re.compile(
    r"^(?:projet (?:de|du) quartier\b|projet de territoire\b|quartiers? prioritaires?\b|qpv\b|quartier\s*:"
    r"|commune (?:de |d'))"
)
_NBH_QUARTIER = re.compile(r"^[Qq]uartier\s*(?:[«“\"]|(?:des?|du|de la|de l['’]|d['’])\s*[A-ZÀ-Ý]|[A-ZÀ-Ý])")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_LABEL_LEAD = re.compile(
    r"^(?:les |nos |ses |leurs )?(?:objectifs?|orientations?|priorites?|enjeux|axes?|actions? attendues?"
    r"|types? d'actions?|actions? (?:a soutenir|eligibles?)|pistes? d'actions?|exemples? d'actions?)\b.{0,60}:$"
    r"|\bsuivant(?:e|s|es)?\s*:$|\bsont\s*:$"
    r"|^(?:themes?|thematiques?|objectifs?|orientations?|actions?|axes?|enjeux|priorites?|intitule)\s*:?$"
)

# First words that make a short line an objective rather than a heading (French infinitives).
_NOT_VERBS = frozenset(
    "quartier atelier chantier dossier foyer premier dernier metier avenir plaisir desir souvenir sentier cahier "
    "papier janvier fevrier hiver cancer laser manager leader poster super loisir centre cadre".split()
)
_RE_VERBS = frozenset(
    "promouvoir prendre permettre mettre construire produire reduire combattre entreprendre apprendre comprendre "
    "faire etre vivre suivre defendre rendre etendre atteindre repondre inscrire decrire conduire introduire "
    "reconnaitre connaitre accroitre paraitre lire dire".split()
)


@dataclass(slots=True)
class Item:
    """One non-blank line, classified."""

    kind: str
    line: int
    text: str
    style: str = ""
    indent: int = 0
    marker: str = ""
    blank_before: bool = False
    candidate: bool = False  # a heading guessed from the text alone (no hint): may be demoted by its neighbours
    joined: bool = False  # the reader's layout says this line continues the previous one


def clean(text: str) -> str:
    text = _ZERO_WIDTH.sub("", text).replace("\u00a0", " ").replace("\u202f", " ").replace("\t", " ")
    return text.rstrip()


def starts_with_verb(text: str) -> bool:
    words = soft_fold(text).replace("'", " ").split()
    if not words:
        return False
    word = re.sub(r"[^a-z]", "", words[0])
    if word in _NOT_VERBS:
        return False
    return word in _RE_VERBS or (len(word) > 4 and word.endswith(("er", "ir")))


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", "…", ";", ":", "»", '"', "”", ")"))


def heading_like(text: str, *, strict: bool, max_len: int = 150) -> bool:
    t = text.strip().rstrip(":").strip()
    if not t or len(t) > max_len or len(t.split()) > 18:
        return False
    if t[-1] in ".;,!?…" or not (t[0].isupper() or t[0].isdigit() or t[0] in "«\"“'("):
        return False
    return not (strict and starts_with_verb(t))


def label_lead(text: str) -> bool:
    """« Objectifs : », « Les actions attendues sont les suivantes : » — a label, not content."""
    t = soft_fold(text)
    return len(t) < 120 and bool(_LABEL_LEAD.search(t))


def is_neighbourhood(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > 300 or (t.endswith(".") and len(t) > 100):
        return False
    return bool(_NBH_START.match(soft_fold(t))) or bool(_NBH_QUARTIER.match(t))


def _enumerated(text: str) -> tuple[str, str] | None:
    """(style key, rest) for numbered headings such as « Axe 1 : … », « 1) … », « 1.2 … », « II. … »."""
    m = _KW_ENUM.match(text)
    if m:
        return "kw:" + soft_fold(m.group("kw")).split()[0].replace("è", "e"), m.group("rest")
    m = _KW_COLON.match(text)
    if m:
        return "kw:" + soft_fold(m.group("kw")).split()[0], m.group("rest")
    m = _MULTI.match(text)
    if m:
        return f"num{m.group('n').count('.') + 1}", m.group("rest")
    m = _ROMAN.match(text)
    if m:
        return "roman", m.group("rest")
    m = _SINGLE.match(text)
    if m:
        return "num1", m.group("rest")
    m = _LETTER.match(text)
    if m:
        return ("alpha" if m.group("n").isupper() else "alpha_lower"), m.group("rest")
    return None


def classify(doc_line: DocLine, number: int, blank_before: bool) -> Item | None:
    """The item of one line, or None for a blank line."""
    raw = clean(doc_line.text)
    if not raw.strip():
        return None
    indent = len(raw) - len(raw.lstrip())
    body = raw.strip()
    heading = doc_line.heading
    bold = doc_line.bold
    m = _MD_HEADING.match(body)
    if m and m.group(2).strip():
        heading, body = len(m.group(1)), m.group(2).strip()
    m = _BOLD_LINE.match(body)
    if m and not _BULLET.match(body):
        bold, body = True, (m.group(1) + m.group(2)).strip()
    body = squash(body.replace("**", "").replace("__", ""))

    def item(kind: str, text: str, *, style: str = "", marker: str = "", candidate: bool = False,
             depth: int | None = None) -> Item:
        return Item(kind, number, squash(text), style=style, indent=indent if depth is None else depth, marker=marker,
                    blank_before=blank_before, candidate=candidate, joined=doc_line.joined and kind == TEXT)

    if not any(c.isalnum() for c in body):
        return item(NOISE if _SEPARATOR.match(body) or len(body) < 3 else DAMAGED, body)
    if _PAGE_NUMBER.match(body):
        return item(NOISE, body)
    spaced_bullet = (m := _BULLET.match(raw)) is not None and m.group("marker") is not None
    if doc_line.joined and not heading and not spaced_bullet:
        return item(TEXT, body)
    if heading:
        kind = NBH if is_neighbourhood(_strip_enum(body)) else HEADING
        return item(kind, body, style=f"h{min(heading, 6)}")
    bullet = _BULLET.match(raw)
    if bullet:
        text = bullet.group("text")
        marker = bullet.group("marker") or bullet.group("tight")
        if marker == "*" and text.endswith("*") and not text.endswith("**"):
            text = text.rstrip("*")  # « *emphasis* » is not a bullet
            return item(TEXT, "*" + text)
        return item(BULLET, text.replace("**", ""), marker=marker.replace("–", "-").replace("—", "-"),
                    style=f"l{doc_line.level}")
    if doc_line.bullet:
        if doc_line.numbered and heading_like(body, strict=True, max_len=100) and not doc_line.level:
            return item(HEADING, body, style="numlist")
        return item(BULLET, body, marker="#" if doc_line.numbered else "-", style=f"l{doc_line.level}",
                    depth=doc_line.level * 4)
    if is_neighbourhood(_strip_enum(body)) and not _DAMAGED_START.match(body):
        return item(NBH, body)
    enum = _enumerated(body)
    if enum:
        style, rest = enum
        if rest and heading_like(rest, strict=style in {"num1", "alpha_lower"}):
            return item(HEADING, body, style=style)
        if style.startswith("kw:") and not rest:
            return item(HEADING, body, style=style)
        if rest and style != "roman":
            return item(BULLET, rest, marker="#", style="l0")
    if _DAMAGED_START.match(body):
        return item(DAMAGED, body)
    if bold and heading_like(body, strict=True):
        return item(HEADING, body, style="bold")
    if heading_like(body, strict=True, max_len=110) and not label_lead(body):
        return item(HEADING, body, style="plain", candidate=True)
    return item(TEXT, body)


def _strip_enum(text: str) -> str:
    enum = _enumerated(text)
    return enum[1] if enum and enum[1] else text
