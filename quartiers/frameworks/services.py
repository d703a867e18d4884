"""Writes on frameworks: store an imported framework as a draft version, correct the draft, publish it.

Every function here is atomic: an import either stores the whole version or nothing.
"""

import hashlib

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from quartiers.engine.framework import CANONICAL_THEMES, CONSTRAINT_TAGS, Framework, content_key
from quartiers.engine.importer import import_annex_bytes
from quartiers.engine.importer.classify import split_objective
from quartiers.frameworks.models import (
    ALLOWED_TRANSITIONS,
    Constraint,
    FrameworkTransition,
    FrameworkVersion,
    ImportNote,
    NeighbourhoodSection,
    Objective,
    Theme,
    VersionStatus,
)
from quartiers.frameworks.tasks import warm_matcher_task
from quartiers.territories.models import Contract, Neighbourhood
from quartiers.territories.selectors import neighbourhood_find


class TransitionError(Exception):
    """A change of status the table of allowed moves does not allow (message in French)."""


def _lines(span) -> dict:
    return {"first_line": span.first, "last_line": span.last} if span else {}


@transaction.atomic
def framework_store(
    *,
    contract: Contract,
    framework: Framework,
    source_name: str,
    source_bytes: bytes,
    source_text: str = "",
    user=None,
) -> FrameworkVersion:
    """Store an imported framework as a new draft version of the contract's framework.

    Each section is attached to the official neighbourhood (QPV) it names, when one of the contract's
    neighbourhoods matches its code, name or commune.
    """
    # Lock the contract row so that two imports at once get distinct version numbers.
    Contract.objects.select_for_update().filter(pk=contract.pk).first()
    number = (FrameworkVersion.objects.filter(contract=contract).aggregate(n=Max("number"))["n"] or 0) + 1
    version = FrameworkVersion.objects.create(
        contract=contract,
        number=number,
        title=framework.title[:300],
        source_name=source_name[:255],
        source_file=source_bytes,
        source_text=source_text,
        checksum=hashlib.sha256(source_bytes).hexdigest(),
        imported_by=user,
    )
    FrameworkTransition.objects.create(version=version, from_status="", to_status=VersionStatus.DRAFT, by=user,
                                       why=f"Import de « {source_name[:200]} »")
    candidates = list(Neighbourhood.objects.filter(contract=contract).prefetch_related("communes"))
    for s_pos, n in enumerate(framework.neighbourhoods):
        official = neighbourhood_find(candidates, code=n.code, texts=[n.heading, n.name, n.commune])
        section = NeighbourhoodSection.objects.create(
            version=version, neighbourhood=official, name=n.name[:300], heading=n.heading, commune=n.commune[:300],
            position=s_pos, **_lines(n.lines),
        )
        for t_pos, t in enumerate(n.themes):
            theme = Theme.objects.create(section=section, title=t.title[:500], canonical_theme=t.canonical_theme,
                                         position=t_pos, **_lines(t.lines))
            c_pos = 0
            for c in t.constraints:
                Constraint.objects.create(theme=theme, tag=c.tag, text=c.text, position=c_pos, **_lines(c.lines))
                c_pos += 1
            for o_pos, o in enumerate(t.objectives):
                objective = Objective.objects.create(
                    theme=theme, text=o.text, label=o.label, action_types=list(o.action_types), key=o.key,
                    position=o_pos, **_lines(o.lines),
                )
                for c in o.constraints:
                    Constraint.objects.create(theme=theme, objective=objective, tag=c.tag, text=c.text,
                                              position=c_pos, **_lines(c.lines))
                    c_pos += 1
    ImportNote.objects.bulk_create(
        ImportNote(version=version, line=w.line, kind=w.kind, message=w.message, text=w.text)
        for w in framework.warnings
    )
    return version


def _transition(version: FrameworkVersion, to_status: str, *, user, why: str = "") -> None:
    if to_status not in ALLOWED_TRANSITIONS[version.status]:
        raise TransitionError(
            f"Impossible de passer la version {version.number} de « {version.get_status_display()} » "
            f"à « {VersionStatus(to_status).label} »."
        )
    FrameworkTransition.objects.create(version=version, from_status=version.status, to_status=to_status, by=user,
                                       why=why)
    version.status = to_status


@transaction.atomic
def version_publish(*, version: FrameworkVersion, user=None) -> FrameworkVersion:
    """Publish a draft; the contract's previously published version is archived (and stays readable)."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if not NeighbourhoodSection.objects.filter(version=version, themes__objectives__isnull=False).exists():
        raise TransitionError("Une version sans aucun objectif ne peut pas être publiée.")
    for previous in FrameworkVersion.objects.select_for_update().filter(
        contract=version.contract, status=VersionStatus.PUBLISHED
    ).exclude(pk=version.pk):
        _transition(previous, VersionStatus.ARCHIVED, user=user, why=f"Remplacée par la version {version.number}")
        previous.save(update_fields=["status"])
    _transition(version, VersionStatus.PUBLISHED, user=user)
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    # Build its matcher in the worker once the publication commits, not in the request that published it.
    version_id = version.pk
    transaction.on_commit(lambda: warm_matcher_task.enqueue(version_id=version_id), robust=True)
    return version


# --- Corrections of a draft version --------------------------------------------------------------------------
#
# A reviewer corrects what the importer read before publishing. Every correction below is atomic, locks the
# version row (so that it cannot be published half-way through an edit) and is refused on a version that is no
# longer a draft: a published or archived version is read-only, a new import makes a new version.


class EditError(Exception):
    """A correction that cannot be made (message in French, shown to the user)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked_draft(version_id: int) -> FrameworkVersion:
    version = FrameworkVersion.objects.select_for_update().get(pk=version_id)
    if version.status != VersionStatus.DRAFT:
        raise EditError(
            f"La version {version.number} est {version.get_status_display().lower()} : elle ne peut plus être "
            "modifiée. Importez l'annexe à nouveau pour créer une nouvelle version."
        )
    return version


def _objective_version_id(objective: Objective) -> int:
    return Theme.objects.filter(pk=objective.theme_id).values_list("section__version_id", flat=True).get()


def objective_parts(text: str) -> tuple[str, list[str]]:
    """The short label (before the first colon) and the action types (after it), derived as the importer does.

    « Valoriser les parcours : actions de tutorat ; ateliers. » → (« Valoriser les parcours »,
    [« actions de tutorat », « ateliers »]). Without a colon the label is the whole text.
    """
    label, actions = split_objective(" ".join(text.split()))
    return label or text, list(actions)


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise EditError("Le texte ne peut pas être vide.")
    return text


def _set_text(objective: Objective, text: str) -> None:
    objective.text = text
    objective.label, objective.action_types = objective_parts(text)
    objective.key = content_key(text)


def _renumber(queryset) -> None:
    for position, row in enumerate(queryset.order_by("position", "pk")):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


def _objective_constraints_follow(objective: Objective) -> None:
    Constraint.objects.filter(objective=objective).update(theme_id=objective.theme_id)


@transaction.atomic
def objective_update(*, objective: Objective, text: str, user=None) -> Objective:
    """Correct an objective's text; its short label, action types and content key are derived again."""
    _locked_draft(_objective_version_id(objective))
    objective = Objective.objects.get(pk=objective.pk)
    _set_text(objective, _clean_text(text))
    objective.full_clean()
    objective.save(update_fields=["text", "label", "action_types", "key"])
    return objective


@transaction.atomic
def objective_move(*, objective: Objective, direction: str = "", theme: Theme | None = None, user=None) -> Objective:
    """Move an objective one place up or down in its theme, or to the end of another theme of the same version."""
    version = _locked_draft(_objective_version_id(objective))
    objective = Objective.objects.get(pk=objective.pk)
    if theme is not None and theme.pk != objective.theme_id:
        if not Theme.objects.filter(pk=theme.pk, section__version=version).exists():
            raise EditError("L'objectif ne peut être déplacé que vers un thème de la même version.")
        old_theme_id = objective.theme_id
        last = Objective.objects.filter(theme=theme).aggregate(n=Max("position"))["n"]
        objective.theme_id = theme.pk
        objective.position = 0 if last is None else last + 1
        objective.save(update_fields=["theme", "position"])
        _objective_constraints_follow(objective)
        _renumber(Objective.objects.filter(theme_id=old_theme_id))
        return objective
    if direction not in ("up", "down"):
        raise EditError("Indiquez s'il faut monter ou descendre l'objectif, ou choisissez un autre thème.")
    siblings = list(Objective.objects.filter(theme_id=objective.theme_id).order_by("position", "pk"))
    index = next(i for i, o in enumerate(siblings) if o.pk == objective.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        raise EditError("L'objectif est déjà " + ("le premier" if direction == "up" else "le dernier") + " de son thème.")
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, row in enumerate(siblings):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    return next(o for o in siblings if o.pk == objective.pk)


@transaction.atomic
def objective_merge_next(*, objective: Objective, user=None) -> Objective:
    """Merge an objective with the next one of its theme (an objective the importer cut in two)."""
    _locked_draft(_objective_version_id(objective))
    objective = Objective.objects.get(pk=objective.pk)
    following = (
        Objective.objects.filter(theme_id=objective.theme_id)
        .filter(Q(position__gt=objective.position) | Q(position=objective.position, pk__gt=objective.pk))
        .order_by("position", "pk")
        .first()
    )
    if following is None:
        raise EditError("Cet objectif est le dernier de son thème : il n'y a pas d'objectif suivant à fusionner.")
    _set_text(objective, _clean_text(f"{objective.text} {following.text}"))
    firsts = [x for x in (objective.first_line, following.first_line) if x]
    lasts = [x for x in (objective.last_line, following.last_line, *firsts) if x]
    objective.first_line = min(firsts) if firsts else None
    objective.last_line = max(lasts) if lasts else None
    objective.save(update_fields=["text", "label", "action_types", "key", "first_line", "last_line"])
    Constraint.objects.filter(objective=following).update(objective=objective)
    following.delete()
    _renumber(Objective.objects.filter(theme_id=objective.theme_id))
    return objective


@transaction.atomic
def objective_split(*, objective: Objective, at: int, user=None) -> tuple[Objective, Objective]:
    """Split an objective in two at a character offset of its text; the second part follows the first."""
    _locked_draft(_objective_version_id(objective))
    objective = Objective.objects.get(pk=objective.pk)
    first, second = objective.text[:at].strip(), objective.text[at:].strip()
    if at <= 0 or not first or not second:
        raise EditError("Le point de coupure doit laisser du texte de part et d'autre.")
    Objective.objects.filter(theme_id=objective.theme_id, position__gt=objective.position).update(
        position=F("position") + 1
    )
    _set_text(objective, _clean_text(first))
    objective.save(update_fields=["text", "label", "action_types", "key"])
    new = Objective(theme_id=objective.theme_id, position=objective.position + 1,
                    first_line=objective.first_line, last_line=objective.last_line)
    _set_text(new, _clean_text(second))
    new.full_clean()
    new.save()
    _renumber(Objective.objects.filter(theme_id=objective.theme_id))
    return objective, Objective.objects.get(pk=new.pk)


@transaction.atomic
def objective_delete(*, objective: Objective, user=None) -> None:
    """Delete an objective (and the conditions attached to it)."""
    _locked_draft(_objective_version_id(objective))
    theme_id = objective.theme_id
    Objective.objects.filter(pk=objective.pk).delete()
    _renumber(Objective.objects.filter(theme_id=theme_id))


@transaction.atomic
def objective_to_constraint(*, objective: Objective, tag: str, user=None) -> Constraint:
    """Turn an objective into a condition of its theme (« les actions doivent être menées hors temps scolaire »).

    The conditions that were attached to the objective become conditions of the theme.
    """
    if tag not in CONSTRAINT_TAGS:
        raise EditError("Choisissez un type de condition dans la liste.")
    _locked_draft(_objective_version_id(objective))
    objective = Objective.objects.get(pk=objective.pk)
    last = Constraint.objects.filter(theme_id=objective.theme_id).aggregate(n=Max("position"))["n"]
    constraint = Constraint.objects.create(
        theme_id=objective.theme_id, tag=tag, text=objective.text, position=0 if last is None else last + 1,
        first_line=objective.first_line, last_line=objective.last_line,
    )
    Constraint.objects.filter(objective=objective).update(objective=None)
    theme_id = objective.theme_id
    objective.delete()
    _renumber(Objective.objects.filter(theme_id=theme_id))
    return constraint


@transaction.atomic
def constraint_to_objective(*, constraint: Constraint, user=None) -> Objective:
    """Turn a condition back into an objective, at the end of its theme."""
    version_id = Theme.objects.filter(pk=constraint.theme_id).values_list("section__version_id", flat=True).get()
    _locked_draft(version_id)
    constraint = Constraint.objects.get(pk=constraint.pk)
    last = Objective.objects.filter(theme_id=constraint.theme_id).aggregate(n=Max("position"))["n"]
    objective = Objective(theme_id=constraint.theme_id, position=0 if last is None else last + 1,
                          first_line=constraint.first_line, last_line=constraint.last_line)
    _set_text(objective, _clean_text(constraint.text))
    objective.full_clean()
    objective.save()
    constraint.delete()
    return objective


@transaction.atomic
def theme_update(*, theme: Theme, title: str, canonical_theme: str, user=None) -> Theme:
    """Correct a theme's title and the canonical theme it belongs to."""
    version_id = NeighbourhoodSection.objects.filter(pk=theme.section_id).values_list("version_id", flat=True).get()
    _locked_draft(version_id)
    if canonical_theme not in CANONICAL_THEMES:
        raise EditError("Choisissez un thème de référence dans la liste.")
    theme = Theme.objects.get(pk=theme.pk)
    theme.title = _clean_text(title)[:500]
    theme.canonical_theme = canonical_theme
    theme.full_clean()
    theme.save(update_fields=["title", "canonical_theme"])
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme, user=None) -> None:
    """Delete a theme with its objectives and conditions."""
    version_id = NeighbourhoodSection.objects.filter(pk=theme.section_id).values_list("version_id", flat=True).get()
    _locked_draft(version_id)
    section_id = theme.section_id
    Theme.objects.filter(pk=theme.pk).delete()
    _renumber(Theme.objects.filter(section_id=section_id))


@transaction.atomic
def section_attach(*, section: NeighbourhoodSection, neighbourhood: Neighbourhood | None, user=None
                   ) -> NeighbourhoodSection:
    """Attach a section of the annex to one of the contract's official neighbourhoods (QPV), or detach it."""
    version = _locked_draft(section.version_id)
    if neighbourhood is not None and neighbourhood.contract_id != version.contract_id:
        raise EditError("Ce quartier prioritaire n'appartient pas au contrat de ville de cette version.")
    section = NeighbourhoodSection.objects.get(pk=section.pk)
    section.neighbourhood = neighbourhood
    section.save(update_fields=["neighbourhood"])
    return section


@transaction.atomic
def import_note_resolve(*, note: ImportNote, resolved: bool = True, user=None) -> ImportNote:
    """Mark an import warning as handled (or as to handle again)."""
    _locked_draft(note.version_id)
    note = ImportNote.objects.get(pk=note.pk)
    note.resolved = resolved
    note.save(update_fields=["resolved"])
    return note


def framework_import(*, contract: Contract, data: bytes, filename: str, user=None) -> FrameworkVersion:
    """Read an annex document and store what it says as a new draft version; nothing is stored if it cannot be read.

    Raises ``AnnexError`` (with a French ``message``) when the document cannot be read.
    """
    result = import_annex_bytes(data, filename)
    return framework_store(contract=contract, framework=result.framework, source_name=filename, source_bytes=data,
                           source_text="\n".join(result.lines), user=user)
