"""Constants and helpers shared by the calls tests (imported as ``calls_helpers``)."""

from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

# Valid SIRETs (Luhn key checked by python-stdnum).
SIRET_STATE = "17300001900013"
SIRET_AGGLO = "20006691800018"


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)
