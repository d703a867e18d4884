"""The importer's entry points: bytes or a path in, ``ImportResult`` out, ``AnnexError`` for anything wrong."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

from quartiers.engine.framework import AnnexWarning, Framework
from quartiers.engine.importer.codes import QpvRef, resolve_codes
from quartiers.engine.importer.document import ReadResult
from quartiers.engine.importer.docx_reader import read_docx
from quartiers.engine.importer.errors import AnnexError
from quartiers.engine.importer.odt_reader import read_odt
from quartiers.engine.importer.parser import parse
from quartiers.engine.importer.pdf_reader import read_pdf
from quartiers.engine.importer.text_reader import read_text

MAX_ANNEX_BYTES = 50 * 1024 * 1024
"""Larger files are refused before anything is parsed (an annex is a few hundred kilobytes)."""

READERS: dict[str, Callable[[bytes], ReadResult]] = {
    "txt": lambda data: read_text(data, fmt="txt"),
    "md": lambda data: read_text(data, fmt="md"),
    "docx": read_docx,
    "pdf": read_pdf,
    "odt": read_odt,
}
ACCEPTED_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".docx", ".pdf", ".odt")
_ALIASES = {"markdown": "md", "text": "txt"}


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The framework (its warnings inside), the extracted text (line i+1 is source line i+1), the format read."""

    framework: Framework
    lines: tuple[str, ...]
    format: str
    encoding: str | None = None


_OLD_FORMATS = {"doc": "Word 97-2003 (.doc)", "rtf": "RTF (.rtf)", "odg": "OpenDocument dessin", "pages": "Pages"}
_FORMAT_NAMES = {"docx": "document Word (.docx)", "pdf": "PDF", "odt": "document OpenDocument (.odt)"}


def annex_format(filename: str) -> str:
    """The format (txt, md, docx, pdf, odt) a file name's extension gives; ``AnnexError`` when not accepted."""
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    fmt = _ALIASES.get(suffix, suffix)
    if fmt not in READERS:
        shown = f"« .{suffix} »" if suffix else "sans extension"
        hint = ""
        if suffix in _OLD_FORMATS:
            hint = f" Enregistrez le document {_OLD_FORMATS[suffix]} au format .docx ou .odt, ou exportez-le en PDF."
        raise AnnexError(
            f"Format de fichier non pris en charge ({shown}). Formats acceptés : {', '.join(ACCEPTED_EXTENSIONS)}."
            + hint
        )
    return fmt


def sniff_format(data: bytes) -> str | None:
    """The office format the content itself shows (PDF signature, zip holding a Word or OpenDocument text)."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        head = data[:4096]
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in head:
            return "odt"
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "word/document.xml" in names:
            return "docx"
    return None


def _too_big(size: int) -> AnnexError:
    return AnnexError(
        f"Le fichier est trop volumineux ({size / 1024 / 1024:.1f} Mo) : la taille maximale d'une annexe est de "
        f"{MAX_ANNEX_BYTES // 1024 // 1024} Mo."
    )


def import_annex_bytes(data: bytes, filename: str, *, reference: Iterable[QpvRef] | None = None) -> ImportResult:
    """Import an annex from its bytes; ``filename`` gives the format (its extension) and the source name.

    With ``reference`` (the official QPV list), neighbourhood codes are resolved. Raises ``AnnexError`` only.
    """
    fmt = annex_format(filename)
    if len(data) > MAX_ANNEX_BYTES:
        raise _too_big(len(data))
    if not data:
        raise AnnexError("Le fichier est vide.")
    if fmt in {"txt", "md"} and not data.strip():
        raise AnnexError("Le fichier ne contient que des espaces ou des lignes vides.")
    sniffed = sniff_format(data)
    notes: tuple[AnnexWarning, ...] = ()
    if sniffed and sniffed != fmt:
        notes = (AnnexWarning(line=0, kind="structure", text=filename,
                              message=f"Le fichier porte l'extension « .{fmt} » mais son contenu est un "
                                      f"{_FORMAT_NAMES[sniffed]} : il a été lu comme tel."),)
        fmt = sniffed
    try:
        read = READERS[fmt](data)
        if not any(line.text.strip() for line in read.lines):
            raise AnnexError("Le document ne contient aucun texte.")
        source_name = PurePath(filename).name
        framework = parse(read.lines, source_name=source_name, default_title=PurePath(filename).stem)
    except AnnexError:
        raise
    except RecursionError as exc:
        raise AnnexError("Le document est trop profondément imbriqué pour être lu.") from exc
    except Exception as exc:  # a bug must not reach the user as a traceback, nor yield half a result
        raise AnnexError(f"Le document n'a pas pu être analysé ({type(exc).__name__}).") from exc
    if read.warnings or notes:
        merged = tuple(sorted((*notes, *read.warnings, *framework.warnings), key=lambda w: (w.line, w.kind)))
        framework = replace(framework, warnings=merged)
    if reference is not None:
        framework = resolve_codes(framework, reference)
    return ImportResult(framework=framework, lines=tuple(line.text for line in read.lines), format=fmt,
                        encoding=read.encoding)


def import_annex_path(path: str | os.PathLike[str], *, reference: Iterable[QpvRef] | None = None) -> ImportResult:
    """Import an annex file; the size is checked before the file is read."""
    p = Path(path)
    annex_format(p.name)
    try:
        size = p.stat().st_size
        if size > MAX_ANNEX_BYTES:
            raise _too_big(size)
        if not p.is_file():
            raise AnnexError(f"« {p} » n'est pas un fichier.")
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise AnnexError(f"Fichier introuvable : « {p} ».") from exc
    except PermissionError as exc:
        raise AnnexError(f"Lecture du fichier « {p} » refusée (droits insuffisants).") from exc
    except OSError as exc:
        raise AnnexError(f"Le fichier « {p} » n'a pas pu être lu ({exc.strerror or exc}).") from exc
    return import_annex_bytes(data, p.name, reference=reference)
