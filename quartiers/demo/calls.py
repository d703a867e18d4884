"""The demo call: « Appel à projets 2027 » of the Alès contract, open, with five funders and their envelopes.

SIRETs: 173 000 014 00017 (the number first given for the Préfecture du Gard) fails the Luhn check, so the demo uses
173 000 019 00013, which passes it; the other SIRETs are built from the bodies' SIREN pattern (Alès Agglomération's
SIREN 200 066 918 is real) with a valid key. They are illustrative: check them on the Sirene directory before use.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from quartiers.calls.models import Call
from quartiers.calls.services import FunderLine, call_create, call_open
from quartiers.frameworks.models import FrameworkVersion
from quartiers.territories.models import Contract

PARIS = ZoneInfo("Europe/Paris")
DEMO_CALL_SLUG = "ales-2027"
DEMO_FUNDERS = (
    FunderLine("etat_bop147", "Préfecture du Gard — État, BOP 147 « Politique de la ville »", "17300001900013",
               Decimal("420000")),
    FunderLine("epci", "Communauté d'agglomération Alès Agglomération", "20006691800018", Decimal("180000")),
    FunderLine("commune", "Ville d'Alès", "21300007800013", Decimal("90000")),
    FunderLine("departement", "Département du Gard", "22300001900016", Decimal("60000")),
    FunderLine("caf", "Caisse d'allocations familiales du Gard", "77560972000013", Decimal("45000")),
)
DEMO_DOCUMENTS = ["statutes", "board_list", "bank_details", "annual_accounts", "activity_report"]
DEMO_DESCRIPTION = (
    "L'appel à projets 2027 du contrat de ville de l'arrondissement d'Alès finance des actions menées du 1er janvier "
    "au 31 décembre 2027 au bénéfice des habitants des quartiers prioritaires d'Alès, d'Anduze, de La Grand-Combe et "
    "de Saint-Ambroix. Chaque action doit répondre à au moins une priorité du projet de son quartier.\n"
    "Le GIP Politique de la ville Alès Cévennes accompagne les porteurs de projet : prenez contact avec l'équipe "
    "avant de déposer votre demande."
)


def load_demo_call(contract: Contract, version: FrameworkVersion) -> Call:
    """Create and open the demo call, unless it already exists (idempotent)."""
    existing = Call.objects.filter(slug=DEMO_CALL_SLUG).first()
    if existing is not None:
        return existing
    from quartiers.engine.rules.checks import RULES

    opens_at = datetime(2026, 10, 1, 9, 0, tzinfo=PARIS)
    call = call_create(
        contract=contract, funders=DEMO_FUNDERS,
        framework_version=version, slug=DEMO_CALL_SLUG,
        title="Appel à projets 2027 — Contrat de ville de l'arrondissement d'Alès", year=2027,
        opens_at=opens_at, closes_at=datetime(2027, 1, 15, 12, 0, tzinfo=PARIS),
        description=DEMO_DESCRIPTION, required_documents=DEMO_DOCUMENTS,
        # Every rule on, each with its default severity.
        rule_settings={rule.code: {"enabled": True, "severity": None}
                       for rule in RULES if not rule.enabled_by_default},
    )
    return call_open(call=call, why="Ouverture de l'appel de démonstration", now=opens_at)
