"""Reader for OpenDocument text (.odt, odfpy): headings (``text:h`` and their outline level), paragraphs and
lists (``text:list``, nested) in document order, tables included; a paragraph whose style is bold is flagged bold.
"""

from __future__ import annotations

import io
from typing import Any

from quartiers.engine.importer.document import DocLine, ReadResult
from quartiers.engine.importer.errors import AnnexError

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO_NS = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"


def _bold_styles(document: Any) -> set[str]:
    bold: set[str] = set()
    for container in (document.automaticstyles, document.styles):
        for style in container.childNodes:
            if getattr(style, "qname", None) != (_STYLE_NS, "style"):
                continue
            for child in style.childNodes:
                if getattr(child, "qname", None) == (_STYLE_NS, "text-properties"):
                    if str(child.attributes.get((_FO_NS, "font-weight"), "")).lower() in {"bold", "700", "800", "900"}:
                        bold.add(str(style.attributes.get((_STYLE_NS, "name"), "")))
    return bold


def _text(element: Any) -> str:
    from odf import teletype

    return str(teletype.extractText(element)).replace("\n", " ").replace("\t", " ")


def _walk(element: Any, out: list[DocLine], bold_styles: set[str], depth: int) -> None:
    for child in element.childNodes:
        qname = getattr(child, "qname", None)
        if qname is None:
            continue
        ns, local = qname
        if ns == _TEXT_NS and local == "h":
            level = str(child.attributes.get((_TEXT_NS, "outline-level"), "1"))
            out.append(DocLine(_text(child), heading=int(level) if level.isdigit() else 1))
        elif ns == _TEXT_NS and local == "p":
            style = str(child.attributes.get((_TEXT_NS, "style-name"), ""))
            text = _text(child)
            if depth:
                out.append(DocLine(text, bullet=True, level=depth - 1))
            else:
                out.append(DocLine(text, bold=style in bold_styles))
        elif ns == _TEXT_NS and local == "list":
            _walk(child, out, bold_styles, depth + 1)
        elif ns == _TEXT_NS and local in {"list-item", "list-header", "section"}:
            _walk(child, out, bold_styles, depth)
        elif local in {"table", "table-row", "table-cell", "table-rows", "table-header-rows"}:
            _walk(child, out, bold_styles, depth)


def read_odt(data: bytes) -> ReadResult:
    try:
        from odf.opendocument import load
    except ImportError as exc:  # pragma: no cover
        raise AnnexError("La lecture des documents OpenDocument (.odt) n'est pas disponible sur ce serveur.") from exc
    try:
        document = load(io.BytesIO(data))
        if "opendocument.text" not in str(document.mimetype):
            raise AnnexError(
                "Ce fichier OpenDocument n'est pas un document texte (.odt) : c'est "
                f"« {document.mimetype} ». Enregistrez l'annexe comme document texte."
            )
        out: list[DocLine] = []
        _walk(document.text, out, _bold_styles(document), 0)
    except AnnexError:
        raise
    except Exception as exc:  # zipfile, xml.sax and odfpy raise many kinds of errors on damaged files
        raise AnnexError(
            "Ce document OpenDocument (.odt) est illisible ou endommagé. Ouvrez-le et enregistrez-le à nouveau, "
            "ou fournissez-le au format .docx, PDF ou texte."
        ) from exc
    return ReadResult(lines=tuple(out), format="odt", encoding=None)
