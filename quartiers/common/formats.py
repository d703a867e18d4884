"""French formats shared by every app: amounts in euros, dates, and text safe in a spreadsheet cell.

The grouping of digits is the engine's (`quartiers.engine.rules.findings.format_number`), so that a finding's message
and a page write an amount the same way; the engine itself stays free of Django and of this module.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

from quartiers.engine.rules.findings import NBSP, NNBSP, format_number

__all__ = ["CONVENTION_NOTE", "MONTHS", "NBSP", "NNBSP", "decimal_fr", "euros", "french_date",
           "french_datetime", "percent", "safe_text", "short_date", "spreadsheet_amount", "to_decimal"]

CONVENTION_NOTE = "convention obligatoire (plus de 23 000 €)"  # as the law is quoted: plain spaces
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_decimal(value) -> Decimal | None:
    """A Decimal from a Decimal, an int, a float or a string in the Python notation; None for None, « » or junk."""
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def euros(value, *, cents: bool = True) -> str:
    """« 12 500,00 € » (narrow no-break spaces between thousands, no-break space before the sign), rounded half up
    to the cent; with ``cents=False``, « 120 000 € » when the cents are zero and « 80 000,50 € » otherwise.

    None or « » gives « »; a value that is not a number is returned as text, unchanged.
    """
    amount = to_decimal(value)
    if amount is None:
        return "" if value is None or value == "" else str(value)
    text = format_number(amount, 2)
    if not cents and text.endswith(",00"):
        text = text[:-3]
    return f"{text}{NBSP}€"


def spreadsheet_amount(value) -> str:
    """« 6500,00 »: a decimal comma and no thousands separator, so that a French spreadsheet reads a number."""
    amount = to_decimal(value)
    if amount is None:
        return ""
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}".replace(".", ",")


def french_date(value: date | datetime | None) -> str:
    """« 1er octobre 2026 », « 15 janvier 2027 » (in Paris time for an aware datetime); « » for None."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def french_datetime(value: datetime | None) -> str:
    """« 15 janvier 2027 à 12 h 00 » in Paris time; « » for None."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{french_date(local)} à {local.hour}{NBSP}h{NBSP}{local.minute:02d}"


def short_date(value) -> str:
    """« 11/01/2027 » from a date or an ISO text « 2027-01-11 » (an application's content stores ISO dates);
    a text that is not an ISO date is returned unchanged, and an empty one gives « — »."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return value or "—"


def percent(value) -> str:
    """A share 0…1 as « 50 % », « 12,5 % » (at most two decimals, no trailing zero); « » for None or « »."""
    share = to_decimal(value)
    if share is None:
        return ""
    number = (share * 100).quantize(Decimal("0.01")).normalize()
    return f"{number:f}".replace(".", ",") + f"{NBSP}%"


def decimal_fr(value) -> str:
    """« 0,2 » for Decimal("0.200"); « » for None or « »."""
    number = to_decimal(value)
    if number is None:
        return ""
    return f"{number.normalize():f}".replace(".", ",")


def safe_text(value: str) -> str:
    """A CSV or spreadsheet cell a spreadsheet will not run: text starting like a formula (« = + - @ », tab,
    carriage return) gets a leading apostrophe, so that « =HYPERLINK(…) » typed as an action's title stays text
    (CSV injection)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
