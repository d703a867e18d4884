"""Reader for plain text and Markdown (.txt, .md): decode, split into lines; Markdown marks are read by the parser.

Decoding: a BOM decides (UTF-8, UTF-16); otherwise strict UTF-8; otherwise Windows-1252 when every byte is
defined there (its 0x80–0x9F range holds the curly quotes, dashes and « œ » of French text, which latin-1 maps to
control characters); otherwise latin-1 when the few undefined bytes are rare; otherwise charset-normalizer's best
guess; latin-1 last, since it decodes anything.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from quartiers.engine.framework import AnnexWarning
from quartiers.engine.importer.document import DocLine, ReadResult
from quartiers.engine.importer.errors import AnnexError

_NEWLINE = re.compile(r"\r\n|\r|\n")
_ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "ISO-8859-1 (latin-1)", "utf-16": "UTF-16"}


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of the bytes of a text file."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    # Only the five bytes Windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) stopped it: latin-1 is sound when
    # they are rare; when C1 controls abound, the file is in another encoding and charset-normalizer decides.
    text = data.decode("latin-1")
    controls = sum(1 for c in text if "\x80" <= c <= "\x9f")
    if controls <= max(2, len(text) // 1000):
        return text, "latin-1"
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        return guess
    return text, "latin-1"


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n" if encoding == "utf-8" else "\n".encode(encoding)[-2:]) + 1
        raise AnnexError(
            f"Le fichier annonce l'encodage {encoding.upper()} (marque d'ordre des octets) mais contient des octets "
            f"invalides à la ligne {line}. Enregistrez-le à nouveau en UTF-8.",
            line=line,
        ) from exc


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer is a dependency, but stay usable without it
        return None
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        return None


def looks_binary(text: str) -> bool:
    """NUL characters, or more than 1 % of control characters: not a text document."""
    if "\x00" in text:
        return True
    sample = text[:100_000]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    return controls > max(2, len(sample) // 100)


def read_text(data: bytes, *, fmt: str = "txt") -> ReadResult:
    text, encoding = decode(data)
    if looks_binary(text):
        raise AnnexError(
            "Ce fichier ne ressemble pas à un texte (caractères binaires) : est-ce bien une annexe au format "
            f".{fmt} ? Pour un document Word, PDF ou OpenDocument, gardez son extension d'origine."
        )
    raw_lines = _NEWLINE.split(text.replace("\f", ""))
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    warnings: tuple[AnnexWarning, ...] = ()
    if encoding not in {"utf-8", "utf-8-sig"}:
        name = _ENCODING_NAMES.get(encoding, encoding)
        warnings = (AnnexWarning(line=0, kind="encoding",
                                 message=f"Le fichier n'est pas en UTF-8 ; il a été lu comme {name}. "
                                         "Vérifiez les accents.", text=name),)
    return ReadResult(lines=tuple(DocLine(line) for line in raw_lines), format=fmt, encoding=encoding,
                      warnings=warnings)
