"""Validation of what the committee's forms and services receive: amounts, dates, posted ids."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from quartiers.applications.cerfa import parse_amount as cerfa_parse_amount
from quartiers.reviews.models import (
    Outcome,
    PaymentTerms,
)

PAYMENT_DATES_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:/(\d{4}-\d{2}-\d{2}))?$")


MAX_AMOUNT = Decimal("9999999999.99")  # Decision.amount: 12 digits, 2 decimals


NOT_A_NUMBER = "Montant accordé : écrivez un nombre d'euros, par exemple 5 000 ou 5 000,50 (au plus deux décimales)."


MAX_ID = 2**31 - 1  # above any primary key (and PostgreSQL's integer); bigger ids are ignored, not an overflow


AMBIGUOUS_THOUSANDS_RE = re.compile(r"\d{1,3}(\.\d{3})+")  # « 5.000 »: thousands or decimals?


def parse_amount(value) -> Decimal | None:
    """« 5 000,50 », « 5000.5 » or a Decimal → Decimal; None when empty; raises ValueError when not a number of
    euros with at most two decimals (the applicant side's strict parser: « 5.000 » is refused, not read as 5 €)."""
    if value is None or isinstance(value, Decimal):
        return value
    return cerfa_parse_amount(str(value))


def amount_error(value) -> str | None:
    """The French message when ``value`` is not a positive amount the decision can hold (None when it can)."""
    label = "Montant accordé"
    text = str(value or "").strip()
    if not isinstance(value, Decimal) and AMBIGUOUS_THOUSANDS_RE.fullmatch(text):
        return f"{label} : « {text} » est ambigu ; écrivez {text.replace('.', ' ')} ou {text.replace('.', '')},00."
    try:
        amount = parse_amount(value)
    except ValueError:
        return NOT_A_NUMBER
    if amount is not None and not amount.is_finite():
        return NOT_A_NUMBER
    if amount is None or amount <= 0:
        return f"{label} : une subvention accordée doit avoir un montant supérieur à 0 €."
    if amount.adjusted() >= 10 or amount > MAX_AMOUNT:
        return f"{label} : au plus 9 999 999 999,99 €."
    if amount != amount.quantize(Decimal("0.01")):
        return f"{label} : au plus deux chiffres après la virgule."
    return None


def ids_from(values) -> list[int]:
    """The usable primary keys among posted values: ASCII digits up to ``MAX_ID``; anything else is ignored."""
    ids = []
    for value in values or ():
        text = str(value).strip()
        if text.isascii() and text.isdigit() and len(text) <= 10 and int(text) <= MAX_ID:
            ids.append(int(text))
    return ids


def payment_dates_error(value: str) -> str | None:
    """The French message when ``value`` is neither AAAA-MM-JJ nor AAAA-MM-JJ/AAAA-MM-JJ (a real, ordered period)."""
    if not value:
        return None
    label = "Dates de versement"
    m = PAYMENT_DATES_RE.match(value.strip())
    if not m:
        return (f"{label} : écrivez une date AAAA-MM-JJ ou une période AAAA-MM-JJ/AAAA-MM-JJ "
                f"(par exemple 2027-03-01 ou 2027-03-01/2027-06-30).")
    try:
        days = [date.fromisoformat(d) for d in m.groups() if d]
    except ValueError:
        return f"{label} : « {value.strip()} » n'est pas une date du calendrier."
    if len(days) == 2 and days[1] < days[0]:
        return f"{label} : la fin de la période précède son début."
    return None


def decision_errors(*, outcome: str, amount, reason: str, payment_terms: str, payment_dates: str) -> dict:
    """Every problem of a decision, field by field, in French (empty when the decision can be recorded)."""
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Décision : choisissez « accordée » ou « refusée »."
    if outcome == Outcome.GRANTED and (msg := amount_error(amount)):
        errors["amount"] = msg
    if outcome == Outcome.REFUSED and not (reason or "").strip():
        errors["reason"] = "Motif du refus : un refus doit être motivé (ce motif est écrit dans la lettre)."
    if payment_terms not in PaymentTerms.values:
        errors["payment_terms"] = "Conditions de versement : choisissez unique, échelonné ou autre."
    if msg := payment_dates_error(payment_dates or ""):
        errors["payment_dates"] = msg
    return errors
