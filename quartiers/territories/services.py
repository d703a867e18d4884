"""Writes on territories: loading the official reference lists shipped in data/reference/, creating contracts."""

import csv
import gzip
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from quartiers.territories.models import Commune, Contract, Epci, Neighbourhood, PlaceWord, ReferenceContract
from quartiers.territories.selectors import search_words

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
            # Created if missing; a commune already loaded from the national reference is left as it is.
            commune, _ = Commune.objects.get_or_create(
                insee_code=insee, defaults={"name": name, "department": _department_of(insee),
                                            "postcode": postcodes.get(insee, ""), "postcodes": postcodes.get(insee, "")}
            )
            communes.append(commune)
        n.communes.set(communes)
        found.append(n)
    missing = wanted - {n.code for n in found}
    if missing:
        raise ValueError(f"Codes QPV inconnus de la liste officielle 2024 : {', '.join(sorted(missing))}")
    place_words_refresh(communes={c.insee_code: c for n in found for c in n.communes.all()}.values(),
                        neighbourhoods=found)
    return found


def contract_reference(code: str) -> dict[str, str]:
    """The row of the official list of contrats de ville 2024 for a code such as CN03001I."""
    for row in _rows("contrats_de_ville_2024.csv"):
        if row["code_cv"] == code:
            return row
    raise ValueError(f"Contrat de ville inconnu : {code}")


# --- The national reference (quartiers load-reference) ---------------------------------------------------------------

COMMUNES_FILE = "communes_france.csv.gz"
EPCI_FILE = "epci_france.csv"
CONTRACTS_FILE = "contrats_de_ville_2024.csv"
QPV_FILE = "qpv_2024_france.csv"
PERIMETERS_FILE = "qpv_2024_france.geojson.gz"
PLACE_KINDS = ("contract", "commune", "neighbourhood")


class ReferenceError(ValueError):
    """The reference files or the database are not what load-reference / contract-create expect (French message)."""


@dataclass
class StepCount:
    """What one step of load-reference did."""

    label: str
    total: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def line(self) -> str:
        if not self.changed:
            return f"{self.label} : {self.total}, aucun changement"
        parts = [f"{self.created} créé(s)", f"{self.updated} mis à jour"]
        if self.deleted:
            parts.append(f"{self.deleted} supprimé(s)")
        return f"{self.label} : {self.total} ({', '.join(parts)})"


@dataclass
class ReferenceSummary:
    """The outcome of reference_load: counts per step and how the QPVs map to contracts."""

    department: str = ""
    steps: list[StepCount] = field(default_factory=list)
    qpv_total: int = 0
    qpv_attached: int = 0
    qpv_without: list[str] = field(default_factory=list)
    qpv_ambiguous: list[str] = field(default_factory=list)
    tenants_linked: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(s.changed for s in self.steps) or bool(self.tenants_linked)

    def lines(self) -> list[str]:
        def few(codes: list[str]) -> str:
            return (" : " + ", ".join(codes[:10]) + (" …" if len(codes) > 10 else "")) if codes else ""

        out = [s.line() for s in self.steps]
        out.append(f"QPV rattachés à un contrat de ville : {self.qpv_attached} / {self.qpv_total}")
        out.append(f"QPV sans contrat : {len(self.qpv_without)}{few(self.qpv_without)}")
        out.append(f"QPV ambigus (communes de plusieurs contrats, rattachés au contrat de la majorité de leurs "
                   f"communes, à défaut de la première) : {len(self.qpv_ambiguous)}{few(self.qpv_ambiguous)}")
        if self.tenants_linked:
            out.append(f"Contrats de cette instance reliés au référentiel : {', '.join(self.tenants_linked)}")
        out.append("Le référentiel était déjà à jour : rien n'a changé." if not self.changed
                   else "Référentiel chargé.")
        return out


def _reference_rows(name: str) -> list[dict[str, str]]:
    path = REFERENCE_DIR / name
    if not path.exists():
        raise ReferenceError(f"Fichier du référentiel introuvable : {path}")
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _int(value: str) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def _float(value: str) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _upsert(model, key: str, rows: dict[str, dict], fields: list[str], count: StepCount) -> dict[str, int]:
    """Insert the rows that are new and update those that differ, in bulk; returns key → primary key."""
    existing = {r[key]: r for r in model.objects.filter(**{f"{key}__in": list(rows)} if len(rows) < 900 else {})
                .values("id", key, *fields)}
    todo = []
    for k, values in rows.items():
        old = existing.get(k)
        if old is None:
            count.created += 1
        elif any(old[f] != values[f] for f in fields):
            count.updated += 1
        else:
            continue
        todo.append(model(**{key: k}, **{(f + "_id" if f in _FK_FIELDS else f): values[f] for f in fields}))
    if todo:
        model.objects.bulk_create(todo, batch_size=500, update_conflicts=True, unique_fields=[key],
                                  update_fields=fields)
    count.total = len(rows)
    if not todo:
        return {k: v["id"] for k, v in existing.items() if k in rows}
    ids = dict(model.objects.filter(**{f"{key}__in": list(rows)} if len(rows) < 900 else {})
               .values_list(key, "id"))
    return {k: ids[k] for k in rows}


_FK_FIELDS = {"epci", "ept", "parent", "reference_contract"}


def _department_of(code: str) -> str:
    """The department of an INSEE commune code (2A/2B for Corsica, 3 digits outre-mer)."""
    return code[:3] if code[:2] in {"97", "98"} else code[:2]


def _contract_for_commune(insee: str, communes: dict[str, dict[str, str]],
                          by_territory: dict[str, list[str]]) -> str:
    """The reference contract whose territory holds the commune: its own (or its parent's) contract first, then
    its EPT's, then its EPCI's; among several at one level (an outre-mer CV… kept next to its CN…), the CN one."""
    row = communes.get(insee)
    if row is None:
        return ""
    for territory in (row["insee_parent"] or insee, insee, row["siren_ept"], row["siren_epci"]):
        codes = by_territory.get(territory) if territory else None
        if codes:
            return sorted(codes, key=lambda c: (not c.startswith("CN"), c))[0]
    return ""


def qpv_contract(insee_codes: list[str], communes: dict[str, dict[str, str]],
                 by_territory: dict[str, list[str]]) -> tuple[str, bool]:
    """(contract code, ambiguous) for a QPV's communes: the contract of most of them, ties going to the first."""
    found = [c for c in (_contract_for_commune(i, communes, by_territory) for i in insee_codes) if c]
    if not found:
        return "", False
    distinct = list(dict.fromkeys(found))
    if len(distinct) == 1:
        return distinct[0], False
    best = max(distinct, key=lambda c: (found.count(c), -found.index(c)))
    return best, True


def place_words(*texts: str) -> set[str]:
    """The folded words under which a place is found (« St-Ambroix » → saint, ambroix)."""
    return {w[:60] for t in texts if t for w in search_words(t)}


def _bbox(geometry: dict) -> tuple[float, float, float, float]:
    lons: list[float] = []
    lats: list[float] = []

    def walk(node) -> None:
        if node and isinstance(node[0], (int, float)):
            lons.append(float(node[0]))
            lats.append(float(node[1]))
        else:
            for child in node:
                walk(child)

    walk(geometry["coordinates"])
    return (min(lons), min(lats), max(lons), max(lats))


def _reference_perimeters() -> dict[str, dict]:
    path = REFERENCE_DIR / PERIMETERS_FILE
    if not path.exists():
        raise ReferenceError(f"Fichier du référentiel introuvable : {path}")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    return {feat["properties"]["code_qp"]: feat["geometry"] for feat in data["features"] if feat.get("geometry")}


def reference_load(*, department: str = "", progress: Callable[[str], None] | None = None) -> ReferenceSummary:
    """Load (or bring up to date) the national reference: EPCI, communes, the 2024 contracts and the 1,584 QPVs with
    their perimeters and the contract each belongs to (QPV → communes → EPCI → contract). Idempotent: only rows that
    differ are written. With `department` (« 30 »), only that department's communes, contracts and QPVs.

    Never touches what an instance owns: a QPV's tenant contract (`contract`) and its short name are kept; tenant
    contracts whose code is a reference code get their `reference` link when they have none.
    """
    say = progress or (lambda message: None)
    dep = department.strip().upper()
    if dep and dep.isdigit():
        dep = dep.zfill(2)
    summary = ReferenceSummary(department=dep)

    say("Lecture des fichiers du référentiel…")
    communes = {r["insee_com"]: r for r in _reference_rows(COMMUNES_FILE)}
    epci_rows = {r["siren"]: r for r in _reference_rows(EPCI_FILE)}
    contract_rows = _reference_rows(CONTRACTS_FILE)
    qpv_rows = [r for r in _reference_rows(QPV_FILE) if not dep or r["insee_dep"].zfill(2) == dep]
    if dep and not any(r["insee_dep"] == dep for r in communes.values()):
        raise ReferenceError(f"Département inconnu : « {department} » (par exemple 30, 2A, 971).")
    perimeters = _reference_perimeters()

    # Contracts: one per code (CV428 and CN98701M each come twice, once per territory).
    contracts: dict[str, dict] = {}
    for row in contract_rows:
        code = row["code_cv"].strip()
        label = row["lib_cv"].split(" - ", 1)[-1].strip()
        c = contracts.setdefault(code, {"names": [], "territories": [], "dep": "", "row": row})
        if label and label != "NA" and label not in c["names"]:
            c["names"].append(label)
        if row["siren_epci"] not in c["territories"]:
            c["territories"].append(row["siren_epci"])
        c["dep"] = c["dep"] or row["insee_dep"].strip()
    by_territory: dict[str, list[str]] = {}
    for code, c in contracts.items():
        for t in c["territories"]:
            by_territory.setdefault(t, []).append(code)
        if not c["dep"]:  # CN07303M « NA - CA Grand Lac »: the department of its EPCI's communes
            deps = [r["insee_dep"] for r in communes.values() if c["territories"][0] in (r["siren_epci"], r["siren_ept"])]
            c["dep"] = max(set(deps), key=deps.count) if deps else ""
    if dep:
        contracts = {k: c for k, c in contracts.items() if c["dep"] == dep}
        communes_loaded = {k: r for k, r in communes.items() if r["insee_dep"] == dep}
    else:
        communes_loaded = communes

    with transaction.atomic():
        say(f"EPCI et établissements publics territoriaux ({'département ' + dep if dep else 'France entière'})…")
        wanted_epci = set(epci_rows) if not dep else (
            {r["siren_epci"] for r in communes_loaded.values()} | {r["siren_ept"] for r in communes_loaded.values()}
            | {t for c in contracts.values() for t in c["territories"]}) & set(epci_rows)
        step = StepCount("EPCI et EPT")
        epci_ids = _upsert(Epci, "siren", {
            s: {"name": epci_rows[s]["nom"], "nature": epci_rows[s]["nature"],
                "members_count": int(epci_rows[s]["nb_membres"] or 0), "population": _int(epci_rows[s]["population"])}
            for s in sorted(wanted_epci)}, ["name", "nature", "members_count", "population"], step)
        summary.steps.append(step)
        say(step.line())

        say("Communes (et arrondissements de Paris, Lyon, Marseille)…")
        step = StepCount("Communes")
        commune_ids = _upsert(Commune, "insee_code", {
            k: {"name": r["lib_com"], "department": r["insee_dep"], "region": r["insee_reg"], "kind": r["type"],
                "postcode": (r["codes_postaux"].split() or [""])[0][:5], "postcodes": r["codes_postaux"][:200],
                "population": _int(r["population"]), "epci": epci_ids.get(r["siren_epci"]),
                "ept": epci_ids.get(r["siren_ept"])}
            for k, r in communes_loaded.items()},
            ["name", "department", "region", "kind", "postcode", "postcodes", "population", "epci", "ept"], step)
        parents = StepCount("Communes de rattachement")
        _upsert(Commune, "insee_code", {
            k: {"parent": commune_ids.get(r["insee_parent"]) if r["insee_parent"] else None}
            for k, r in communes_loaded.items()}, ["parent"], parents)
        step.updated += parents.updated if not step.created else 0
        summary.steps.append(step)
        say(step.line())

        say("Contrats de ville 2024…")
        step = StepCount("Contrats de ville")
        contract_ids = _upsert(ReferenceContract, "code", {
            code: {"name": " / ".join(c["names"]) or " / ".join(
                       communes[t]["lib_com"] if t in communes else epci_rows[t]["nom"] if t in epci_rows else t
                       for t in c["territories"]),
                   "territory_codes": ";".join(c["territories"])[:100], "department": c["dep"][:3],
                   "epci": next((epci_ids[t] for t in c["territories"] if t in epci_ids), None),
                   "lon": _float(c["row"]["lon"]), "lat": _float(c["row"]["lat"]), "population": _int(c["row"]["pop"])}
            for code, c in sorted(contracts.items())},
            ["name", "territory_codes", "department", "epci", "lon", "lat", "population"], step)
        summary.steps.append(step)
        say(step.line())

        say("Quartiers prioritaires 2024, périmètres et contrats…")
        step = StepCount("QPV")
        hoods: dict[str, dict] = {}
        hood_communes: dict[str, list[str]] = {}
        for r in qpv_rows:
            code = r["code_qp"]
            insee = [i for i in r["insee_com"].split(";") if i]
            hood_communes[code] = insee
            contract_code, ambiguous = qpv_contract(insee, communes, by_territory)
            geometry = perimeters.get(code)
            box = _bbox(geometry) if geometry else (None, None, None, None)
            hoods[code] = {"name": r["lib_qp"], "department": r["insee_dep"].zfill(2),
                           "reference_contract": contract_ids.get(contract_code) if contract_code else None,
                           "reference_ambiguous": ambiguous, "perimeter": geometry,
                           "min_lon": box[0], "min_lat": box[1], "max_lon": box[2], "max_lat": box[3]}
            summary.qpv_total += 1
            if hoods[code]["reference_contract"]:
                summary.qpv_attached += 1
            else:
                summary.qpv_without.append(code)
            if ambiguous:
                summary.qpv_ambiguous.append(code)
        missing = [c for c in hoods if c not in perimeters]
        if missing:
            say(f"Attention : QPV sans périmètre dans {PERIMETERS_FILE} : {', '.join(missing[:10])}")
        hood_ids = _upsert(Neighbourhood, "code", hoods, list(next(iter(hoods.values()), {})), step)
        through = Neighbourhood.communes.through
        unknown = sorted({i for codes in hood_communes.values() for i in codes if i not in commune_ids}
                         - set(Commune.objects.values_list("insee_code", flat=True)))
        if unknown:
            raise ReferenceError(f"Communes des QPV absentes de {COMMUNES_FILE} : {', '.join(unknown[:10])}")
        all_commune_ids = commune_ids if not dep else dict(Commune.objects.filter(
            insee_code__in={i for codes in hood_communes.values() for i in codes}).values_list("insee_code", "id"))
        wanted_links = {(hood_ids[h], all_commune_ids[i]) for h, codes in hood_communes.items() for i in codes}
        existing_links = set(through.objects.filter(neighbourhood_id__in=hood_ids.values())
                             .values_list("neighbourhood_id", "commune_id"))
        extra = existing_links - wanted_links
        for n_id, c_id in extra:
            through.objects.filter(neighbourhood_id=n_id, commune_id=c_id).delete()
        through.objects.bulk_create([through(neighbourhood_id=n, commune_id=c)
                                     for n, c in sorted(wanted_links - existing_links)], batch_size=500)
        if (wanted_links - existing_links or extra) and not step.created:
            step.updated += len({n for n, _ in (wanted_links - existing_links) | extra})
        summary.steps.append(step)
        say(step.line())

        for tenant in Contract.objects.filter(reference__isnull=True, code__in=list(contract_ids)):
            if not Contract.objects.filter(reference_id=contract_ids[tenant.code]).exists():
                tenant.reference_id = contract_ids[tenant.code]
                tenant.save(update_fields=["reference"])
                summary.tenants_linked.append(tenant.slug)

        say("Index de recherche (contrats, communes, QPV)…")
        step = place_words_rebuild()
        summary.steps.append(step)
        say(step.line())
    return summary


def _place_words_wanted() -> set[tuple[str, str, str]]:
    wanted: set[tuple[str, str, str]] = set()
    for code, name in ReferenceContract.objects.values_list("code", "name"):
        wanted.update((w, "contract", code) for w in place_words(code, name))
    for insee, name, postcodes in Commune.objects.values_list("insee_code", "name", "postcodes"):
        wanted.update((w, "commune", insee) for w in place_words(insee, name, postcodes))
    names: dict[int, list[str]] = {}
    for hood_id, commune_name in Neighbourhood.communes.through.objects.values_list("neighbourhood_id",
                                                                                     "commune__name"):
        names.setdefault(hood_id, []).append(commune_name)
    for hood_id, code, name, short_name in Neighbourhood.objects.values_list("id", "code", "name", "short_name"):
        wanted.update((w, "neighbourhood", code) for w in place_words(code, name, short_name, *names.get(hood_id, [])))
    return wanted


def place_words_rebuild() -> StepCount:
    """Bring the search index (PlaceWord) in step with the contracts, communes and QPVs in the database."""
    step = StepCount("Index de recherche (mots)")
    wanted = _place_words_wanted()
    existing = {(w, k, c): pk for pk, w, k, c in PlaceWord.objects.values_list("id", "word", "kind", "code")}
    extra = [pk for key, pk in existing.items() if key not in wanted]
    for start in range(0, len(extra), 500):
        PlaceWord.objects.filter(id__in=extra[start:start + 500]).delete()
    new = [PlaceWord(word=w, kind=k, code=c) for w, k, c in sorted(wanted - set(existing))]
    PlaceWord.objects.bulk_create(new, batch_size=1000)
    step.total, step.created, step.deleted = len(wanted), len(new), len(extra)
    return step


def place_words_refresh(*, communes: Iterable[Commune] = (), neighbourhoods: Iterable[Neighbourhood] = ()) -> None:
    """Re-index a few communes and QPVs (after neighbourhoods_load), without rebuilding the whole index."""
    wanted: set[tuple[str, str, str]] = set()
    communes = list(communes)
    neighbourhoods = list(neighbourhoods)
    for m in communes:
        wanted.update((w, "commune", m.insee_code) for w in place_words(m.insee_code, m.name, m.postcodes))
    for n in neighbourhoods:
        wanted.update((w, "neighbourhood", n.code) for w in
                      place_words(n.code, n.name, n.short_name, *(m.name for m in n.communes.all())))
    for kind, codes in (("commune", [m.insee_code for m in communes]), ("neighbourhood", [n.code for n in neighbourhoods])):
        if codes:
            PlaceWord.objects.filter(kind=kind, code__in=codes).delete()
    PlaceWord.objects.bulk_create([PlaceWord(word=w, kind=k, code=c) for w, k, c in sorted(wanted)], batch_size=1000)


# --- Contracts as tenants (quartiers contract-create) ---------------------------------------------------------------

class ContractCreateError(ValueError):
    """A contract could not be created from the reference; the message (French) says why."""


@dataclass
class ContractCreated:
    """What contract_create did: the contract, the QPVs attached, and those left to another tenant contract."""

    contract: Contract
    attached: list[str]
    kept_elsewhere: dict[str, str]  # QPV code → slug of the tenant contract that already has it


def _unique_slug(base: str) -> str:
    base = (base or "contrat")[:70].strip("-") or "contrat"
    slug, n = base, 2
    while Contract.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def contract_create_from_reference(*, code: str, slug: str = "", by=None) -> ContractCreated:
    """Create the tenant contract of the reference contract CODE (CN03002I) with its QPVs.

    Name, code, lead (the EPCI or commune of its territory), department and reference link come from the national
    reference. Its QPVs are attached unless another contract of this instance already holds them (never stolen).
    Slug: the one given (checked), else the slugified name, made unique. `by` is the user who asked (recorded by the
    page of the platform staff; the command has none).
    """
    code = (code or "").strip().upper()
    if not code:
        raise ContractCreateError("Code du contrat de ville manquant (par exemple CN03002I).")
    if not ReferenceContract.objects.exists():
        raise ContractCreateError("Chargez d'abord le référentiel national : quartiers load-reference")
    ref = ReferenceContract.objects.select_related("epci").filter(code=code).first()
    if ref is None:
        raise ContractCreateError(f"Contrat de ville inconnu du référentiel national : « {code} ».")
    existing = Contract.objects.filter(reference=ref).first() or Contract.objects.filter(code=code).first()
    if existing is not None:
        raise ContractCreateError(f"Le contrat {code} existe déjà sur cette instance (identifiant « {existing.slug} »).")
    if slug:
        if slugify(slug) != slug or len(slug) > 80:
            raise ContractCreateError(f"Identifiant invalide : « {slug} » (lettres minuscules sans accents, chiffres et "
                                      f"tirets, 80 caractères au plus ; par exemple {slugify(ref.name)[:80]}).")
        if Contract.objects.filter(slug=slug).exists():
            raise ContractCreateError(f"L'identifiant « {slug} » est déjà pris par un autre contrat.")
    else:
        slug = _unique_slug(slugify(ref.name.replace("'", " ").replace("\u2019", " ")))  # d'Argence → d-argence
    territory = ref.territory_codes.split(";")[0] if ref.territory_codes else ""
    if ref.epci is not None:
        lead_name, lead_siren = ref.epci.name, ref.epci.siren
    else:
        commune = Commune.objects.filter(insee_code=territory).first()
        lead_name, lead_siren = (commune.name if commune else ref.name), ""
    contract = Contract.objects.create(
        slug=slug, name=ref.name, code=ref.code, lead_name=lead_name, lead_siren=lead_siren,
        department=ref.department, reference=ref, created_by=by if getattr(by, "pk", None) else None,
    )
    attached: list[str] = []
    kept: dict[str, str] = {}
    for n in (Neighbourhood.objects.select_for_update(of=("self",)).filter(reference_contract=ref)
             .select_related("contract")):
        if n.contract is not None:
            kept[n.code] = n.contract.slug
            continue
        attached.append(n.code)
    Neighbourhood.objects.filter(code__in=attached).update(contract=contract)
    return ContractCreated(contract=contract, attached=sorted(attached), kept_elsewhere=dict(sorted(kept.items())))


def contract_create(*, code: str, slug: str = "", by=None) -> Contract:
    """The tenant contract created from the reference contract CODE; see contract_create_from_reference."""
    return contract_create_from_reference(code=code, slug=slug, by=by).contract
