"""Reads on frameworks, for pages, exports and the engine."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch

from quartiers.engine.framework import AnnexWarning, Framework, Neighbourhood, Objective, SourceSpan, Theme
from quartiers.engine.framework import Constraint as EConstraint
from quartiers.frameworks.models import Constraint, FrameworkVersion, NeighbourhoodSection, VersionStatus
from quartiers.frameworks.models import Objective as ObjectiveModel
from quartiers.frameworks.models import Theme as ThemeModel
from quartiers.territories.models import Contract


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


def section_to_neighbourhood(s: NeighbourhoodSection) -> Neighbourhood:
    """The engine's view of one section fetched by ``version_sections`` (no query)."""
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
    return Neighbourhood(
        name=official.display_name if official else s.name,
        heading=s.heading,
        commune=", ".join(c.name for c in official.communes.all()) if official else s.commune,
        code=official.code if official else "",
        themes=tuple(themes),
        lines=_span(s),
    )


def version_to_framework(version: FrameworkVersion) -> Framework:
    """The engine's view of a stored version (frozen dataclasses, no Django)."""
    neighbourhoods = [section_to_neighbourhood(s) for s in version_sections(version)]
    warnings = tuple(
        AnnexWarning(line=w.line, kind=w.kind, message=w.message, text=w.text) for w in version.import_notes.all()
    )
    return Framework(neighbourhoods=tuple(neighbourhoods), warnings=warnings, title=version.title,
                     source_name=version.source_name)


# --- Public pages ------------------------------------------------------------------------------------------

PUBLISHED_OR_ARCHIVED = (VersionStatus.PUBLISHED, VersionStatus.ARCHIVED)


def public_versions(contract: Contract):
    """The versions anyone may read: the published one and the archived ones (never drafts), newest first."""
    return FrameworkVersion.objects.filter(contract=contract, status__in=PUBLISHED_OR_ARCHIVED).order_by("-number")


def public_version(contract: Contract, number: int) -> FrameworkVersion | None:
    return public_versions(contract).select_related("contract").filter(number=number).first()


def sections_with_counts(versions):
    """Sections of these versions, each with n_themes and n_objectives, and its neighbourhood and communes."""
    return (
        NeighbourhoodSection.objects.filter(version__in=list(versions))
        .select_related("neighbourhood")
        .defer("neighbourhood__perimeter")
        .prefetch_related("neighbourhood__communes")
        .annotate(n_themes=Count("themes", distinct=True), n_objectives=Count("themes__objectives", distinct=True))
        .order_by("version_id", "position", "pk")
    )


def neighbourhood_section(neighbourhood, *, number: int | None = None) -> NeighbourhoodSection | None:
    """The section of a neighbourhood in the published version, or in the public version with that number."""
    qs = NeighbourhoodSection.objects.filter(neighbourhood=neighbourhood).select_related("version__contract")
    if number is None:
        qs = qs.filter(version__status=VersionStatus.PUBLISHED)
    else:
        qs = qs.filter(version__status__in=PUBLISHED_OR_ARCHIVED, version__number=number)
        if neighbourhood.contract_id:
            qs = qs.filter(version__contract_id=neighbourhood.contract_id)
    return qs.order_by("-version__published_at", "-version_id", "position", "pk").first()


def objective_permalink_target(neighbourhood, key: str) -> ObjectiveModel | None:
    """The objective with this content key in the neighbourhood: in the published version, or else in the newest
    archived version that had it (so a permalink keeps working after the text left the framework)."""
    candidates = (
        ObjectiveModel.objects.filter(key=key, theme__section__neighbourhood=neighbourhood,
                                      theme__section__version__status__in=PUBLISHED_OR_ARCHIVED)
        .select_related("theme__section__version__contract", "theme__section__neighbourhood")
        .prefetch_related("theme__constraints", "theme__section__neighbourhood__communes")
    )
    ordered = sorted(
        candidates,
        key=lambda o: (o.theme.section.version.status != VersionStatus.PUBLISHED, -o.theme.section.version.number,
                       o.theme.position, o.position, o.pk),
    )
    return ordered[0] if ordered else None


# --- the review of an imported version (staff page) -----------------------------------------------------------

EXCERPT_CONTEXT = 2  # lines shown around a warning's line


def source_excerpt(lines: list[str], first: int, last: int | None = None, *, context: int = 0, marked: int = 0
                   ) -> list[tuple[int, str, bool]]:
    """Numbered lines ``first``..``last`` of the extracted text (1-based) with ``context`` lines around them."""
    last = last or first
    start, end = max(1, first - context), min(len(lines), last + context)
    return [(n, lines[n - 1], n == marked) for n in range(start, end + 1)]


class _Reviewed:
    """A row of the version as the review page shows it: the model row's fields (read through, never written)
    plus the warnings placed beside it."""

    row: Any

    def __getattr__(self, name: str):
        if name == "row":  # not set yet (copy, pickle): no recursion
            raise AttributeError(name)
        return getattr(self.row, name)

    def covers(self, line: int) -> bool:
        first = self.row.first_line
        return bool(first) and first <= line <= (self.row.last_line or first)


@dataclass
class NoteReview(_Reviewed):
    row: Any
    excerpt: list


@dataclass
class ConstraintReview(_Reviewed):
    row: Any
    review_notes: list = field(default_factory=list)


@dataclass
class ObjectiveReview(_Reviewed):
    row: Any
    own_constraints: list
    excerpt: list
    review_notes: list = field(default_factory=list)


@dataclass
class ThemeReview(_Reviewed):
    row: Any
    theme_constraints: list[ConstraintReview]
    objective_list: list[ObjectiveReview]
    review_notes: list = field(default_factory=list)


@dataclass
class SectionReview(_Reviewed):
    row: Any
    themes: list[ThemeReview]
    review_notes: list = field(default_factory=list)


@dataclass
class VersionReview:
    version: FrameworkVersion
    sections: list[SectionReview]
    notes: list[NoteReview]
    unplaced_notes: list[NoteReview]

    @property
    def open_notes(self) -> int:
        return sum(1 for n in self.notes if not n.resolved)

    @property
    def themes(self) -> list[tuple[SectionReview, ThemeReview]]:
        return [(s, t) for s in self.sections for t in s.themes]


def version_review(version: FrameworkVersion) -> VersionReview:
    """The version's tree with each import warning placed beside the most precise element whose source lines
    contain its line (an objective or a theme's constraint, else the theme, else the neighbourhood); the others
    are ``unplaced_notes``. Each objective and warning carries its excerpt of the extracted text."""
    lines = version.source_text.splitlines()
    notes = [NoteReview(n, source_excerpt(lines, n.line, context=EXCERPT_CONTEXT, marked=n.line) if n.line else [])
             for n in version.import_notes.order_by("line", "pk")]
    sections = []
    for s in version_sections(version):
        themes = []
        for t in s.themes.all():
            constraints = list(t.constraints.all())
            objectives = [ObjectiveReview(o, [c for c in constraints if c.objective_id == o.pk],
                                          source_excerpt(lines, o.first_line, o.last_line) if o.first_line else [])
                          for o in t.objectives.all()]
            themes.append(ThemeReview(t, [ConstraintReview(c) for c in constraints if c.objective_id is None],
                                      objectives))
        sections.append(SectionReview(s, themes))
    placed = _place_notes(notes, sections)
    return VersionReview(version=version, sections=sections, notes=notes,
                         unplaced_notes=[n for n in notes if n.pk not in placed])


def _place_notes(notes: list[NoteReview], sections: list[SectionReview]) -> set[int]:
    """Put each note beside the most precise element that covers its line; the ids of the notes placed."""
    placed: set[int] = set()
    for section in sections:
        for theme in section.themes:
            for note in notes:
                if note.pk in placed or not note.line:
                    continue
                target = next((x for x in [*theme.objective_list, *theme.theme_constraints] if x.covers(note.line)),
                              None)
                if target is None and theme.covers(note.line):
                    target = theme
                if target is not None:
                    target.review_notes.append(note)
                    placed.add(note.pk)
        for note in notes:
            if note.pk not in placed and note.line and section.covers(note.line):
                section.review_notes.append(note)
                placed.add(note.pk)
    return placed


class VersionChoiceError(ValueError):
    """No published framework can be chosen without a contract; the message (French) says which to pass."""


def published_version_for(contract_slug: str = "") -> FrameworkVersion | None:
    """The published version of the contract ``contract_slug``, or, without one, of the only contract that publishes
    (None when none publishes). Raises ``VersionChoiceError`` for an unknown contract, a contract without a published
    framework, or several publishing contracts and no slug (the commands' ``--contract``)."""
    if contract_slug:
        contract = Contract.objects.filter(slug=contract_slug).first()
        if contract is None:
            raise VersionChoiceError(f"Contrat inconnu : « {contract_slug} ».")
        version = published_version(contract)
        if version is None:
            raise VersionChoiceError(f"Le contrat « {contract.name} » n'a pas encore publié de référentiel.")
        return version
    versions = list(FrameworkVersion.objects.published().select_related("contract").order_by("contract__slug"))
    if len(versions) > 1:
        raise VersionChoiceError("Plusieurs contrats publient leur référentiel : passez --contract IDENTIFIANT "
                                 f"(choix : {', '.join(v.contract.slug for v in versions)}).")
    return versions[0] if versions else None
