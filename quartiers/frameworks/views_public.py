"""Public pages: home, contract, versions, neighbourhoods, objectives, search and downloads.

Everything is read from the published version of each contract's framework; archived versions stay readable at
their own URL. Nothing here writes.
"""

import json

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from quartiers.engine.framework import CANONICAL_THEMES
from quartiers.frameworks import exports
from quartiers.frameworks.models import VersionStatus
from quartiers.frameworks.search import MAX_QUERY_CHARS, objectives_search
from quartiers.frameworks.selectors import (
    neighbourhood_section,
    objective_permalink_target,
    public_version,
    public_versions,
    published_version,
    sections_with_counts,
    version_sections,
)
from quartiers.territories.models import Contract, Neighbourhood


class SearchForm(forms.Form):
    q = forms.CharField(label="Mots recherchés", required=False,
                        help_text="Par exemple : jeunes, emploi, santé mentale, isolement.")
    quartier = forms.ChoiceField(label="Quartier", required=False)
    theme = forms.ChoiceField(label="Thème", required=False,
                              choices=[("", "Tous les thèmes")] + list(CANONICAL_THEMES.items()))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = (Neighbourhood.objects.filter(sections__version__status=VersionStatus.PUBLISHED)
                     .select_related("contract").defer("perimeter").distinct().order_by("contract__name", "code"))
        groups: dict[str, list[tuple[str, str]]] = {}
        for n in published:
            groups.setdefault(n.contract.name if n.contract else "Autres quartiers", []).append(
                (n.code, f"{n.display_name} ({n.code})"))
        # Several contracts publish: one group of neighbourhoods per contract (the template's <optgroup>s).
        self.quartier_groups = [(name if len(groups) > 1 else "", options) for name, options in groups.items()]
        choices: list = [("", "Tous les quartiers")]
        if len(groups) > 1:
            choices += [(name, options) for name, options in groups.items()]
        else:
            choices += [option for options in groups.values() for option in options]
        self.fields["quartier"].choices = choices

    def clean_q(self):
        # A pasted paragraph is cut rather than refused: its first words are searched.
        return self.cleaned_data["q"][:MAX_QUERY_CHARS]


def _crumbs(*items):
    """Breadcrumb entries (label, url); the last one is the current page (url None)."""
    return [("Accueil", reverse("core:home")), *items]


def _arrange(sections):
    """Split each theme's constraints into the theme's own and each objective's own (no query)."""
    for section in sections:
        for theme in section.themes.all():
            constraints = list(theme.constraints.all())
            theme.general_constraints = [c for c in constraints if c.objective_id is None]
            for objective in theme.objectives.all():
                objective.own_constraints = [c for c in constraints if c.objective_id == objective.pk]
    return sections


def contract_detail(request, slug, template_name="frameworks/public/contract.html"):
    contract = get_object_or_404(Contract, slug=slug)
    versions = list(public_versions(contract))
    published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    sections = list(sections_with_counts([published])) if published else []
    return render(request, template_name, {
        "contract": contract,
        "versions": versions,
        "published": published,
        "sections": sections,
        "breadcrumb": _crumbs((contract.name, None)),
    })


def version_detail(request, slug, number, template_name="frameworks/public/version.html"):
    contract = get_object_or_404(Contract, slug=slug)
    version = public_version(contract, number)
    if version is None:
        raise Http404("Version inconnue")
    return render(request, template_name, {
        "contract": contract,
        "version": version,
        "published": published_version(contract),
        "sections": _arrange(list(version_sections(version))),
        "breadcrumb": _crumbs((contract.name, reverse("frameworks:contract", args=[contract.slug])),
                              (f"Version {version.number}", None)),
    })


def neighbourhood_detail(request, code, number=None, template_name="frameworks/public/neighbourhood.html"):
    neighbourhood = get_object_or_404(
        Neighbourhood.objects.select_related("contract", "reference_contract").defer("perimeter")
        .prefetch_related("communes"), code=code.upper()
    )
    found = neighbourhood_section(neighbourhood, number=number)
    if found is None and number is not None:
        raise Http404("Version inconnue pour ce quartier")
    version = found.version if found else None
    section = None
    if found:
        section = _arrange(list(version_sections(version).filter(pk=found.pk)))[0]
    contract = version.contract if version else neighbourhood.contract
    versions = list(public_versions(contract)) if contract else []
    crumbs = [(contract.name, reverse("frameworks:contract", args=[contract.slug]))] if contract else []
    if number is not None:
        crumbs.append((neighbourhood.display_name, reverse("frameworks:neighbourhood", args=[neighbourhood.code])))
        crumbs.append((f"Version {version.number}", None))
    else:
        crumbs.append((neighbourhood.display_name, None))
    return render(request, template_name, {
        "neighbourhood": neighbourhood,
        "contract": contract,
        "reference_contract": None if contract else neighbourhood.reference_contract,
        "version": version,
        "versions": versions,
        "section": section,
        "archived": version is not None and version.status == VersionStatus.ARCHIVED,
        "breadcrumb": _crumbs(*crumbs),
    })


def objective_detail(request, code, key, template_name="frameworks/public/objective.html"):
    neighbourhood = get_object_or_404(
        Neighbourhood.objects.select_related("contract").prefetch_related("communes"), code=code.upper()
    )
    objective = objective_permalink_target(neighbourhood, key)
    if objective is None:
        raise Http404("Objectif inconnu")
    theme = objective.theme
    version = theme.section.version
    constraints = list(theme.constraints.all())
    permalink = request.build_absolute_uri(reverse("frameworks:objective", args=[neighbourhood.code, objective.key]))
    return render(request, template_name, {
        "neighbourhood": neighbourhood,
        "objective": objective,
        "theme": theme,
        "version": version,
        "contract": version.contract,
        "general_constraints": [c for c in constraints if c.objective_id is None],
        "own_constraints": [c for c in constraints if c.objective_id == objective.pk],
        "archived": version.status == VersionStatus.ARCHIVED,
        "permalink": permalink,
        "breadcrumb": _crumbs(
            (version.contract.name, reverse("frameworks:contract", args=[version.contract.slug])),
            (neighbourhood.display_name, reverse("frameworks:neighbourhood", args=[neighbourhood.code])),
            ("Objectif", None),
        ),
    })


def search(request, template_name="frameworks/public/search.html"):
    form = SearchForm(data=request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        results = objectives_search(query=data["q"], neighbourhood=data["quartier"], theme=data["theme"])
    return render(request, template_name, {
        "form": form,
        "results": results,
        "breadcrumb": _crumbs(("Recherche", None)),
    })


def download(request, slug, fmt, number=None):
    contract = get_object_or_404(Contract, slug=slug)
    version = published_version(contract) if number is None else public_version(contract, number)
    if version is None:
        raise Http404("Aucune version publiée")
    sections = list(version_sections(version))
    name = exports.export_basename(version)
    if fmt == "json":
        body = json.dumps(exports.framework_json(version, sections), ensure_ascii=False, indent=2)
        response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
        filename = f"{name}.json"
    else:
        spreadsheet = fmt == "tableur"
        body = exports.rows_to_csv(exports.framework_rows(version, sections), spreadsheet=spreadsheet)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        filename = f"{name}-tableur.csv" if spreadsheet else f"{name}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
