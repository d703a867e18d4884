from django import template

from quartiers.engine.rules.model import DOCUMENT_TYPES

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def doc_label(doc_type: str) -> str:
    label = DOCUMENT_TYPES.get(doc_type, doc_type)
    return label[:1].upper() + label[1:]


@register.filter
def frdate(value) -> str:
    """« 2027-01-11 » (the content's ISO dates) → « 11/01/2027 »."""
    from datetime import date

    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return value or "—"


@register.filter
def euros(value) -> str:
    """« 20 000,00 € » (French thousands separators, comma, euro sign)."""
    from decimal import Decimal, InvalidOperation

    from quartiers.engine.rules.findings import format_euros

    try:
        return format_euros(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)
