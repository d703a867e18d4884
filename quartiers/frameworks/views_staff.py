"""Staff pages: import an annex, review and correct the draft version, publish it, compare two versions.

Every view reads like a receipt: scoped queryset → form → one service → message and redirect (POST/redirect/GET),
so that every page works without JavaScript.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from quartiers.engine.diff import framework_diff
from quartiers.engine.framework import CANONICAL_THEMES, CONSTRAINT_TAGS
from quartiers.engine.importer import AnnexError
from quartiers.frameworks import forms, services
from quartiers.frameworks.models import (
    Constraint,
    FrameworkVersion,
    ImportNote,
    NeighbourhoodSection,
    Objective,
    Theme,
    VersionStatus,
)
from quartiers.frameworks.perms import can_edit_version, can_manage_frameworks, can_publish_version
from quartiers.frameworks.selectors import version_review, version_to_framework
from quartiers.territories.models import Contract, Neighbourhood


def staff_required(view: Callable) -> Callable:
    """Anonymous visitors go to the login page; signed-in people who do not manage frameworks get a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_manage_frameworks(request.user):
            return render(request, "frameworks/staff/403.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _versions():
    """The versions staff can see, without the stored file (it can weigh megabytes)."""
    return FrameworkVersion.objects.select_related("contract").defer("source_file")


def _posted(request: HttpRequest):
    """The submitted data on POST (even empty, so that an empty form shows its errors), None otherwise."""
    return request.POST if request.method == "POST" else None


def _review_url(version_id: int, anchor: str = "") -> str:
    return reverse("frameworks:staff_version", args=[version_id]) + (f"#{anchor}" if anchor else "")


def _apply(request: HttpRequest, action: Callable[[], object], *, success: str, version_id: int,
           anchor: str = "") -> HttpResponse:
    """Run one correction service, report its outcome as a message and go back to the review page."""
    try:
        action()
    except services.EditError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(_review_url(version_id, anchor))


def _form_page(request: HttpRequest, *, version: FrameworkVersion, form, title: str, submit: str, intro: str = "",
               quote: str = "", danger: bool = False, template_name: str = "frameworks/staff/form_page.html"
               ) -> HttpResponse:
    return render(request, template_name, {
        "version": version, "form": form, "title": title, "submit": submit, "intro": intro, "quote": quote,
        "danger": danger, "back_url": _review_url(version.pk),
    })


# --- Versions, import, review, publication -------------------------------------------------------------------


@staff_required
def versions(request, template_name="frameworks/staff/versions.html"):
    rows = _versions().annotate(
        n_sections=Count("sections", distinct=True),
        n_themes=Count("sections__themes", distinct=True),
        n_objectives=Count("sections__themes__objectives", distinct=True),
        n_notes=Count("import_notes", distinct=True),
        n_open_notes=Count("import_notes", filter=Q(import_notes__resolved=False), distinct=True),
    ).select_related("imported_by").order_by("contract__name", "-number")
    by_contract: dict[int, list[FrameworkVersion]] = {}
    for v in rows:
        by_contract.setdefault(v.contract_id, []).append(v)
    contracts = [(c, by_contract.get(c.pk, [])) for c in Contract.objects.order_by("name")]
    return render(request, template_name, {"contracts": contracts})


@staff_required
def upload(request, template_name="frameworks/staff/upload.html"):
    initial = {}
    if slug := request.GET.get("contrat"):
        initial["contract"] = Contract.objects.filter(slug=slug).first()
    form = forms.AnnexUploadForm(data=_posted(request), files=request.FILES if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        annex = form.cleaned_data["annex"]
        try:
            version = services.framework_import(contract=form.cleaned_data["contract"], data=annex.read(),
                                                filename=annex.name, user=request.user)
        except AnnexError as exc:
            form.add_error("annex", exc.message)
        else:
            messages.success(request, f"L'annexe « {version.source_name} » a été importée : version {version.number} "
                                      "(brouillon). Relisez-la et corrigez-la avant de la publier.")
            return redirect(_review_url(version.pk))
    return render(request, template_name, {"form": form})


@staff_required
def version(request, pk: int, template_name="frameworks/staff/version.html"):
    version = get_object_or_404(_versions(), pk=pk)
    review = version_review(version)
    can_edit = can_edit_version(request.user, version)
    return render(request, template_name, {
        "version": version,
        "sections": review.sections,
        "notes": review.notes,
        "unplaced_notes": review.unplaced_notes,
        "open_notes": review.open_notes,
        "themes": review.themes,
        "neighbourhoods": Neighbourhood.objects.filter(contract=version.contract).order_by("code"),
        "constraint_tags": CONSTRAINT_TAGS.items(),
        "canonical_themes": CANONICAL_THEMES,
        "can_edit": can_edit,
        "can_publish": can_publish_version(request.user, version),
        "other_versions": _versions().filter(contract=version.contract).exclude(pk=version.pk).order_by("-number"),
        "published": _versions().filter(contract=version.contract, status=VersionStatus.PUBLISHED).first(),
    })


@staff_required
def publish(request, pk: int, template_name="frameworks/staff/publish.html"):
    version = get_object_or_404(_versions(), pk=pk)
    if request.method == "POST":
        try:
            services.version_publish(version=version, user=request.user)
        except services.TransitionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"La version {version.number} est publiée. La version publiée précédente, "
                                      "s'il y en avait une, est archivée et reste consultable.")
        return redirect(_review_url(version.pk))
    current = _versions().filter(contract=version.contract, status=VersionStatus.PUBLISHED).first()
    return render(request, template_name, {
        "version": version, "current": current, "can_publish": can_publish_version(request.user, version),
        "open_notes": version.import_notes.filter(resolved=False).count(),
    })


# --- Corrections of a draft ---------------------------------------------------------------------------------


def _objective(pk: int) -> Objective:
    return get_object_or_404(Objective.objects.select_related("theme__section__version"), pk=pk)


def _version_of(objective: Objective) -> FrameworkVersion:
    return objective.theme.section.version


@staff_required
def objective_edit(request, pk: int):
    objective = _objective(pk)
    version = _version_of(objective)
    form = forms.ObjectiveTextForm(data=_posted(request), initial={"text": objective.text})
    if request.method == "POST" and form.is_valid():
        return _apply(request, lambda: services.objective_update(objective=objective, text=form.cleaned_data["text"],
                                                                 user=request.user),
                      success="Le texte de l'objectif est corrigé.", version_id=version.pk,
                      anchor=f"objectif-{objective.pk}")
    return _form_page(request, version=version, form=form, title="Corriger le texte d'un objectif",
                      submit="Enregistrer le texte", quote=objective.text)


@staff_required
@require_POST
def objective_move(request, pk: int):
    objective = _objective(pk)
    version = _version_of(objective)
    form = forms.ObjectiveMoveForm(data=request.POST, version=version)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_review_url(version.pk, f"objectif-{objective.pk}"))
    theme = form.cleaned_data["theme"]
    return _apply(request, lambda: services.objective_move(objective=objective, theme=theme, user=request.user,
                                                           direction=form.cleaned_data["direction"]),
                  success=f"L'objectif est déplacé vers le thème « {theme.title} »." if theme else "L'objectif est déplacé.",
                  version_id=version.pk, anchor=f"objectif-{objective.pk}")


@staff_required
@require_POST
def objective_merge(request, pk: int):
    objective = _objective(pk)
    version = _version_of(objective)
    return _apply(request, lambda: services.objective_merge_next(objective=objective, user=request.user),
                  success="L'objectif est fusionné avec le suivant.", version_id=version.pk,
                  anchor=f"objectif-{objective.pk}")


@staff_required
def objective_split(request, pk: int):
    objective = _objective(pk)
    version = _version_of(objective)
    form = forms.ObjectiveSplitForm(data=_posted(request), text=objective.text)
    if request.method == "POST" and form.is_valid():
        return _apply(request, lambda: services.objective_split(objective=objective, at=form.cleaned_data["at"],
                                                                user=request.user),
                      success="L'objectif est scindé en deux.", version_id=version.pk, anchor=f"objectif-{objective.pk}")
    return _form_page(request, version=version, form=form, title="Scinder un objectif en deux", submit="Scinder",
                      quote=objective.text)


@staff_required
def objective_delete(request, pk: int):
    objective = _objective(pk)
    version = _version_of(objective)
    if request.method == "POST":
        return _apply(request, lambda: services.objective_delete(objective=objective, user=request.user),
                      success="L'objectif est supprimé.", version_id=version.pk, anchor=f"theme-{objective.theme_id}")
    return _form_page(request, version=version, form=None, title="Supprimer un objectif", submit="Supprimer l'objectif",
                      intro="L'objectif suivant et ses conditions seront supprimés de cette version :",
                      quote=objective.text, danger=True)


@staff_required
def objective_constraint(request, pk: int):
    objective = _objective(pk)
    version = _version_of(objective)
    form = forms.ObjectiveConstraintForm(data=_posted(request))
    if request.method == "POST" and form.is_valid():
        return _apply(request, lambda: services.objective_to_constraint(objective=objective, tag=form.cleaned_data["tag"],
                                                                        user=request.user),
                      success="L'objectif est devenu une condition de son thème.", version_id=version.pk,
                      anchor=f"theme-{objective.theme_id}")
    return _form_page(request, version=version, form=form, title="Faire d'un objectif une condition du thème",
                      submit="En faire une condition", quote=objective.text,
                      intro="Ce texte n'est pas un objectif mais une condition que les actions du thème doivent respecter.")


@staff_required
@require_POST
def constraint_objective(request, pk: int):
    constraint = get_object_or_404(Constraint.objects.select_related("theme__section"), pk=pk)
    return _apply(request, lambda: services.constraint_to_objective(constraint=constraint, user=request.user),
                  success="La condition est redevenue un objectif du thème.",
                  version_id=constraint.theme.section.version_id, anchor=f"theme-{constraint.theme_id}")


@staff_required
def theme_edit(request, pk: int):
    theme = get_object_or_404(Theme.objects.select_related("section__version"), pk=pk)
    version = theme.section.version
    form = forms.ThemeForm(data=_posted(request),
                           initial={"title": theme.title, "canonical_theme": theme.canonical_theme})
    if request.method == "POST" and form.is_valid():
        return _apply(request, lambda: services.theme_update(theme=theme, user=request.user, **form.cleaned_data),
                      success="Le thème est corrigé.", version_id=version.pk, anchor=f"theme-{theme.pk}")
    return _form_page(request, version=version, form=form, title="Corriger un thème", submit="Enregistrer le thème",
                      quote=theme.title)


@staff_required
def theme_delete(request, pk: int):
    theme = get_object_or_404(Theme.objects.select_related("section__version"), pk=pk)
    version = theme.section.version
    if request.method == "POST":
        return _apply(request, lambda: services.theme_delete(theme=theme, user=request.user),
                      success=f"Le thème « {theme.title} » est supprimé.", version_id=version.pk,
                      anchor=f"section-{theme.section_id}")
    n = theme.objectives.count()
    return _form_page(request, version=version, form=None, title="Supprimer un thème", submit="Supprimer le thème",
                      intro=f"Le thème suivant, ses {n} objectif(s) et ses conditions seront supprimés de cette version :",
                      quote=theme.title, danger=True)


@staff_required
@require_POST
def section_attach(request, pk: int):
    section = get_object_or_404(NeighbourhoodSection.objects.select_related("version"), pk=pk)
    form = forms.SectionAttachForm(data=request.POST, contract=section.version.contract)
    if not form.is_valid():
        messages.error(request, "Choisissez un quartier prioritaire du contrat dans la liste.")
        return redirect(_review_url(section.version_id, f"section-{section.pk}"))
    neighbourhood = form.cleaned_data["neighbourhood"]
    return _apply(request, lambda: services.section_attach(section=section, neighbourhood=neighbourhood,
                                                           user=request.user),
                  success=(f"Le projet « {section.name} » est rattaché au quartier {neighbourhood}." if neighbourhood
                           else f"Le projet « {section.name} » n'est plus rattaché à un quartier prioritaire."),
                  version_id=section.version_id, anchor=f"section-{section.pk}")


@staff_required
@require_POST
def note_resolve(request, pk: int):
    note = get_object_or_404(ImportNote, pk=pk)
    resolved = request.POST.get("resolved", "1") != "0"
    return _apply(request, lambda: services.import_note_resolve(note=note, resolved=resolved, user=request.user),
                  success=f"L'avertissement de la ligne {note.line} est marqué comme "
                          + ("traité." if resolved else "à traiter."),
                  version_id=note.version_id, anchor=f"avertissement-{note.pk}")


# --- Comparison -----------------------------------------------------------------------------------------------


@staff_required
def compare(request, contract: str, template_name="frameworks/staff/compare.html"):
    contract = get_object_or_404(Contract, slug=contract)
    versions = list(_versions().filter(contract=contract).order_by("-number"))
    initial = {}
    if len(versions) >= 2:
        initial = {"de": versions[1].number, "a": versions[0].number}
    form = forms.CompareForm(data=request.GET if "de" in request.GET else None, initial=initial, contract=contract)
    diff = old = new = None
    counts = {}
    if form.is_bound and form.is_valid():
        old, new = form.cleaned_data["de"], form.cleaned_data["a"]
        diff = framework_diff(version_to_framework(old), version_to_framework(new))
        counts = {status: diff.count(status) for status in ("added", "removed", "modified", "moved")}
    return render(request, template_name, {
        "contract": contract, "form": form, "versions": versions, "diff": diff, "diff_counts": counts, "old": old,
        "new": new,
    })
