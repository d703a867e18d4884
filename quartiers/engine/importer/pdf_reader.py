"""Reader for PDF (.pdf, pdfplumber): the text layer, line by line, with hints from the fonts.

- a line set in a font clearly larger than the body text is a heading (the larger, the higher);
- a line entirely in a bold font is flagged bold;
- a vertical gap larger than half a line, and every page break, becomes a blank line (paragraph boundary);
  a line that follows the previous one in the same font without such a gap is marked ``joined`` (wrapped
  text), and the lines of a wrapped heading are put back together into one line;
- the indentation of a line relative to the page's left margin is kept as leading spaces (sub-bullets);
- running headers and footers (the same text, numbers aside, at the top or bottom of most pages) are dropped.

A page without any character (a scan) is reported as a ``no_text_layer`` warning; a document without any text at
all is refused with an ``AnnexError`` (it must go through OCR first).
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from typing import Any

from quartiers.engine.framework import AnnexWarning
from quartiers.engine.importer.document import DocLine, ReadResult
from quartiers.engine.importer.errors import AnnexError

_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")


def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return any(b in name for b in _BOLD_NAMES)


def _corrupt() -> AnnexError:
    return AnnexError(
        "Ce fichier PDF est illisible ou endommagé. Exportez à nouveau le document en PDF, ou fournissez-le "
        "au format Word (.docx), OpenDocument (.odt) ou texte."
    )


def _running_key(line: dict[str, Any]) -> str:
    return re.sub(r"\d+", "#", " ".join(str(line.get("text", "")).split())).casefold()


def _edges(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [*lines[:2], *lines[2:][-2:]]


def _running_lines(pages: list[list[dict[str, Any]]]) -> set[str]:
    """Running headers and footers: the same text (numbers aside) among the first or last two lines of at least
    three pages and half of them."""
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = {_running_key(line) for line in _edges(lines)}
        counts.update(k for k in edge if k and len(k) <= 120 and not re.match(r"[-–•*▪]\s", k))
    threshold = max(3, (len(pages) + 1) // 2)
    return {k for k, n in counts.items() if n >= threshold}


def read_pdf(data: bytes) -> ReadResult:
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover
        raise AnnexError("La lecture des PDF n'est pas disponible sur ce serveur.") from exc
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[list[dict[str, Any]]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                pages.append(page.extract_text_lines(strip=True, return_chars=True))
    except AnnexError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        raise _corrupt() from exc
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            for char in line.get("chars", []):
                if str(char.get("text", "")).strip():
                    sizes[round(float(char.get("size", 0)), 1)] += 1
    if not sizes:
        raise AnnexError(
            "Ce PDF ne contient pas de texte (pages numérisées ou images) : il faut d'abord le passer dans un "
            "logiciel de reconnaissance de caractères (OCR), ou fournir le document d'origine (.docx, .odt)."
        )
    running = _running_lines(pages)
    body = sizes.most_common(1)[0][0]
    bigger = sorted({s for s in sizes if s >= body * 1.15}, reverse=True)
    out: list[DocLine] = []
    warnings: list[AnnexWarning] = []
    for number, lines in enumerate(pages, 1):
        if out:
            out.append(DocLine(""))
        if not lines:
            warnings.append(AnnexWarning(
                line=len(out) + 1, kind="no_text_layer",
                message=f"La page {number} ne contient pas de texte (image ou page numérisée) : "
                        "son contenu n'a pas été importé.",
                text=f"page {number}"))
            continue
        edges = {id(line) for line in _edges(lines)}
        margin = min(float(line.get("x0", 0)) for line in lines)
        previous_bottom: float | None = None
        previous_style: tuple[float, bool] | None = None
        for line in lines:
            chars = [c for c in line.get("chars", []) if str(c.get("text", "")).strip()]
            if not chars or (id(line) in edges and _running_key(line) in running):
                continue
            top, bottom = float(line.get("top", 0)), float(line.get("bottom", 0))
            height = max(bottom - top, 1.0)
            gap = previous_bottom is not None and top - previous_bottom > height * 0.5
            if gap:
                out.append(DocLine(""))
            size = Counter(round(float(c.get("size", 0)), 1) for c in chars).most_common(1)[0][0]
            heading = bigger.index(size) + 1 if size in bigger else 0
            bold = all(_is_bold(str(c.get("fontname", ""))) for c in chars)
            indent = max(0, int((float(line.get("x0", 0)) - margin) / 4))
            text = str(line.get("text", ""))
            same_paragraph = previous_bottom is not None and not gap and previous_style == (size, bold)
            if same_paragraph and heading and out and out[-1].heading == heading:
                # a heading wrapped over several lines is one heading
                out[-1] = DocLine(f"{out[-1].text} {text.strip()}", heading=heading, bold=bold)
            else:
                out.append(DocLine(" " * indent + text, heading=heading, bold=bold,
                                   joined=same_paragraph and not heading))
            previous_bottom = bottom
            previous_style = (size, bold)
    return ReadResult(lines=tuple(out), format="pdf", encoding=None, warnings=tuple(warnings))
