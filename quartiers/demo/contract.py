"""The demo contract: the Alès arrondissement, its 4 QPVs, its annex imported and published, and the staff accounts.

Idempotent: the contract is found by slug, the framework version by the annex's checksum, the accounts by username.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from quartiers.engine.importer import import_annex_bytes
from quartiers.frameworks.models import FrameworkVersion
from quartiers.frameworks.services import framework_store, version_publish
from quartiers.territories.models import Contract
from quartiers.territories.services import contract_reference, neighbourhoods_load

DEMO_ANNEX = Path(settings.PROJECT_DIR) / "data" / "demo" / "annexe-1-projets-de-quartiers-ales.txt"
DEMO_CONTRACT = "CN03001I"
DEMO_QPVS = {"QN03001I": "Alès", "QN03016M": "La Grand-Combe", "QN03002M": "Anduze", "QN03014M": "Saint-Ambroix"}
# The second contract, so that two contracts side by side show their isolation; its annex is an illustrative text.
SECOND_ANNEX = Path(settings.PROJECT_DIR) / "data" / "demo" / "annexe-demo-uzes.txt"
SECOND_CONTRACT = "CN03007I"
SECOND_QPVS = {"QN03017M": "Uzès"}
DEMO_ACCOUNTS = [
    # username, full name, is_staff, what it is for
    ("cheffe-de-projet", "Camille Martin", True, "cheffe de projet du contrat de ville (gestion du référentiel)"),
    ("charge-de-mission", "Karim Benali", True,
     "chargé de mission du GIP (appels à projets : préparer, ouvrir, clore — /gestion/appels/)"),
]


def _contract_load(*, slug: str, code: str, name: str, description: str, qpvs: dict[str, str]) -> Contract:
    """Create or update a demo contract from its row of the official list, with its QPVs (and their short names)."""
    ref = contract_reference(code)
    contract, _ = Contract.objects.update_or_create(slug=slug, defaults={
        "name": name, "code": code, "lead_name": ref["lib_cv"].split(" - ", 1)[-1], "lead_siren": ref["siren_epci"],
        "department": ref["insee_dep"], "description": description,
    })
    neighbourhoods_load(codes=qpvs, contract=contract, short_names=qpvs)
    return contract


def load_demo_contract() -> Contract:
    """Create or update the Alès contract and its 4 official QPVs (from the national reference files)."""
    return _contract_load(
        slug="ales", code=DEMO_CONTRACT, name="Contrat de ville de l'arrondissement d'Alès", qpvs=DEMO_QPVS,
        description=(
            "Contrat de ville « Engagements Quartiers 2030 » : projets des quartiers prioritaires d'Alès, "
            "d'Anduze, de La Grand-Combe (avec Les Salles-du-Gardon et Branoux-les-Taillades) et de "
            "Saint-Ambroix, issus des concertations citoyennes."
        ),
    )


def load_second_contract() -> Contract:
    """Create or update the Pays d'Uzès contract with its one QPV (Amandiers-Mûriers) and publish its short demo
    framework. (Nîmes Métropole, CN03002I, is left for ``quartiers contract-create`` to show.)"""
    contract = _contract_load(
        slug="uzes", code=SECOND_CONTRACT, name="Contrat de ville du Pays d'Uzès", qpvs=SECOND_QPVS,
        description=(
            "Second contrat de la démonstration, pour montrer deux contrats côte à côte : son référentiel est un "
            "texte illustratif, pas l'annexe réelle du contrat de ville du Pays d'Uzès."
        ),
    )
    load_demo_framework(contract, annex=SECOND_ANNEX)
    return contract


def load_demo_framework(contract: Contract, annex: Path = DEMO_ANNEX) -> None:
    """Import the demo annex and publish it, unless a version with the same checksum exists.

    Raises ``quartiers.engine.importer.AnnexError`` when the annex cannot be imported."""
    data = annex.read_bytes()
    checksum = hashlib.sha256(data).hexdigest()
    if FrameworkVersion.objects.filter(contract=contract, checksum=checksum).exists():
        return
    result = import_annex_bytes(data, annex.name)
    version = framework_store(contract=contract, framework=result.framework, source_name=annex.name,
                              source_bytes=data, source_text="\n".join(result.lines))
    version_publish(version=version)


def load_demo_accounts(*, password: str) -> list[tuple[str, str]]:
    """The staff accounts of the demo; returns (username, what it is for) to print."""
    User = get_user_model()
    out = []
    for username, full_name, is_staff, role in DEMO_ACCOUNTS:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "is_staff": is_staff,
                      "email": f"{username}@quartiers.localhost"},
        )
        if created:
            user.set_password(password)
            user.save()
        out.append((username, role))
    return out
