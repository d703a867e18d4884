"""Writes on frameworks: store an imported framework as a draft version, publish it.

Every function here is atomic: an import either stores the whole version or nothing.
"""

import hashlib

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from quartiers.engine.framework import Framework
from quartiers.territories.models import Contract, Neighbourhood
from quartiers.territories.selectors import neighbourhood_find

from .models import (
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
    return version
