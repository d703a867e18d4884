"""The seed annex's hand-annotated structure (``seed_framework_ids.json``) as an engine Framework.

Used by the evaluation and the tests while (or instead of) importing the annex: label = the text before the first
« : », action types = what follows, split at « ; ». Objective ids (Q1.T2.O1…) are kept aside, by objective text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from quartiers.engine.framework import Constraint, Framework, Neighbourhood, Objective, Theme
from quartiers.engine.matching.fragments import split_label

HERE = Path(__file__).resolve().parent
SEED_IDS = HERE / "seed_framework_ids.json"
DEV_SET = HERE / "dev_set.jsonl"
OWN_SET = HERE / "own_set.jsonl"

# Official QPV codes of the four neighbourhoods (data/reference/qpv_2024_france.csv).
CODES = {"Q1": "QN03001I", "Q2": "QN03016M", "Q3": "QN03002M", "Q4": "QN03014M"}
# The selectors the scorer sends (score_matches.py, SELECTOR).
SELECTOR = {"Q1": "Alès", "Q2": "Grand'Combe", "Q3": "Anduze", "Q4": "Saint Ambroix"}


def _name(heading: str, fallback: str) -> str:
    m = re.search(r"«\s*(.+?)\s*»", heading)
    return m.group(1) if m else fallback


def load_seed(path: Path = SEED_IDS) -> tuple[Framework, dict[str, str]]:
    """The framework and a map objective text → id (« Q1.T6.O3 »)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    ids: dict[str, str] = {}
    hoods = []
    for q in data["qpvs"]:
        themes = []
        for t in q["themes"]:
            objectives = []
            for o in t["objectives"]:
                label, actions = split_label(o["text"])
                objectives.append(Objective(text=o["text"], label=label, action_types=actions))
                ids[o["text"]] = o["id"]
            themes.append(Theme(title=t["title"], objectives=tuple(objectives),
                                constraints=tuple(Constraint(tag="other", text=c) for c in t.get("constraints", []))))
        hoods.append(Neighbourhood(name=_name(q["heading"], q["short"]), heading=q["heading"], commune=q["short"],
                                   code=CODES.get(q["id"], ""), themes=tuple(themes)))
    return Framework(neighbourhoods=tuple(hoods), title="Annexe 1 — projets de quartiers (arrondissement d'Alès)",
                     source_name=path.name), ids


def load_set(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
