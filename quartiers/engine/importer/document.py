"""What a reader hands to the parser: lines of text with light structural hints."""

from __future__ import annotations

from dataclasses import dataclass, field

from quartiers.engine.framework import AnnexWarning


@dataclass(frozen=True, slots=True)
class DocLine:
    """One line of the extracted text.

    ``text`` is the line as shown to people (``ImportResult.lines``); the hints come from the document's own
    structure when the format has one (docx styles, odt headings and lists, pdf fonts, Markdown ``#``):

    - ``heading``: heading level (1 = top), 0 when the document says nothing;
    - ``bullet``: the line is a list item; ``level`` its nesting depth (0 = top);
    - ``numbered``: the list item is numbered (1., a), I.) rather than bulleted;
    - ``bold``: every character of the line is bold;
    - ``joined``: the layout says this line continues the previous one's paragraph (a wrapped line of a PDF).
    """

    text: str
    heading: int = 0
    bullet: bool = False
    numbered: bool = False
    level: int = 0
    bold: bool = False
    joined: bool = False


@dataclass(frozen=True, slots=True)
class ReadResult:
    lines: tuple[DocLine, ...]
    format: str
    encoding: str | None = None
    warnings: tuple[AnnexWarning, ...] = field(default=())
