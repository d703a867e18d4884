"""The SCDL « subventions » 2.0.2 open-data file of one granting funder, and a validator of the schema's rules.

Schema: https://schema.data.gouv.fr/scdl/subventions/2.0.2/ (OpenDataFrance): 16 columns in this order, comma
separated, UTF-8, one header line, missing values written as empty strings. The legal obligation (loi 2000-321
art. 10, décret 2017-779) covers grants above 23,000 €; the file holds every grant unless a threshold is given.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from quartiers.calls.models import compact_siret
from quartiers.programme.selectors import granted_decisions
from quartiers.reviews.models import Decision

COLUMNS = ("nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
           "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
           "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention", "dispositifAide")
REQUIRED = ("nomAttribuant", "idAttribuant", "dateConvention", "nomBeneficiaire", "objet", "montant", "nature",
            "conditionsVersement", "datesPeriodeVersement", "notificationUE", "pourcentageSubvention")
PATTERNS = {
    "idAttribuant": (re.compile(r"^\d{14}$"), "un SIRET de 14 chiffres"),
    "idBeneficiaire": (re.compile(r"^\d{14}$"), "un SIRET de 14 chiffres"),
    "rnaBeneficiaire": (re.compile(r"^W\d{9}$"), "un numéro RNA : W suivi de 9 chiffres"),
    "datesPeriodeVersement": (re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(/[0-9]{4}-[0-9]{2}-[0-9]{2})?$"),
                              "une date AAAA-MM-JJ ou une période AAAA-MM-JJ/AAAA-MM-JJ"),
}
MAX_LENGTHS = {"objet": 256, "conditionsVersement": 256, "idRAE": 5}
NATURES = ("aide en numéraire", "aide en nature", "aide en numéraire;aide en nature",
           "aide en nature;aide en numéraire")
BOOLEANS = ("oui", "non")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
RNA = PATTERNS["rnaBeneficiaire"][0]
CASH = "aide en numéraire"


def _objet(decision: Decision) -> str:
    application = decision.application
    text = application.title.strip() or f"Action {application.reference or application.pk}"
    text = " ".join(text.split())
    return text if len(text) <= 256 else text[:255] + "…"


def scdl_line(decision: Decision) -> dict[str, str]:
    application = decision.application
    organisation = application.organisation
    convention_date = decision.convention_date or decision.decided_on
    rna = (organisation.rna or "").strip().upper()
    return {
        "nomAttribuant": decision.funder.name,
        "idAttribuant": compact_siret(decision.funder.siret),
        "dateConvention": convention_date.isoformat(),
        "referenceDecision": decision.reference,
        "nomBeneficiaire": organisation.legal_name,
        "idBeneficiaire": compact_siret(organisation.siret),
        "rnaBeneficiaire": rna if RNA.match(rna) else "",
        "objet": _objet(decision),
        "montant": f"{decision.amount:.2f}",
        "nature": CASH,
        "conditionsVersement": decision.payment_terms,
        "datesPeriodeVersement": decision.payment_dates.strip() or decision.decided_on.isoformat(),
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "1.00",
        "dispositifAide": "",
    }


def scdl_csv(decisions: list[Decision]) -> bytes:
    """The file: header, then one line per grant (comma, UTF-8 without byte-order mark, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for decision in decisions:
        writer.writerow(scdl_line(decision))
    return buffer.getvalue().encode("utf-8")


def scdl_file(call, funders, *, threshold: Decimal | None = None) -> bytes:
    """The SCDL file of the grants of ``funders`` (the funders of one SIRET) in the call."""
    return scdl_csv(granted_decisions(call, funders, threshold=threshold))


def scdl_filename(call_slug: str, siret: str) -> str:
    return f"subventions-{call_slug}-{siret}.csv"


# --- validation ------------------------------------------------------------------------------------------------


def validate_scdl(csv_text: str) -> list[str]:
    """Every breach of the SCDL « subventions » 2.0.2 rules, as French messages naming the line and the column.

    Line numbers are those of the file (the header is line 1). An empty list means the file is valid.
    """
    if csv_text.startswith("\ufeff"):
        return ["Ligne 1 : le fichier commence par une marque d'ordre des octets (BOM) ; le schéma attend de "
                "l'UTF-8 sans BOM."]
    rows = list(csv.reader(io.StringIO(csv_text, newline="")))
    if not rows:
        return ["Ligne 1 : le fichier est vide ; il doit au moins contenir la ligne d'en-tête."]
    errors = _check_header(rows[0])
    if errors:
        return errors
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            errors.append(f"Ligne {number} : ligne vide.")
            continue
        if len(row) != len(COLUMNS):
            errors.append(f"Ligne {number} : {len(row)} valeurs au lieu de {len(COLUMNS)}.")
            continue
        for column, value in zip(COLUMNS, row, strict=True):
            message = _check_value(column, value)
            if message:
                errors.append(f"Ligne {number}, colonne {column} : {message}")
    return errors


def _check_header(header: list[str]) -> list[str]:
    if tuple(header) == COLUMNS:
        return []
    errors = []
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing:
        errors.append("Ligne 1 : colonne(s) manquante(s) : " + ", ".join(missing) + ".")
    if unknown:
        errors.append("Ligne 1 : colonne(s) inconnue(s) du schéma : " + ", ".join(unknown) + ".")
    if not errors:
        errors.append("Ligne 1 : les colonnes ne sont pas dans l'ordre du schéma (" + ", ".join(COLUMNS) + ").")
    return errors


def _check_value(column: str, value: str) -> str | None:
    if value == "":
        return "valeur obligatoire manquante." if column in REQUIRED else None
    if value != value.strip():
        return "espaces en début ou en fin de valeur."
    if column in PATTERNS:
        pattern, what = PATTERNS[column]
        if not pattern.match(value):
            return f"« {value} » n'est pas {what}."
    if column in MAX_LENGTHS and len(value) > MAX_LENGTHS[column]:
        return f"{len(value)} caractères, au plus {MAX_LENGTHS[column]} permis."
    if column == "dateConvention":
        return _check_date(value)
    if column == "datesPeriodeVersement":
        return _check_period(value)
    if column == "montant":
        return _check_number(value, "le montant")
    if column == "pourcentageSubvention":
        return _check_number(value, "le pourcentage", low=Decimal("0.01"), high=Decimal(1))
    if column == "nature" and value not in NATURES:
        return f"« {value} » n'est pas une valeur permise (" + " ; ".join(f"« {n} »" for n in NATURES) + ")."
    if column == "notificationUE" and value not in BOOLEANS:
        return f"« {value} » : seules les valeurs « oui » et « non » sont permises."
    return None


def _parse_date(value: str) -> date | None:
    if not ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _check_date(value: str) -> str | None:
    if _parse_date(value) is None:
        return f"« {value} » n'est pas une date valide au format AAAA-MM-JJ."
    return None


def _check_period(value: str) -> str | None:
    parts = value.split("/")
    dates = [_parse_date(p) for p in parts]
    if any(d is None for d in dates):
        return f"« {value} » contient une date qui n'existe pas."
    if len(dates) == 2 and dates[0] > dates[1]:
        return f"« {value} » : la période finit avant de commencer."
    return None


def _check_number(value: str, what: str, low: Decimal | None = None, high: Decimal | None = None) -> str | None:
    if not NUMBER.match(value):
        return f"« {value} » n'est pas un nombre écrit avec un point décimal (par exemple 47800.20)."
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes it
        return f"« {value} » n'est pas un nombre."
    if low is not None and number < low or high is not None and number > high:
        return f"{what} doit être compris entre {low} et {high} (« {value} »)."
    return None
