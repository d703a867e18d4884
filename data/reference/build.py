#!/usr/bin/env python3
"""Rebuild communes_france.csv.gz and epci_france.csv from Etalab's npm package @etalab/decoupage-administratif.

    python data/reference/build.py [--version 6.0.0] [--package-dir DIR]

Without --package-dir, the package is fetched with `npm pack` into a temporary directory (npm is needed only here,
never at run time). A new vintage is a data update: rerun with the new version, commit the two files and update
README.md. The output is deterministic (sorted rows, fixed gzip mtime), so an unchanged vintage gives identical files.
"""

import argparse
import csv
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = "@etalab/decoupage-administratif"
DEFAULT_VERSION = "6.0.0"

COMMUNE_COLUMNS = ["insee_com", "lib_com", "type", "insee_parent", "insee_dep", "insee_reg", "siren_epci",
                   "siren_ept", "codes_postaux", "population"]
EPCI_COLUMNS = ["siren", "nom", "nature", "mode_financement", "nb_membres", "population"]


def fetch(version: str, into: Path) -> Path:
    """Download the package tarball with npm and unpack it; returns the directory holding data/."""
    out = subprocess.run(["npm", "pack", f"{PACKAGE}@{version}", "--silent"], cwd=into, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    with tarfile.open(into / out) as tar:
        tar.extractall(into, filter="data")
    return into / "package"


def load(package_dir: Path, name: str) -> list[dict]:
    return json.loads((package_dir / "data" / name).read_text(encoding="utf-8"))


def qpv_communes() -> set[str]:
    with open(HERE / "qpv_2024_france.csv", encoding="utf-8-sig", newline="") as f:
        return {code for row in csv.DictReader(f) for code in row["insee_com"].split(";") if code}


def build(package_dir: Path) -> tuple[list[dict], list[dict]]:
    communes = load(package_dir, "communes.json")
    groups = [(g, "") for g in load(package_dir, "epci.json")] + [(g, "EPT") for g in load(package_dir, "ept.json")]
    epci_of: dict[str, str] = {}
    ept_of: dict[str, str] = {}
    epcis = []
    for group, kind in groups:
        target = ept_of if kind == "EPT" else epci_of
        for member in group["membres"]:
            target[member["code"]] = group["code"]
        epcis.append({"siren": group["code"], "nom": group["nom"], "nature": group.get("type") or kind,
                      "mode_financement": group.get("modeFinancement", ""), "nb_membres": len(group["membres"]),
                      "population": group.get("populationTotale", "")})
    needed = qpv_communes()
    current = {c["code"] for c in communes if c["type"] in {"commune-actuelle", "arrondissement-municipal"}}
    rows = []
    for c in communes:
        kind = c["type"]
        if kind == "commune-actuelle":
            kind, parent = "commune", ""
        elif kind == "arrondissement-municipal":
            kind, parent = "arrondissement", c["commune"]
        elif c["code"] in needed and c["code"] not in current and kind in {"commune-deleguee", "commune-associee"}:
            # Former communes still named by the QPV list (93059 Pierrefitte-sur-Seine, merged into Saint-Denis).
            kind, parent = "deleguee", c.get("chefLieu") or c.get("commune", "")
        else:
            continue
        anchor = parent or c["code"]
        rows.append({
            "insee_com": c["code"], "lib_com": c["nom"], "type": kind, "insee_parent": parent,
            "insee_dep": c.get("departement", ""), "insee_reg": c.get("region", ""),
            "siren_epci": epci_of.get(anchor, ""), "siren_ept": ept_of.get(anchor, ""),
            "codes_postaux": " ".join(c.get("codesPostaux", [])), "population": c.get("population", ""),
        })
    rows.sort(key=lambda r: (r["insee_com"], r["type"]))
    epcis.sort(key=lambda r: r["siren"])
    missing = needed - {r["insee_com"] for r in rows}
    if missing:
        sys.exit(f"Communes des QPV absentes du paquet : {', '.join(sorted(missing))}")
    return rows, epcis


def write(rows: list[dict], epcis: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, COMMUNE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with open(HERE / "communes_france.csv.gz", "wb") as raw, \
            gzip.GzipFile(filename="communes_france.csv", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    with open(HERE / "epci_france.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, EPCI_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(epcis)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=DEFAULT_VERSION)
    parser.add_argument("--package-dir", type=Path, help="an unpacked copy of the package (holding data/)")
    args = parser.parse_args()
    if args.package_dir:
        rows, epcis = build(args.package_dir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rows, epcis = build(fetch(args.version, Path(tmp)))
    write(rows, epcis)
    print(f"{len(rows)} communes et arrondissements, {len(epcis)} EPCI et EPT écrits dans {HERE}")


if __name__ == "__main__":
    main()
