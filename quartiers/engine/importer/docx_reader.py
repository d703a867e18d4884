"""Reader for Word documents (.docx, python-docx): one line per paragraph, in body order (tables included).

Hints come from the document's structure, not only its text: heading styles (« Heading n », « Titre n ») and
outline levels give heading levels; list styles (« List Paragraph », « List Bullet »…) and list numbering
(``w:numPr``, on the paragraph or its style) make list items, numbered or bulleted according to the numbering
definition; a paragraph whose every character is bold is flagged bold (the parser reads a short bold line as a
heading).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from quartiers.engine.importer.document import DocLine, ReadResult
from quartiers.engine.importer.errors import AnnexError

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_HEADING_STYLE = re.compile(r"^(?:heading|titre|title)\s*(\d)?$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"list|liste|puce|bullet|énumération", re.IGNORECASE)


def _attr(el: Any, name: str) -> str | None:
    value = el.get(f"{{{_W}}}{name}")
    return str(value) if value is not None else None


def _style_chain(style: Any) -> Iterator[Any]:
    seen = 0
    while style is not None and seen < 10:
        yield style
        style = getattr(style, "base_style", None)
        seen += 1


def _ppr_child(style_or_p: Any, tag: str) -> Any:
    element = getattr(style_or_p, "element", style_or_p)
    found = element.find(f"w:pPr/w:{tag}", _NS)
    return found


class _Numbering:
    """Number format (``bullet``, ``decimal``…) of a list level, read from numbering.xml."""

    def __init__(self, document: Any) -> None:
        self.formats: dict[tuple[str, str], str] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[str, str]] = {}
        for node in root.findall("w:abstractNum", _NS):
            levels = {}
            for lvl in node.findall("w:lvl", _NS):
                fmt = lvl.find("w:numFmt", _NS)
                levels[_attr(lvl, "ilvl") or "0"] = (_attr(fmt, "val") if fmt is not None else None) or "decimal"
            abstract[_attr(node, "abstractNumId") or ""] = levels
        for num in root.findall("w:num", _NS):
            ref = num.find("w:abstractNumId", _NS)
            levels = abstract.get(_attr(ref, "val") or "", {}) if ref is not None else {}
            for ilvl, fmt in levels.items():
                self.formats[(_attr(num, "numId") or "", ilvl)] = fmt

    def numbered(self, num_id: str, ilvl: str) -> bool:
        return self.formats.get((num_id, ilvl), "bullet") not in {"bullet", "none"}


@dataclass(frozen=True, slots=True)
class _StyleInfo:
    names: tuple[str, ...]
    heading: int
    num_pr: Any
    bold: bool | None


class _Styles:
    """What a paragraph inherits from its style chain, computed once per style (python-docx lookups are slow)."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.paragraph: dict[str | None, _StyleInfo] = {}
        self.character: dict[str, bool | None] = {}

    def of(self, paragraph: Any) -> _StyleInfo:
        style_id = paragraph._p.style
        if style_id not in self.paragraph:
            self.paragraph[style_id] = self._compute(paragraph.style)
        return self.paragraph[style_id]

    def run_bold(self, run: Any) -> bool | None:
        style_id = run._r.style
        if style_id is None:
            return None
        if style_id not in self.character:
            from docx.enum.style import WD_STYLE_TYPE

            try:
                style = self.document.part.get_style(style_id, WD_STYLE_TYPE.CHARACTER)
                self.character[style_id] = style.font.bold
            except (KeyError, ValueError, AttributeError):
                self.character[style_id] = None
        return self.character[style_id]

    @staticmethod
    def _compute(style: Any) -> _StyleInfo:
        chain = list(_style_chain(style))
        names = tuple(str(s.name or "") for s in chain)
        heading = 0
        for name in names:
            m = _HEADING_STYLE.match(name.strip())
            if m:
                heading = int(m.group(1) or 1)
                break
        if not heading:
            heading = next((level for s in chain if (level := _outline(s.element))), 0)
        num_pr = next((n for s in chain if (n := _ppr_child(s.element, "numPr")) is not None), None)
        bold = next((s.font.bold for s in chain if s.font.bold is not None), None)
        return _StyleInfo(names=names, heading=heading, num_pr=num_pr, bold=bold)


def _outline(element: Any) -> int:
    """Heading level from an outline level (``w:outlineLvl``, 0-based; 9 is body text), or 0."""
    outline = _ppr_child(element, "outlineLvl")
    value = _attr(outline, "val") if outline is not None else None
    return int(value) + 1 if value is not None and value.isdigit() and int(value) < 9 else 0


def _paragraph_line(paragraph: Any, numbering: _Numbering, styles: _Styles) -> DocLine:
    text = paragraph.text.replace("\n", " ").replace("\t", " ")
    info = styles.of(paragraph)
    heading = _outline(paragraph._p) or info.heading
    num_pr = _ppr_child(paragraph._p, "numPr")
    if num_pr is None:
        num_pr = info.num_pr
    bullet = numbered = False
    level = 0
    if num_pr is not None:
        num_id_el = num_pr.find("w:numId", _NS)
        ilvl_el = num_pr.find("w:ilvl", _NS)
        num_id = _attr(num_id_el, "val") if num_id_el is not None else None
        ilvl = (_attr(ilvl_el, "val") if ilvl_el is not None else None) or "0"
        if num_id and num_id != "0":
            bullet = True
            numbered = numbering.numbered(num_id, ilvl)
            level = int(ilvl) if ilvl.isdigit() else 0
    first_name = info.names[0].lower() if info.names else ""
    if not bullet and not heading and _LIST_STYLE.search(first_name):
        bullet, numbered = True, "number" in first_name or "numéro" in first_name
    if heading:
        bullet = False
    return DocLine(text=text, heading=heading, bullet=bullet, numbered=numbered, level=level,
                   bold=_all_bold(paragraph, info.bold, styles))


def _all_bold(paragraph: Any, style_bold: bool | None, styles: _Styles) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    for run in runs:
        bold = run.bold
        if bold is None:
            bold = styles.run_bold(run)
        if bold is None:
            bold = style_bold
        if not bold:
            return False
    return True


def _blocks(document: Any) -> Iterator[Any]:
    """Paragraphs of the body in order, descending into tables (each merged cell once)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(parent: Any, element: Any) -> Iterator[Any]:
        for child in element.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                yield Paragraph(child, parent)
            elif tag == "tbl":
                table = Table(child, parent)
                seen: set[Any] = set()  # the cell elements themselves: kept alive, so compared by identity
                for row in table.rows:
                    for cell in row.cells:
                        if cell._tc in seen:
                            continue
                        seen.add(cell._tc)
                        yield from walk(cell, cell._tc)
            elif tag == "sdt":
                content = child.find("w:sdtContent", _NS)
                if content is not None:
                    yield from walk(parent, content)

    yield from walk(document, document.element.body)


def read_docx(data: bytes) -> ReadResult:
    try:
        import docx
    except ImportError as exc:  # pragma: no cover
        raise AnnexError("La lecture des documents Word (.docx) n'est pas disponible sur ce serveur.") from exc
    try:
        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document)
        styles = _Styles(document)
        lines = tuple(_paragraph_line(p, numbering, styles) for p in _blocks(document))
    except Exception as exc:  # lxml and python-docx raise many kinds of errors on damaged files
        raise AnnexError(
            "Ce document Word (.docx) est illisible ou endommagé. Ouvrez-le et enregistrez-le à nouveau au "
            "format .docx, ou exportez-le en PDF ou en texte."
        ) from exc
    return ReadResult(lines=lines, format="docx", encoding=None)
