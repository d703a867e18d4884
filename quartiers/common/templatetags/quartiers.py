"""The one template-tag library every app loads: ``{% load quartiers %}``.

Filters: ``euros`` (« 12 500,00 € »; ``|euros:False`` drops zero cents, « 120 000 € »), ``french_date``
(« 1er octobre 2026 »), ``french_datetime`` (« 15 janvier 2027 à 12 h 00 »), ``short_date`` (« 11/01/2027 », also
from an ISO text), ``percent``, ``decimal_fr``, ``get_item``, ``doc_label``, ``dsfr_widget``, ``field_kind``, ``hint_id``,
``error_id`` (a form field's input with the DSFR class and its ``aria-describedby``, for ``components/field.html``).
Tags: ``{% convention_note %}``.
"""

from django import template

from quartiers.common import formats
from quartiers.engine.rules.model import DOCUMENT_TYPES

register = template.Library()

register.filter("french_date", formats.french_date)
register.filter("french_datetime", formats.french_datetime)
register.filter("short_date", formats.short_date)
register.filter("percent", formats.percent)
register.filter("decimal_fr", formats.decimal_fr)


@register.filter
def euros(value, cents=True) -> str:
    """``{{ amount|euros }}`` → « 12 500,00 € »; ``{{ amount|euros:False }}`` → « 120 000 € »."""
    return formats.euros(value, cents=bool(cents))


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def doc_label(doc_type: str) -> str:
    """A document type's French label, capitalised: « rib » → « Relevé d'identité bancaire »."""
    label = DOCUMENT_TYPES.get(doc_type, doc_type)
    return label[:1].upper() + label[1:]


@register.simple_tag
def convention_note() -> str:
    """« convention obligatoire (plus de 23 000 €) », the one sentence of the law's threshold."""
    return formats.CONVENTION_NOTE


WIDGET_CLASSES = {"input": "fr-input", "select": "fr-select", "upload": "fr-upload"}
FIELD_KINDS = {"select": "select", "selectmultiple": "select", "clearablefile": "upload", "file": "upload"}


def field_kind(field) -> str:
    """The DSFR group of a bound field: « select », « upload », « checkbox », « checkboxes », « radio » or « input »."""
    widget_type = field.widget_type
    if widget_type == "checkboxselectmultiple":
        return "checkboxes"
    if widget_type == "radioselect":
        return "radio"
    if widget_type == "checkbox":
        return "checkbox"
    return FIELD_KINDS.get(widget_type, "input")


register.filter("field_kind", field_kind)


@register.filter
def hint_id(field) -> str:
    """The id of a field's hint, Django's own (``BoundField`` names it in ``aria-describedby``)."""
    return f"{field.auto_id}_helptext"


@register.filter
def error_id(field) -> str:
    """The id of a field's error message: « id_slug-erreur »."""
    return f"{field.auto_id}-erreur"


@register.filter
def dsfr_widget(field):
    """The field's widget with the DSFR class (« fr-input », « fr-select », « fr-upload ») unless the form set one,
    and ``aria-describedby`` naming its hint and its error, when it has them."""
    attrs = {}
    css = WIDGET_CLASSES.get(field_kind(field))
    if css and "class" not in field.field.widget.attrs:
        attrs["class"] = css
    described = [hint_id(field)] if field.help_text else []
    if field.errors:
        described.append(error_id(field))
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("components/breadcrumb.html")
def breadcrumb(*labels_and_urls):
    """``{% breadcrumb "Accueil" "/" "Appels à projets" list_url call.title %}``: labels and their URLs, the last
    label the current page. The current page keeps a link when a URL follows its label (an even count); a crumb
    whose URL is empty is plain text."""
    pairs = [(labels_and_urls[i], labels_and_urls[i + 1] if i + 1 < len(labels_and_urls) else "")
             for i in range(0, len(labels_and_urls), 2)]
    return {"breadcrumb": pairs}
