"""French formatting of a call's dates and amounts: « 15 janvier 2027 à 12 h 00 », « 120 000 € »."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone

register = template.Library()

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
NNBSP = "\u202f"
NBSP = "\u00a0"


@register.filter
def french_date(value: datetime) -> str:
    """« 1er octobre 2026 », « 15 janvier 2027 » (in Paris time for an aware datetime)."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def french_datetime(value: datetime) -> str:
    """« 15 janvier 2027 à 12 h 00 » in Paris time."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{french_date(local)} à {local.hour}{NBSP}h{NBSP}{local.minute:02d}"


@register.filter
def euros(value) -> str:
    """« 120 000 € », or « 80 000,50 € » when there are cents."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, _, cents = f"{abs(amount):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ("-" if amount < 0 else "") + NNBSP.join(groups)
    if cents != "00":
        text += f",{cents}"
    return f"{text}{NBSP}€"


@register.filter
def percent(value) -> str:
    """A share 0…1 as « 50 % »."""
    if value is None or value == "":
        return ""
    number = (Decimal(value) * 100).quantize(Decimal("0.01")).normalize()
    return f"{number:f}".replace(".", ",") + f"{NBSP}%"


@register.filter
def decimal_fr(value) -> str:
    """« 0,2 » for Decimal("0.200")."""
    if value is None or value == "":
        return ""
    number = Decimal(value).normalize()
    return f"{number:f}".replace(".", ",")
