"""Writes on territories: loading the official reference lists shipped in data/reference/."""

import csv
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from quartiers.territories.models import Commune, Contract, Neighbourhood

REFERENCE_DIR = Path(settings.PROJECT_DIR) / "data" / "reference"


def _rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@transaction.atomic
def neighbourhoods_load(*, codes: Iterable[str], contract: Contract | None = None,
                        short_names: dict[str, str] | None = None) -> list[Neighbourhood]:
    """Create or update the given QPVs (and their communes) from the official 2024 list. Idempotent."""
    wanted = {c.upper() for c in codes}
    short_names = short_names or {}
    postcodes = {r["insee_com"]: r["code_postal"] for r in _rows("communes_gard.csv")}
    found: list[Neighbourhood] = []
    for row in _rows("qpv_2024_france.csv"):
        if row["code_qp"] not in wanted:
            continue
        n, _ = Neighbourhood.objects.update_or_create(
            code=row["code_qp"],
            defaults={"name": row["lib_qp"], "department": row["insee_dep"].zfill(2), "contract": contract,
                      "short_name": short_names.get(row["code_qp"], "")},
        )
        communes = []
        for insee, name in zip(row["insee_com"].split(";"), row["lib_com"].split(";"), strict=False):
            commune, _ = Commune.objects.update_or_create(
                insee_code=insee, defaults={"name": name, "department": insee[:2], "postcode": postcodes.get(insee, "")}
            )
            communes.append(commune)
        n.communes.set(communes)
        found.append(n)
    missing = wanted - {n.code for n in found}
    if missing:
        raise ValueError(f"Codes QPV inconnus de la liste officielle 2024 : {', '.join(sorted(missing))}")
    return found


def contract_reference(code: str) -> dict[str, str]:
    """The row of the official list of contrats de ville 2024 for a code such as CN03001I."""
    for row in _rows("contrats_de_ville_2024.csv"):
        if row["code_cv"] == code:
            return row
    raise ValueError(f"Contrat de ville inconnu : {code}")
