"""Annex importer: a contract's priorities annex (.txt .md .docx .pdf .odt) → ``Framework`` + warnings.

Pure Python (no Django). Readers (one module per format) turn a document into lines with light structural hints;
one structural parser (``parser``) builds neighbourhoods → themes → objectives → constraints; ``codes`` resolves
official QPV codes from a reference list. See docs/importer.md.

    result = import_annex_bytes(data, "annexe.docx")   # or import_annex_path(path)
    result.framework, result.lines, result.format, result.encoding
"""

from quartiers.engine.importer.api import (
    ACCEPTED_EXTENSIONS,
    MAX_ANNEX_BYTES,
    ImportResult,
    annex_format,
    import_annex_bytes,
    import_annex_path,
)
from quartiers.engine.importer.codes import QpvRef, load_qpv_reference, resolve_code, resolve_codes
from quartiers.engine.importer.errors import AnnexError

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "MAX_ANNEX_BYTES",
    "AnnexError",
    "ImportResult",
    "QpvRef",
    "annex_format",
    "import_annex_bytes",
    "import_annex_path",
    "load_qpv_reference",
    "resolve_code",
    "resolve_codes",
]
