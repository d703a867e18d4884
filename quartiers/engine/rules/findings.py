"""Findings and the French formatting of the values they quote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from quartiers.engine.rules.model import Severity

PARIS = ZoneInfo("Europe/Paris")
NNBSP = "\u202f"  # narrow no-break space: thousands separator
NBSP = "\u00a0"  # no-break space: before € and %


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found: a stable code, a severity, a French message naming the values, and the field's path."""

    code: str
    severity: Severity
    message: str
    field: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message, "field": self.field}


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule function returns: the engine adds the code and resolves the severity.

    ``severity`` overrides the rule's default for this hit only (e.g. an RNA in an unusual but possible format is
    a warning, a malformed one is blocking); a severity set in the call's settings overrides both.
    """

    message: str
    field: str
    severity: Severity | None = None


def _group(digits: str) -> str:
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return NNBSP.join(parts)


def format_number(value: Decimal | int, decimals: int = 2) -> str:
    """French number: « 12 500,00 » (narrow no-break spaces between thousands, comma before decimals)."""
    quantum = Decimal(1).scaleb(-decimals)
    d = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    text = f"{abs(d):f}"
    whole, _, frac = text.partition(".")
    out = sign + _group(whole)
    return f"{out},{frac}" if decimals else out


def format_euros(value: Decimal | int) -> str:
    """« 12 500,00 € »."""
    return f"{format_number(value)}{NBSP}€"


def format_percent(ratio: Decimal) -> str:
    """A ratio as a French percentage with at most two decimals: 0.4999 → « 49,99 % », 0.5 → « 50 % »."""
    text = format_number(ratio * 100, 2)
    if text.endswith(",00"):
        text = text[:-3]
    return f"{text}{NBSP}%"


def format_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime) -> str:
    """In Paris time: « 15/11/2026 à 23:59:59 »."""
    local = value.astimezone(PARIS) if value.tzinfo else value
    return local.strftime("%d/%m/%Y à %H:%M:%S")


def format_time(value: time) -> str:
    return value.strftime("%Hh%M")


def quote(text: str, limit: int = 90) -> str:
    """« text », shortened to ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"«{NBSP}{text}{NBSP}»"
