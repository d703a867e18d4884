"""Downloads of a framework version: JSON, CSV and a CSV for spreadsheets.

Pure functions over what the selectors return (a version and its ``version_sections``): no query of their own,
so the site and a later command-line export give the same files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from quartiers.engine.framework import CANONICAL_THEMES, CONSTRAINT_TAGS, Framework, framework_to_dict
from quartiers.frameworks.selectors import section_to_neighbourhood

COLUMNS = (
    "code_qpv",
    "quartier",
    "communes",
    "theme",
    "theme_reference",
    "objectif_cle",
    "objectif_intitule",
    "objectif_texte",
    "types_action",
    "contraintes",
    "lignes_source",
    "version",
)
LIST_SEPARATOR = " | "


def export_basename(version) -> str:
    """« quartiers-ales-referentiel-v2 »: the file name of a download, without its extension."""
    return f"quartiers-{version.contract.slug}-referentiel-v{version.number}"


def _lines(row) -> str:
    if not row.first_line:
        return ""
    last = max(row.last_line or row.first_line, row.first_line)
    return str(row.first_line) if last == row.first_line else f"{row.first_line}-{last}"


def _communes(section) -> list:
    return list(section.neighbourhood.communes.all()) if section.neighbourhood else []


def framework_json(version, sections: Sequence) -> dict[str, Any]:
    """The shape of ``framework_to_dict`` (without import warnings), plus the contract, the version, and for each
    neighbourhood its official QPV code, name and communes, and for each objective its stable key."""
    sections = list(sections)
    fw = Framework(neighbourhoods=tuple(section_to_neighbourhood(s) for s in sections), title=version.title,
                   source_name=version.source_name)
    data = framework_to_dict(fw, with_warnings=False)
    contract = version.contract
    data["contract"] = {"slug": contract.slug, "name": contract.name, "code": contract.code,
                        "lead_name": contract.lead_name, "lead_siren": contract.lead_siren}
    data["version"] = {
        "number": version.number,
        "status": version.status,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "checksum": version.checksum,
    }
    for n_dict, section in zip(data["neighbourhoods"], sections, strict=True):
        official = section.neighbourhood
        n_dict["qpv_code"] = official.code if official else None
        n_dict["official_name"] = official.name if official else None
        n_dict["communes"] = [{"name": c.name, "insee_code": c.insee_code} for c in _communes(section)]
        for t_dict, theme in zip(n_dict["themes"], section.themes.all(), strict=True):
            for o_dict, objective in zip(t_dict["objectives"], theme.objectives.all(), strict=True):
                o_dict["key"] = objective.key
    return data


def _constraint_text(c) -> str:
    return f"{CONSTRAINT_TAGS.get(c.tag, c.tag)} : {c.text}"


def framework_rows(version, sections: Iterable) -> list[dict[str, str]]:
    """One row per objective, with the columns of ``COLUMNS``."""
    rows = []
    for section in sections:
        official = section.neighbourhood
        communes = ", ".join(c.name for c in _communes(section)) or section.commune
        for theme in section.themes.all():
            constraints = list(theme.constraints.all())
            for objective in theme.objectives.all():
                applying = [c for c in constraints if c.objective_id in (None, objective.pk)]
                rows.append({
                    "code_qpv": official.code if official else "",
                    "quartier": official.name if official else section.name,
                    "communes": communes,
                    "theme": theme.title,
                    "theme_reference": CANONICAL_THEMES.get(theme.canonical_theme, theme.canonical_theme),
                    "objectif_cle": objective.key,
                    "objectif_intitule": objective.label,
                    "objectif_texte": objective.text,
                    "types_action": LIST_SEPARATOR.join(objective.action_types),
                    "contraintes": LIST_SEPARATOR.join(_constraint_text(c) for c in applying),
                    "lignes_source": _lines(objective),
                    "version": str(version.number),
                })
    return rows


def rows_to_csv(rows: Iterable[dict[str, str]], *, spreadsheet: bool = False) -> bytes:
    """CSV in UTF-8 with commas; for spreadsheets, semicolons and a byte-order mark (so Excel reads accents)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";" if spreadsheet else ",", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig" if spreadsheet else "utf-8")
