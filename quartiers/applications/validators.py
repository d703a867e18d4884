"""Identifier and upload checks, with French messages.

SIRET and RNA reuse the rules engine's own checks (``quartiers.engine.rules.checks``) so that a form refuses
exactly what the rules would report as blocking, with the same words.
"""

import re
import zipfile
from io import BytesIO
from types import SimpleNamespace

from django.core.exceptions import ValidationError

from quartiers.engine.rules import Organisation as EngineOrganisation
from quartiers.engine.rules.checks import rna_invalid, siret_invalid

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPTED_EXTENSIONS = {"pdf": "PDF", "odt": "ODT", "docx": "DOCX", "jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}


def normalise_siret(value: str) -> str:
    return re.sub(r"[\s.\-\u00a0\u202f]", "", value or "")


def _blocking(hits) -> list[str]:
    return [h.message for h in hits if h.severity in (None, "blocking")]


def validate_siret(value: str) -> None:
    ctx = SimpleNamespace(organisation=EngineOrganisation(legal_name="", siret=value))
    errors = _blocking(siret_invalid(ctx))
    if errors:
        raise ValidationError(errors[0], code="siret")


def validate_rna(value: str, legal_form: str) -> None:
    ctx = SimpleNamespace(organisation=EngineOrganisation(legal_name="", siret="", rna=value, legal_form=legal_form))
    errors = _blocking(rna_invalid(ctx))
    if errors:
        raise ValidationError(errors[0], code="rna")


def validate_postcode(value: str) -> None:
    if not re.fullmatch(r"\d{5}", value or ""):
        raise ValidationError("Le code postal doit compter 5 chiffres (par exemple 30140).", code="postcode")


def sniff_kind(head: bytes, data_for_zip: bytes | None = None) -> str:
    """The kind of a file from its first bytes: pdf, png, jpeg, odt, docx, or '' when unknown."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04") and data_for_zip is not None:
        try:
            with zipfile.ZipFile(BytesIO(data_for_zip)) as z:
                names = set(z.namelist())
                if "mimetype" in names:
                    mimetype = z.read("mimetype").strip()
                    if mimetype == b"application/vnd.oasis.opendocument.text":
                        return "odt"
                if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                    return "docx"
        except (zipfile.BadZipFile, KeyError, OSError):
            return ""
    return ""


def validate_upload(uploaded) -> str:
    """Check an uploaded file's size, extension and content (by its bytes). Returns its kind."""
    name = uploaded.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if uploaded.size > MAX_UPLOAD_BYTES:
        size = f"{uploaded.size / 1024 / 1024:.1f}".replace(".", ",")
        raise ValidationError(
            f"Le fichier « {name} » est trop volumineux ({size} Mo) : "
            "la taille maximale est de 10 Mo.", code="too_big")
    if ext not in ACCEPTED_EXTENSIONS:
        raise ValidationError(f"Le fichier « {name} » n'est pas d'un format accepté : déposez un fichier PDF, ODT, "
                              "DOCX, JPG ou PNG.", code="extension")
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    kind = sniff_kind(data[:16], data if data[:4] == b"PK\x03\x04" else None)
    expected = "jpeg" if ext in ("jpg", "jpeg") else ext
    if kind != expected:
        raise ValidationError(
            f"Le contenu du fichier « {name} » ne correspond pas à un fichier {ACCEPTED_EXTENSIONS[ext]} : "
            "il a peut-être été renommé. Enregistrez-le au bon format (par exemple « Exporter en PDF ») "
            "puis déposez-le à nouveau.", code="content")
    return kind
