"""The neighbourhood-priorities framework as plain, frozen data.

A framework is what a contract's annex says: neighbourhoods (QPV) → themes → objectives → constraints.
Every element keeps the lines of the source document it came from, so a reviewer can always go back to the text.

These classes are the interface between the importer, the matching engine, the rules and the Django apps.
They import nothing from Django. ``framework_to_dict`` / ``framework_from_dict`` give the JSON form used by
``quartiers import-annex --json`` (see ARCHITECTURE.md, « Contracts other tools rely on »).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

# Canonical themes: a fixed list, so that themes titled differently across contracts can be compared.
# code → French label shown to users.
CANONICAL_THEMES: dict[str, str] = {
    "education": "Éducation et réussite scolaire",
    "parenting": "Parentalité",
    "youth": "Jeunesse",
    "employment": "Emploi, formation et création d'activité",
    "housing": "Habitat et cadre de vie",
    "social_link": "Lien social et accès aux droits",
    "citizenship": "Citoyenneté et valeurs de la République",
    "health": "Santé et prévention",
    "crime_prevention": "Prévention de la délinquance et tranquillité publique",
    "culture": "Culture",
    "sport": "Sport",
    "mobility": "Mobilité",
    "ecology": "Transition écologique",
    "other": "Autre",
}

# Constraint tags: conditions the annex attaches to a theme or an objective.
CONSTRAINT_TAGS: dict[str, str] = {
    "out_of_school_time": "Hors temps scolaire",
    "long_duration": "Temps long",
    "off_hours": "Horaires décalés (soirées, week-ends, vacances)",
    "at_doorstep": "Au pied des immeubles, au sein du quartier",
    "outreach": "Aller-vers",
    "co_construction": "Co-construit avec les habitants ou les jeunes",
    "partnership": "En lien avec un dispositif ou des partenaires nommés",
    "target_audience": "Public visé",
    "other": "Autre condition",
}

WARNING_KINDS: dict[str, str] = {
    "damaged_fragment": "Fragment de texte endommagé",
    "damaged_text": "Texte probablement endommagé",
    "orphan_text": "Texte hors de toute section",
    "empty_section": "Section sans objectif",
    "encoding": "Encodage",
    "structure": "Structure",
    "no_text_layer": "Page sans texte",
}


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Lines of the source document, 1-based and inclusive."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if self.first < 1 or self.last < self.first:
            raise ValueError(f"invalid source span {self.first}-{self.last}")

    def as_list(self) -> list[int]:
        return [self.first, self.last]


@dataclass(frozen=True, slots=True)
class Constraint:
    """A condition attached to a theme or objective, e.g. « hors-temps scolaire »."""

    tag: str
    text: str
    lines: SourceSpan | None = None


@dataclass(frozen=True, slots=True)
class Objective:
    """One objective: the full text, the short label before the colon and the action types after it."""

    text: str
    label: str
    action_types: tuple[str, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    lines: SourceSpan | None = None

    @property
    def key(self) -> str:
        """A stable identifier derived from the text alone."""
        return content_key(self.text)


@dataclass(frozen=True, slots=True)
class Theme:
    title: str
    canonical_theme: str = "other"
    objectives: tuple[Objective, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    lines: SourceSpan | None = None


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """One priority neighbourhood (QPV) and its project: the section of the annex that concerns it."""

    name: str
    heading: str = ""
    commune: str = ""
    code: str = ""
    themes: tuple[Theme, ...] = ()
    lines: SourceSpan | None = None

    @property
    def objectives(self) -> tuple[Objective, ...]:
        return tuple(o for t in self.themes for o in t.objectives)


@dataclass(frozen=True, slots=True)
class AnnexWarning:
    """Something a person should look at: damaged text, orphan lines, an empty section…"""

    line: int
    kind: str
    message: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Framework:
    neighbourhoods: tuple[Neighbourhood, ...] = ()
    warnings: tuple[AnnexWarning, ...] = ()
    title: str = ""
    source_name: str = ""

    @property
    def themes(self) -> tuple[Theme, ...]:
        return tuple(t for n in self.neighbourhoods for t in n.themes)

    @property
    def objectives(self) -> tuple[Objective, ...]:
        return tuple(o for n in self.neighbourhoods for o in n.objectives)

    def content_hash(self) -> str:
        """A hash of everything that matters for matching: names, titles and objective texts."""
        payload = json.dumps(framework_to_dict(self, with_warnings=False), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def content_key(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


# --- JSON form ---------------------------------------------------------------------------------------------


def _span(lines: SourceSpan | None) -> list[int] | None:
    return lines.as_list() if lines else None


def _constraint_to_dict(c: Constraint) -> dict[str, Any]:
    return {"tag": c.tag, "text": c.text, "source_lines": _span(c.lines)}


def framework_to_dict(fw: Framework, *, with_warnings: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "title": fw.title,
        "source": fw.source_name,
        "neighbourhoods": [
            {
                "name": n.name,
                "heading": n.heading,
                "commune": n.commune,
                "code": n.code,
                "source_lines": _span(n.lines),
                "themes": [
                    {
                        "title": t.title,
                        "canonical_theme": t.canonical_theme,
                        "source_lines": _span(t.lines),
                        "constraints": [_constraint_to_dict(c) for c in t.constraints],
                        "objectives": [
                            {
                                "text": o.text,
                                "label": o.label,
                                "action_types": list(o.action_types),
                                "constraints": [_constraint_to_dict(c) for c in o.constraints],
                                "source_lines": _span(o.lines),
                            }
                            for o in t.objectives
                        ],
                    }
                    for t in n.themes
                ],
            }
            for n in fw.neighbourhoods
        ],
    }
    if with_warnings:
        out["warnings"] = [{"line": w.line, "kind": w.kind, "message": w.message, "text": w.text} for w in fw.warnings]
    return out


def _span_from(value: Any) -> SourceSpan | None:
    if isinstance(value, list | tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return SourceSpan(int(value[0]), int(value[1]))
    return None


def _constraint_from(value: Any) -> Constraint:
    if isinstance(value, str):
        return Constraint(tag="other", text=value)
    return Constraint(tag=str(value.get("tag", "other")), text=str(value["text"]), lines=_span_from(value.get("source_lines")))


def framework_from_dict(data: dict[str, Any]) -> Framework:
    """Rebuild a framework from its JSON form (as printed by ``import-annex --json``)."""
    neighbourhoods = []
    for n in data.get("neighbourhoods", []):
        themes = []
        for t in n.get("themes", []):
            objectives = tuple(
                Objective(
                    text=str(o["text"]),
                    label=str(o.get("label") or o["text"]),
                    action_types=tuple(str(a) for a in o.get("action_types", [])),
                    constraints=tuple(_constraint_from(c) for c in o.get("constraints", [])),
                    lines=_span_from(o.get("source_lines")),
                )
                for o in t.get("objectives", [])
            )
            themes.append(
                Theme(
                    title=str(t["title"]),
                    canonical_theme=str(t.get("canonical_theme") or "other"),
                    objectives=objectives,
                    constraints=tuple(_constraint_from(c) for c in t.get("constraints", [])),
                    lines=_span_from(t.get("source_lines")),
                )
            )
        neighbourhoods.append(
            Neighbourhood(
                name=str(n["name"]),
                heading=str(n.get("heading", "")),
                commune=str(n.get("commune", "")),
                code=str(n.get("code", "") or ""),
                themes=tuple(themes),
                lines=_span_from(n.get("source_lines")),
            )
        )
    warnings = tuple(
        AnnexWarning(line=int(w.get("line", 0)), kind=str(w.get("kind", "")), message=str(w.get("message", "")),
                      text=str(w.get("text", "")))
        for w in data.get("warnings", [])
    )
    return Framework(
        neighbourhoods=tuple(neighbourhoods),
        warnings=warnings,
        title=str(data.get("title", "")),
        source_name=str(data.get("source", "")),
    )
