"""The queue's CSV export: the chosen columns of every filtered application, French number format."""

from __future__ import annotations

from django.utils import timezone

from quartiers.common.formats import safe_text, spreadsheet_amount
from quartiers.engine.framework import CANONICAL_THEMES


def csv_value(key: str, row, *, names: dict, requests: dict):
    if key.startswith("funder_"):
        return spreadsheet_amount(requests.get(int(key.removeprefix("funder_"))))
    match key:
        case "reference":
            return row.reference or ""
        case "organisation":
            return row.organisation.legal_name
        case "siret":
            return row.organisation.siret
        case "title":
            return row.title
        case "neighbourhoods":
            return ", ".join(f"{names.get(c, c)} ({c})" for c in row.neighbourhood_code_list)
        case "status":
            return row.get_status_display()
        case "renewal":
            return "renouvellement" if row.renewal else "nouvelle action"
        case "submitted_at":
            return timezone.localtime(row.submitted_at).strftime("%d/%m/%Y") if row.submitted_at else ""
        case "total_budget":
            return spreadsheet_amount(row.total_budget)
        case "requested_total":
            return spreadsheet_amount(row.requested_total)
        case "findings_blocking":
            return row.findings_blocking
        case "findings_warnings":
            return row.findings_warnings
        case "objective":
            return row.confirmed_label or "à confirmer"
        case "theme":
            return CANONICAL_THEMES.get(row.confirmed_theme or "", "")
        case "opinions":
            return row.opinions_given or 0 if row.show_assessments else ""
        case "proposed_total":
            return spreadsheet_amount(row.proposed_total) if row.show_assessments else ""
    raise KeyError(key)


def csv_cell(value):
    """Typed text (a title, an organisation's name…) made inert for spreadsheets; numbers and amounts as they are."""
    return safe_text(value) if isinstance(value, str) else value
