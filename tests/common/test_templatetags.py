"""The shared template-tag library ``{% load quartiers %}``: filters, the convention note, the breadcrumb."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template

NB, NNB = "\u00a0", "\u202f"


def render(source: str, **context) -> str:
    return Template("{% load quartiers %}" + source).render(Context(context))


def test_euros_filter_in_both_forms():
    assert render("{{ x|euros }}", x=Decimal("120000")) == f"120{NNB}000,00{NB}€"
    assert render("{{ x|euros:False }}", x=Decimal("120000")) == f"120{NNB}000{NB}€"
    assert render("{{ x|euros:False }}", x=Decimal("80000.5")) == f"80{NNB}000,50{NB}€"
    assert render("{{ x|euros }}", x=None) == ""


def test_date_filters():
    assert render("{{ d|french_date }}", d=date(2026, 10, 1)) == "1er octobre 2026"
    assert render("{{ d|short_date }}", d="2027-01-11") == "11/01/2027"


def test_other_filters():
    assert render("{{ m|get_item:'a' }}", m={"a": "A"}) == "A"
    assert render("{{ m|get_item:'a' }}", m=None) == "None"
    assert render("{{ 'rib'|doc_label }}")[:1].isupper()
    assert render("{{ s|percent }}", s=Decimal("0.5")) == f"50{NB}%"


def test_convention_note_tag_and_its_capitalised_form():
    assert render("{% convention_note %}") == "convention obligatoire (plus de 23 000 €)"
    assert render("{% convention_note as note %}{{ note|capfirst }}") == "Convention obligatoire (plus de 23 000 €)"


def test_breadcrumb_links_every_crumb_but_the_current_page():
    html = render('{% breadcrumb "Accueil" "/" "Appels à projets" "/appels/" title %}', title="Appel <2027>")
    assert '<a class="fr-breadcrumb__link" href="/">Accueil</a>' in html
    assert '<a class="fr-breadcrumb__link" href="/appels/">Appels à projets</a>' in html
    assert '<a class="fr-breadcrumb__link" aria-current="page">Appel &lt;2027&gt;</a>' in html
    assert html.count("aria-current") == 1 and 'aria-controls="fil-ariane"' in html


def test_breadcrumb_current_page_keeps_its_link_and_a_crumb_without_url_is_text():
    html = render('{% breadcrumb "Appel" "" "Gestion" "/gestion/" %}')
    assert '<span class="fr-breadcrumb__link">Appel</span>' in html
    assert '<a class="fr-breadcrumb__link" href="/gestion/" aria-current="page">Gestion</a>' in html


@pytest.mark.parametrize("pages", [1, 12])
def test_pagination_component(pages):
    from django.core.paginator import Paginator

    page = Paginator(list(range(pages * 10)), 10).get_page(5 if pages > 1 else 1)
    html = Template('{% include "components/pagination.html" with label="Pagination" %}').render(
        Context({"page": page, "page_query": "tri=montant&page="}))
    if pages == 1:
        assert html.strip() == ""
        return
    assert 'aria-label="Pagination"' in html and '<a class="fr-pagination__link" aria-current="page" title="Page 5">5</a>' in html
    assert 'href="?tri=montant&amp;page=4"' in html and 'href="?tri=montant&amp;page=12"' in html
    assert 'title="Page 9"' not in html and "…" in html
