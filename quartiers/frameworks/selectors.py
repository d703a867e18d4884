"""Reads on frameworks, for pages, exports and the engine."""

from django.db.models import Prefetch

from quartiers.engine.framework import AnnexWarning, Framework, Neighbourhood, Objective, SourceSpan, Theme
from quartiers.engine.framework import Constraint as EConstraint
from quartiers.territories.models import Contract

from .models import Constraint, FrameworkVersion, NeighbourhoodSection
from .models import Objective as ObjectiveModel
from .models import Theme as ThemeModel


def _span(row) -> SourceSpan | None:
    if not row.first_line:
        return None
    return SourceSpan(row.first_line, max(row.last_line or row.first_line, row.first_line))


def version_sections(version: FrameworkVersion):
    """Sections of a version with themes, objectives and constraints prefetched (4 queries, whatever the size)."""
    return (
        NeighbourhoodSection.objects.filter(version=version)
        .select_related("neighbourhood")
        .prefetch_related(
            "neighbourhood__communes",
            Prefetch("themes", queryset=ThemeModel.objects.order_by("position", "pk")),
            Prefetch("themes__objectives", queryset=ObjectiveModel.objects.order_by("position", "pk")),
            Prefetch("themes__constraints", queryset=Constraint.objects.order_by("position", "pk")),
        )
        .order_by("position", "pk")
    )


def published_version(contract: Contract | None = None) -> FrameworkVersion | None:
    qs = FrameworkVersion.objects.published().select_related("contract")
    if contract is not None:
        qs = qs.filter(contract=contract)
    return qs.order_by("-published_at", "-pk").first()


def version_to_framework(version: FrameworkVersion) -> Framework:
    """The engine's view of a stored version (frozen dataclasses, no Django)."""
    neighbourhoods = []
    for s in version_sections(version):
        themes = []
        for t in s.themes.all():
            constraints = list(t.constraints.all())
            themes.append(
                Theme(
                    title=t.title,
                    canonical_theme=t.canonical_theme,
                    lines=_span(t),
                    constraints=tuple(
                        EConstraint(tag=c.tag, text=c.text, lines=_span(c)) for c in constraints if c.objective_id is None
                    ),
                    objectives=tuple(
                        Objective(
                            text=o.text,
                            label=o.label,
                            action_types=tuple(o.action_types),
                            lines=_span(o),
                            constraints=tuple(
                                EConstraint(tag=c.tag, text=c.text, lines=_span(c))
                                for c in constraints
                                if c.objective_id == o.pk
                            ),
                        )
                        for o in t.objectives.all()
                    ),
                )
            )
        official = s.neighbourhood
        neighbourhoods.append(
            Neighbourhood(
                name=official.display_name if official else s.name,
                heading=s.heading,
                commune=", ".join(c.name for c in official.communes.all()) if official else s.commune,
                code=official.code if official else "",
                themes=tuple(themes),
                lines=_span(s),
            )
        )
    warnings = tuple(
        AnnexWarning(line=w.line, kind=w.kind, message=w.message, text=w.text) for w in version.import_notes.all()
    )
    return Framework(neighbourhoods=tuple(neighbourhoods), warnings=warnings, title=version.title,
                     source_name=version.source_name)
