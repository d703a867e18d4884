"""The one structural parser: lines with hints → neighbourhoods → themes → objectives → constraints.

Pipeline (see docs/importer.md):

1. ``lines.classify`` gives every non-blank line a kind (neighbourhood heading, heading, bullet, text, damaged,
   noise) from its text and its reader's hints;
2. headings guessed from the text alone are demoted when their neighbours show they are wrapped text;
3. consecutive lines that continue one another are merged into blocks (a bullet broken over two lines is one);
4. the blocks are walked once: neighbourhood headings open sections, headings open themes (a deeper heading
   opens a sub-theme; a sub-heading with nothing under it is an objective of its parent), bullets and
   paragraphs are objectives, sub-bullets are action types of their parent, prescriptive sentences are theme
   constraints; anything else is reported as an ``AnnexWarning``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from quartiers.engine.framework import AnnexWarning, Constraint, Framework, Neighbourhood, Objective, SourceSpan, Theme
from quartiers.engine.importer.classify import (
    canonical_theme,
    find_constraints,
    is_prescriptive,
    split_objective,
    theme_constraints,
)
from quartiers.engine.importer.document import DocLine
from quartiers.engine.importer.errors import AnnexError
from quartiers.engine.importer.lines import (
    BULLET,
    DAMAGED,
    HEADING,
    NBH,
    NOISE,
    TEXT,
    Item,
    classify,
    ends_sentence,
    label_lead,
)
from quartiers.engine.importer.text import soft_fold, squash

IMPLICIT_THEME = "Orientations générales"

_HANGING = re.compile(
    r"(?:[,(/'’\-–]|\b(?:de|d|des|du|la|le|les|l|et|ou|à|au|aux|en|pour|par|avec|sur|dans|un|une|leur|leurs|"
    r"notamment|afin|entre|vers|sans|son|sa|ses|ce|cette|ces|qui|que|dont))$",
    re.IGNORECASE,
)
_DAMAGED_TAIL = re.compile(r"(?P<word>[A-Za-zÀ-ÖØ-öø-ÿ]{4,})\.\s+(?P<next>[a-zà-öø-ÿ][\w'’\-]*)")
_ABBREVIATIONS = frozenset({"etc", "env", "hab", "cf", "ex", "art", "vol", "min", "max", "mme", "mlle", "tel"})
_ANNEX_LABEL = re.compile(r"^annexe\s*(?:n\s*)?[\w.]{0,6}$")
_COMMUNE = re.compile(
    r"\b[Cc]ommunes?\s*(?:de\s+|d['’]\s*|:\s*)(?P<c>.+?)"
    r"(?=\s+(?:[-–—/|]\s*)?(?:[Qq]uartiers?|QPV)\b|\s*[«“\"()]|\s+[-–—/|]\s|\s*[,;:]\s*(?:[Qq]uartier|QPV)|\s*$)"
)
_QUOTED = re.compile(r"[«“\"]\s*(?P<q>[^«»“”\"]+?)\s*[»”\"]")
_NBH_PREFIX = re.compile(
    r"^(?:projet (?:de|du) quartier|projet de territoire)?\s*[/:\-–—]?\s*"
    r"(?:communes? (?:de |d')\s*.+?(?=\s+(?:quartier|qpv)\b|\s*[-–—,:/]\s|$)\s*[-–—,:/]?\s*)?"
    r"(?:quartiers? prioritaires?(?: de la politique de la ville)?|qpv|quartier)?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_OBJECTIVE_NUMBER = re.compile(
    r"^(?:objectif|orientation|action|priorit[eé]|fiche|mesure)s?(?:\s+(?:op[eé]rationnel|strat[eé]gique|g[eé]n[eé]ral)e?s?)?"
    r"\s*(?:n°\s*)?(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5}|[A-H])\b\s*[:.)\-–—]\s*(?=\S)",
    re.IGNORECASE,
)
_CODE = re.compile(r"\bQN\s?\d{3}\s?\d{2}[A-Z]\b")
_SAINT = re.compile(r"\b(Saint|Sainte|St|Ste)\s+(?=[A-ZÀ-Ý])")


@dataclass(slots=True)
class Block:
    kind: str
    parts: list[tuple[int, str]]
    style: str = ""
    indent: int = 0
    marker: str = ""
    blank_before: bool = False

    @property
    def first(self) -> int:
        return self.parts[0][0]

    @property
    def last(self) -> int:
        return self.parts[-1][0]

    @property
    def text(self) -> str:
        return join_lines([p for _, p in self.parts])


@dataclass(slots=True)
class _Obj:
    block: Block
    collects: bool = False
    subs: list[tuple[int, str]] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.block.first

    @property
    def last(self) -> int:
        return max([self.block.last, *(n for n, _ in self.subs)])


@dataclass(slots=True)
class _Theme:
    title: str
    first: int
    rank: int
    parent: _Theme | None = None
    children: int = 0
    objectives: list[_Obj] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    last: int = 0
    top_marker: str = ""


def join_lines(parts: Sequence[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not out:
            out = part
        elif re.search(r"[a-zà-ÿ]-$", out) and part[:1].islower():
            out += part  # a word hyphenated at the end of a line
        else:
            out += " " + part
    return squash(out)


# --- stages 1 to 3 -----------------------------------------------------------------------------------------


def _items(doc: Sequence[DocLine]) -> list[Item]:
    items: list[Item] = []
    blank = True
    for number, line in enumerate(doc, 1):
        item = classify(line, number, blank)
        if item is None:
            blank = True
            continue
        blank = False
        if item.kind != NOISE:
            items.append(item)
    # A heading guessed from the text alone is wrapped text when its neighbours say so.
    guessed = [item.candidate for item in items]
    for i, item in enumerate(items):
        if not item.candidate:
            continue
        nxt = items[i + 1] if i + 1 < len(items) else None
        prev = items[i - 1] if i else None
        if nxt and not nxt.blank_before and nxt.kind in {TEXT, HEADING} and nxt.text[:1].islower():
            item.kind, item.candidate = TEXT, False
        elif prev and not item.blank_before and guessed[i - 1]:
            # short lines right under a guessed heading: a list of objectives without markers
            item.kind, item.candidate = TEXT, False
        elif (prev and not item.blank_before and prev.kind in {BULLET, TEXT}
              and (not ends_sentence(prev.text) or _HANGING.search(prev.text)) and len(prev.text) >= 50):
            item.kind, item.candidate = TEXT, False
    return items


def _continues(block: Block, item: Item) -> bool:
    last = block.parts[-1][1]
    if item.joined:
        return True
    if item.blank_before:
        return item.text[:1].islower() and not ends_sentence(last)
    if item.text[:1].islower() or _HANGING.search(last):
        return True
    return not ends_sentence(last) and len(last) >= 50


def _blocks(items: Sequence[Item]) -> list[Block]:
    blocks: list[Block] = []
    for item in items:
        last = blocks[-1] if blocks else None
        if item.kind == TEXT and last and last.kind in {BULLET, TEXT} and _continues(last, item):
            last.parts.append((item.line, item.text))
            continue
        blocks.append(Block(item.kind, [(item.line, item.text)], style=item.style, indent=item.indent,
                            marker=item.marker, blank_before=item.blank_before))
    return blocks


# --- stage 4 -----------------------------------------------------------------------------------------------


def _ranks(blocks: Sequence[Block]) -> dict[str, int]:
    """Heading styles, shallowest first: explicit levels (h1…h6) by number, others in order of appearance."""
    ranks: dict[str, int] = {}
    for b in blocks:
        if b.kind == HEADING and b.style not in ranks:
            m = re.fullmatch(r"h(\d)", b.style)
            ranks[b.style] = int(m.group(1)) if m else 10 + len([k for k in ranks if not k.startswith("h")])
    return ranks


def _nbh_fields(heading: str) -> tuple[str, str]:
    """(name, commune) of a neighbourhood heading."""
    commune = ""
    m = _COMMUNE.search(heading)
    if m:
        commune = _SAINT.sub(r"\1-", m.group("c").strip(" ,;:-–—"))
    quoted = _QUOTED.search(heading)
    if quoted:
        name = quoted.group("q")
    else:
        rest = _NBH_PREFIX.sub("", re.sub(r"\(\s*\)", "", _CODE.sub("", heading)), count=1).strip(" :-–—,")
        rest = re.sub(r"\s*\((?:[Cc]ommunes?|[Vv]ille)\b[^)]*\)\s*$", "", rest)
        bare = re.search(r"\s*\((?P<c>[A-ZÀ-Ý][^()]{1,60})\)\s*$", rest)
        if bare and not commune:
            commune = _SAINT.sub(r"\1-", bare.group("c").strip())
            rest = rest[: bare.start()]
        rest = re.sub(r"(?:\s*,\s*|\s+[-–—]\s*)(?:[Cc]ommunes?|[Vv]ille)\b.*$", "", rest).strip(" :-–—,")
        if re.match(r"(?:des?|du|de la|de l['’]|d['’])\s*[A-ZÀ-Ý]", rest):
            rest = heading.split()[0] + " " + rest  # « Quartier des Aubiers » keeps its first word
        name = rest or commune or heading
    return squash(name), squash(commune)


def _title(blocks: Sequence[Block]) -> str:
    for b in blocks:
        if b.kind in {HEADING, NBH} or (b.kind == TEXT and len(b.text) <= 150):
            if not _ANNEX_LABEL.match(soft_fold(b.text)):
                return b.text
    return ""


class _Builder:
    def __init__(self, blocks: Sequence[Block], warnings: list[AnnexWarning]) -> None:
        self.blocks = blocks
        self.warnings = warnings
        self.ranks: dict[str, int] = {}

    def warn(self, line: int, kind: str, message: str, text: str = "") -> None:
        self.warnings.append(AnnexWarning(line=line, kind=kind, message=message, text=text))

    def section(self, blocks: Sequence[Block], first_line: int, *, implicit: bool = True
                ) -> tuple[tuple[Theme, ...], int]:
        """Themes of one section. Objectives before any theme heading go to an implicit theme when ``implicit``
        and the section has no heading at all; otherwise they are reported as orphan text."""
        has_headings = any(b.kind == HEADING for b in blocks) or not implicit
        themes: list[_Theme] = []
        stack: list[_Theme] = []
        current: _Obj | None = None
        previous = ""

        def open_theme(title: str, line: int, rank: int) -> _Theme:
            while stack and stack[-1].rank >= rank:
                stack.pop()
            parent = stack[-1] if stack else None
            if parent:
                parent.children += 1
            theme = _Theme(title=title, first=line, rank=rank, parent=parent, last=line)
            themes.append(theme)
            stack.append(theme)
            return theme

        def theme_for(block: Block) -> _Theme | None:
            if stack:
                return stack[-1]
            if has_headings:
                self.warn(block.first, "orphan_text",
                          "Texte placé avant le premier thème de la section : il n'a pas été importé.", block.text)
                return None
            self.warn(block.first, "structure",
                      f"Objectifs sans thème : ils sont regroupés sous « {IMPLICIT_THEME} ».", block.text)
            return open_theme(IMPLICIT_THEME, block.first, 99)

        for i, block in enumerate(blocks):
            kind = block.kind
            text = block.text
            if kind == DAMAGED:
                self.warn(block.first, "damaged_fragment",
                          "Fragment de texte isolé, probablement abîmé lors de la conversion du document : "
                          "à vérifier et à rattacher à la main.", text)
                previous = kind
                continue
            if kind == HEADING:
                if label_lead(text):
                    current = None
                    previous = kind
                    continue
                open_theme(text.rstrip(" :"), block.first, self.ranks.get(block.style, 50))
                current = None
            elif kind == BULLET:
                theme = theme_for(block)
                if theme is None:
                    previous = kind
                    continue
                if current is not None and self._is_sub(block, current, theme, previous):
                    current.subs.append((block.last, text))
                else:
                    current = _Obj(block)
                    theme.objectives.append(current)
                    theme.top_marker = theme.top_marker or block.marker
                theme.last = max(theme.last, block.last)
            elif kind == TEXT:
                if stack and is_prescriptive(text):
                    stack[-1].constraints.extend(theme_constraints(text, SourceSpan(block.first, block.last)))
                    stack[-1].last = max(stack[-1].last, block.last)
                    current = None
                    previous = kind
                    continue
                if label_lead(text):
                    current = None
                    previous = kind
                    continue
                if text[:1].islower() and len(text) < 60:
                    self.warn(block.first, "damaged_fragment",
                              "Fragment de texte isolé, probablement abîmé lors de la conversion du document : "
                              "à vérifier et à rattacher à la main.", text)
                    previous = DAMAGED
                    continue
                theme = theme_for(block)
                if theme is None:
                    previous = kind
                    continue
                if text[:1].islower():
                    self.warn(block.first, "damaged_text",
                              "Cet objectif commence par une minuscule : son début a peut-être été perdu.", text)
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                current = _Obj(block, collects=text.endswith(":") and nxt is not None and nxt.kind == BULLET)
                theme.objectives.append(current)
                theme.last = max(theme.last, block.last)
            previous = kind
        return self._themes(themes), max([first_line, *(b.last for b in blocks)])

    @staticmethod
    def _is_sub(block: Block, current: _Obj, theme: _Theme, previous: str) -> bool:
        if current.collects:
            return True
        parent = current.block
        if parent.kind != BULLET or previous != BULLET:
            return False
        if block.indent > parent.indent + 1:
            return True
        # another marker at the same indentation, under a parent that announces a list (no final full stop)
        return bool(theme.top_marker and parent.marker == theme.top_marker and block.marker != theme.top_marker
                    and block.indent >= parent.indent and not parent.text.rstrip().endswith((".", "!", "?")))

    def _themes(self, themes: list[_Theme]) -> tuple[Theme, ...]:
        for theme in reversed(themes):
            if theme.objectives:
                continue
            if theme.children:
                continue  # a container of sub-themes
            if theme.parent is not None:
                theme.parent.objectives.append(_Obj(Block(TEXT, [(theme.first, theme.title)])))
                continue
            self.warn(theme.first, "empty_section",
                      f"Le thème « {theme.title} » ne contient aucun objectif : il n'a pas été importé.", theme.title)
        out: list[Theme] = []
        for theme in themes:
            if not theme.objectives:
                continue
            objectives = tuple(self._objective(o) for o in sorted(theme.objectives, key=lambda o: o.first))
            code = canonical_theme(theme.title)
            parent = theme.parent
            while code == "other" and parent is not None:
                code = canonical_theme(parent.title)
                parent = parent.parent
            last = max([theme.last, *(o.lines.last for o in objectives if o.lines)])
            out.append(Theme(title=theme.title, canonical_theme=code, objectives=objectives,
                             constraints=tuple(theme.constraints), lines=SourceSpan(theme.first, last)))
        return tuple(out)

    def _objective(self, obj: _Obj) -> Objective:
        base = obj.block.text
        # « Objectif 1 : Favoriser … »: the numbering is not the label
        label, action_types = split_objective(_OBJECTIVE_NUMBER.sub("", base, count=1))
        text = base
        if obj.subs:
            subs = [squash(s).rstrip(" ;,.") for _, s in obj.subs]
            action_types = action_types + tuple(s for s in subs if s)
            if base.endswith(":"):
                text = f"{base} {' ; '.join(subs)}"
            elif ":" in base:
                text = f"{base.rstrip('.')} ; {' ; '.join(subs)}"
            else:
                text = f"{base} : {' ; '.join(subs)}"
        span = SourceSpan(obj.first, obj.last)
        for number, part in obj.block.parts:
            for m in _DAMAGED_TAIL.finditer(part):
                if soft_fold(m.group("word")) in _ABBREVIATIONS:
                    continue
                self.warn(number, "damaged_text",
                          f"Une phrase repart en minuscule après un point (« {m.group('word')}. {m.group('next')} ») : "
                          "la fin de cet objectif semble abîmée.", part[m.start():][:120])
                break
        label = label.rstrip(" :") or text
        return Objective(text=text, label=label, action_types=action_types,
                         constraints=find_constraints(text, span), lines=span)


def parse(doc: Sequence[DocLine], *, source_name: str = "", default_title: str = "") -> Framework:
    """Build the framework of a document; raises ``AnnexError`` when it holds no objective at all."""
    warnings: list[AnnexWarning] = []
    blocks = _blocks(_items(doc))
    if not blocks:
        raise AnnexError("Le document ne contient aucun texte exploitable.")
    blocks = _merge_neighbourhood_headings(blocks)
    if not any(b.kind == NBH for b in blocks):
        blocks = _neighbourhoods_by_level(blocks)
    builder = _Builder(blocks, warnings)
    starts = [i for i, b in enumerate(blocks) if b.kind == NBH]
    neighbourhoods: list[Neighbourhood] = []
    if starts:
        builder.ranks = _ranks(blocks[starts[0]:])
        preamble = blocks[: starts[0]]
        title = _title(preamble) or default_title
        for b in preamble:
            if b.kind == BULLET:
                builder.warn(b.first, "orphan_text",
                             "Texte placé avant le premier quartier : il n'a pas été importé.", b.text)
            elif b.kind == DAMAGED:
                builder.warn(b.first, "damaged_fragment", "Fragment de texte isolé, probablement abîmé.", b.text)
        for k, start in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(blocks)
            head = blocks[start]
            name, commune = _nbh_fields(head.text)
            code = _CODE.search(head.text)
            themes, last = builder.section(blocks[start + 1:end], head.last)
            if not themes:
                builder.warn(head.first, "empty_section",
                             f"Le quartier « {name} » ne contient aucun thème ni objectif reconnu.", head.text)
            neighbourhoods.append(Neighbourhood(name=name, heading=head.text, commune=commune,
                                                code=code.group(0).replace(" ", "") if code else "",
                                                themes=themes, lines=SourceSpan(head.first, last)))
    else:
        start = _preamble_end(blocks)
        builder.ranks = _ranks(blocks[start:])
        title = _title(blocks[:start]) or default_title
        content = blocks[start:]
        # Without neighbourhood nor theme headings, only a list (bullets) is a recognisable structure.
        implicit = any(b.kind == BULLET for b in content)
        themes, last = builder.section(content, content[0].first if content else 1, implicit=implicit)
        if themes:
            neighbourhoods.append(Neighbourhood(name=title or "Ensemble du contrat", heading="", themes=themes,
                                                lines=SourceSpan(themes[0].lines.first if themes[0].lines else 1,
                                                                 last)))
    framework = Framework(neighbourhoods=tuple(neighbourhoods), warnings=tuple(sorted(warnings, key=_warning_key)),
                          title=title, source_name=source_name)
    if not framework.objectives:
        raise AnnexError(
            "Aucun objectif n'a été reconnu dans ce document. Une annexe attendue contient, pour chaque quartier, "
            "des titres de thèmes (« Emploi / Formation », « Axe 1 : … ») suivis d'objectifs (une ligne ou une "
            "puce « - » par objectif)."
        )
    return framework


def _merge_neighbourhood_headings(blocks: list[Block]) -> list[Block]:
    """« Commune de X » then « Quartier prioritaire « Y » » on the next line: one neighbourhood heading."""
    out: list[Block] = []
    for block in blocks:
        if (block.kind == NBH and out and out[-1].kind == NBH and not block.blank_before
                and re.match(r"(?:communes?|ville|projet (?:de|du) quartier)\b", soft_fold(out[-1].text))
                and re.match(r"(?:quartiers?|qpv)\b", soft_fold(block.text))):
            out[-1] = Block(NBH, [*out[-1].parts, *block.parts], style=out[-1].style,
                            blank_before=out[-1].blank_before)
            continue
        out.append(block)
    return out


def _neighbourhoods_by_level(blocks: list[Block]) -> list[Block]:
    """Neighbourhood headings without keywords (« ## Les Pins – Villeneuve »), told by the document's levels.

    In a document without any neighbourhood keyword, the shallowest headings after the preamble are neighbourhoods
    when there are at least two of them, each holds deeper headings, none is numbered like an axis (« Axe 1 »,
    « 1) ») and none names a theme (« Emploi », « Santé »…).
    """
    start = _preamble_end(blocks)
    ranks = _ranks(blocks[start:])
    headings = [i for i in range(start, len(blocks)) if blocks[i].kind == HEADING]
    if not headings:
        return blocks
    top = min(ranks[blocks[i].style] for i in headings)
    tops = [i for i in headings if ranks[blocks[i].style] == top]
    if len(tops) < 2 or any(blocks[i].style.startswith(("kw:", "num", "roman", "alpha")) for i in tops):
        return blocks
    bounds = [*tops[1:], len(blocks)]
    for i, end in zip(tops, bounds, strict=True):
        if canonical_theme(blocks[i].text) != "other" or label_lead(blocks[i].text):
            return blocks
        if not any(blocks[j].kind == HEADING for j in range(i + 1, end)):
            return blocks
    out = list(blocks)
    for i in tops:
        out[i] = Block(NBH, blocks[i].parts, style=blocks[i].style, blank_before=blocks[i].blank_before)
    return out


def _preamble_end(blocks: Sequence[Block]) -> int:
    """Where the content of a document without neighbourhood headings starts.

    When some headings carry a structure (numbering, levels, bold), everything before the first of them is the
    title and preamble; otherwise the leading headings followed by a heading of the same style (or whose style is
    used only once) are the title.
    """
    structured = [i for i, b in enumerate(blocks) if b.kind == HEADING and b.style != "plain"]
    if structured and any(b.kind == HEADING and b.style == "plain" for b in blocks[: structured[0]]):
        return structured[0]
    start = 0
    heading_styles = [b.style for b in blocks if b.kind == HEADING]
    while start < len(blocks) - 1 and blocks[start].kind == HEADING and (
        (blocks[start + 1].kind == HEADING and blocks[start + 1].style == blocks[start].style)
        or heading_styles.count(blocks[start].style) == 1
    ):
        start += 1
    return start


def _warning_key(w: AnnexWarning) -> tuple[int, str]:
    return (w.line, w.kind)
