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
