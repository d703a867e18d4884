"""Helpers of the importer tests: paths of the seed annex and its gold structure, the scorer's normalisation."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "data" / "demo" / "annexe-1-projets-de-quartiers-ales.txt"
FIXTURES = Path(__file__).with_name("fixtures")
GOLD = FIXTURES / "seed_framework_ids.json"  # copy of shared/eval/seed_framework_ids.json
REFERENCE = ROOT / "data" / "reference" / "qpv_2024_france.csv"


def norm(text: str) -> str:
    """The scorer's comparison: whitespace collapsed, leading « - » stripped."""
    return re.sub(r"\s+", " ", text.strip().lstrip("-").strip()).strip()


def structure(framework) -> list:
    """(heading, [(theme title, [objective texts])]) with the scorer's normalisation."""
    return [
        (norm(n.heading), [(norm(t.title), [norm(o.text) for o in t.objectives]) for t in n.themes])
        for n in framework.neighbourhoods
    ]


def gold_structure(gold: dict) -> list:
    return [
        (norm(q["heading"]), [(norm(t["title"]), [norm(o["text"]) for o in t["objectives"]]) for t in q["themes"]])
        for q in gold["qpvs"]
    ]


def counts(framework) -> tuple[int, int, int]:
    return len(framework.neighbourhoods), len(framework.themes), len(framework.objectives)
