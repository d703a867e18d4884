"""What every page needs to know about the site, without a database query."""

from types import SimpleNamespace

from django.conf import settings

_SITE = SimpleNamespace(
    site_title="Quartiers",
    site_tagline="Les priorités des quartiers prioritaires, les appels à projets et leurs suites",
    header_brand_html="République<br>française",
    footer_brand_html="République<br>française",
    footer_description=(
        "Quartiers est un logiciel libre pour les contrats de ville « Engagements Quartiers 2030 » : "
        "priorités de chaque quartier, appels à projets, instruction, programmation et bilans."
    ),
    beta_tag=True,
    mourning=False,
    notice_title="",
    notice_description="",
)


def site(request):
    return {"SITE_CONFIG": _SITE, "DEBUG": settings.DEBUG}
