"""Constants and helpers shared by the calls tests (imported as ``calls_helpers``)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.factories.calls import SIRETS

PARIS = ZoneInfo("Europe/Paris")

CALLS_FRAMEWORK = {
    "title": "Annexe 1 — Alès et Anduze",
    "neighbourhoods": [
        {
            "name": "Prés Saint-Jean", "commune": "Alès", "code": "QN03001I", "source_lines": [1, 4],
            "themes": [{"title": "Réussite scolaire et éducative", "canonical_theme": "education",
                        "source_lines": [2, 4], "constraints": [],
                        "objectives": [{"text": "Lutter contre le décrochage scolaire.",
                                        "label": "Lutter contre le décrochage scolaire", "source_lines": [3, 3]}]}],
        },
        {
            "name": "Centre ancien", "commune": "Anduze", "code": "QN03002M", "source_lines": [5, 8],
            "themes": [{"title": "Jeunesse", "canonical_theme": "youth", "source_lines": [6, 8], "constraints": [],
                        "objectives": [{"text": "Accompagner les jeunes vers l'autonomie.",
                                        "label": "Accompagner les jeunes vers l'autonomie",
                                        "source_lines": [7, 7]}]}],
        },
    ],
    "warnings": [],
}

# Valid SIRETs (Luhn key checked by python-stdnum), those of the factories.
SIRET_STATE = SIRETS["etat_bop147"]
SIRET_AGGLO = SIRETS["epci"]


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)
