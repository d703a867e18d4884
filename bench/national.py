"""A national-size synthetic database: every contract of France with its QPVs, frameworks, calls and applications.

    .venv/bin/python bench/national.py [--scale 1.0] [--db quartiers_bench] [--only CN09302I] [--sqlite PATH]

At ``--scale 1.0``: the 448 contracts of data/reference/contrats_de_ville_2024.csv (the brief's « ~450 »), the 1,584
QPVs of data/reference/qpv_2024_france.csv, each contract with a published framework (three or four themes of two
to four objectives per QPV, stored by ``frameworks.services.framework_store`` and published by ``version_publish``),
funders, three yearly calls (2025 and 2026 closed, 2027 open: a deadline rush) and 25,000 applications a year spread
over the contracts in proportion to their QPV population, with their transitions, findings, admissibility,
confirmed matches, assessments by the funders, committee sessions, agenda and decisions; organisations and their
administrators. A smaller scale takes a spread subset of the contracts and as many applications per contract
(0.1 ≈ 45 contracts). ``--only CODE`` builds that single contract with the applications it has at national size:
the « one contract » side of bench_national_pages.py.

The database is dropped and created (``dropdb``/``createdb`` on 127.0.0.1:5432, user postgres), never a test one.
Rows are written with ``bulk_create`` in batches; every bench user's password is ``PASSWORD``. What the page
benchmarks need (the target contract, a draft, a decided application…) is written to ``var/bench/<db>.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
PARIS = ZoneInfo("Europe/Paris")
PASSWORD = "banc-d-essai-national-2026"
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
APPLICATIONS_PER_YEAR = 25_000
TARGET_QUEUE = 1_000  # the bench contract (the one nearest this size) gets exactly this many a year
YEARS = (2025, 2026, 2027)
BATCH = 2_000

# status → share of a call's applications, per year (2025 and 2026 are closed, 2027 is open)
STATUS_MIX = {
    2025: {"decided": 0.64, "refused": 0.16, "inadmissible": 0.08, "withdrawn": 0.05, "reviewed": 0.07},
    2026: {"decided": 0.40, "refused": 0.10, "reviewed": 0.20, "admissible": 0.15, "submitted": 0.08,
           "inadmissible": 0.04, "withdrawn": 0.03},
    2027: {"draft": 0.55, "submitted": 0.45},
}
# the path of each status from the draft (the transitions written for it)
PATHS = {
    "draft": ["draft"],
    "submitted": ["draft", "submitted"],
    "withdrawn": ["draft", "submitted", "withdrawn"],
    "inadmissible": ["draft", "submitted", "inadmissible"],
    "admissible": ["draft", "submitted", "admissible"],
    "reviewed": ["draft", "submitted", "admissible", "reviewed"],
    "decided": ["draft", "submitted", "admissible", "reviewed", "decided"],
    "refused": ["draft", "submitted", "admissible", "reviewed", "refused"],
}
WHY = {"draft": "création", "submitted": "dépôt par le porteur", "withdrawn": "retrait par le porteur",
       "inadmissible": "irrecevable", "admissible": "recevable", "reviewed": "instruction terminée",
       "decided": "décision du comité", "refused": "décision du comité"}
STATE_SIRET = "17300001900013"
TITLES = ["Soutien scolaire du soir", "Local jeunes ouvert le week-end", "Atelier numérique pour les seniors",
          "Médiation sociale de proximité", "Sport au féminin", "Jardin partagé du quartier",
          "Permanence d'accès aux droits", "Chantier éducatif d'été", "Café des parents", "Théâtre forum",
          "Accompagnement vers l'emploi des femmes", "Sorties culturelles en famille"]


# --- Reference data ----------------------------------------------------------------------------------------------


def _csv(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def unique_codes(contracts: list[dict[str, str]]) -> list[dict[str, str]]:
    """The list as read, a repeated code_cv (CN98701M and CV428 appear twice in the 2024 list) suffixed -2, -3…"""
    seen: dict[str, int] = defaultdict(int)
    out = []
    for row in contracts:
        seen[row["code_cv"]] += 1
        n = seen[row["code_cv"]]
        out.append(row if n == 1 else {**row, "code_cv": f"{row['code_cv']}-{n}"})
    return out


def attach_qpvs(contracts: list[dict[str, str]], qpvs: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """code_cv → its QPV rows. The one place that decides which QPV belongs to which contract.

    Until the real mapping (QPV → communes → EPCI → contract, the **ref** part) lands, the QPVs of a department are
    dealt round-robin to the contracts of that department; a contract left without any takes one from the
    department's contract holding most; a QPV of a department without a contract goes to the smallest contract."""
    by_dep: dict[str, list[str]] = defaultdict(list)
    for c in sorted(contracts, key=lambda r: r["code_cv"]):
        by_dep[c["insee_dep"]].append(c["code_cv"])
    out: dict[str, list[dict[str, str]]] = {c["code_cv"]: [] for c in contracts}
    dep_counter: dict[str, int] = defaultdict(int)
    for q in sorted(qpvs, key=lambda r: r["code_qp"]):
        codes = by_dep.get(q["insee_dep"])
        if codes:
            out[codes[dep_counter[q["insee_dep"]] % len(codes)]].append(q)
            dep_counter[q["insee_dep"]] += 1
        else:
            out[min(out, key=lambda k: len(out[k]))].append(q)
    for codes in by_dep.values():
        for code in codes:
            if out[code]:
                continue
            richest = max(codes, key=lambda k: len(out[k]))
            if len(out[richest]) > 1:
                out[code].append(out[richest].pop())
    return out


def pick_contracts(contracts: list[dict[str, str]], scale: float, only: str | None) -> list[dict[str, str]]:
    ordered = sorted(contracts, key=lambda r: r["code_cv"])
    if only:
        chosen = [c for c in ordered if c["code_cv"] == only]
        if not chosen:
            raise SystemExit(f"Contrat de ville inconnu : {only}")
        return chosen
    if scale >= 1:
        return ordered
    n = max(1, round(len(ordered) * scale))
    step = len(ordered) / n
    return [ordered[int(i * step)] for i in range(n)]


def applications_per_call(contracts: list[dict[str, str]]) -> dict[str, int]:
    """Applications of each contract's yearly call at national size: 25,000 spread by QPV population."""
    pop = {c["code_cv"]: max(int(c["pop"] or 0), 1000) for c in contracts}
    total = sum(pop.values())
    return {code: max(3, round(APPLICATIONS_PER_YEAR * p / total)) for code, p in pop.items()}


# --- Database ----------------------------------------------------------------------------------------------------


def database_url(db: str) -> str:
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{db}"


def recreate_postgres(db: str) -> None:
    if db.startswith("test") or "test_" in db:
        raise SystemExit("Refus : ce nom ressemble à une base de test.")
    args = ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]
    subprocess.run(["dropdb", *args, "--if-exists", "--force", db], check=True)
    subprocess.run(["createdb", *args, db], check=True)


def setup_django(url: str, *, migrate: bool) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartiers.config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("DEBUG", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def _bulk(model, rows: Iterable, batch: int = BATCH) -> list:
    return model.objects.bulk_create(list(rows), batch_size=batch)


def _siret(n: int) -> str:
    from stdnum import luhn

    base = f"7{n:07d}"
    siren = base + luhn.calc_check_digit(base)
    nic = f"{n % 10000:04d}"
    return f"{siren}{nic}{luhn.calc_check_digit(siren + nic)}"


def _epci_siret(siren: str, n: int) -> str:
    from stdnum import luhn

    if len(siren) != 9 or not siren.isdigit():
        return _siret(900_000 + n)
    candidate = siren + "0001"
    return candidate + luhn.calc_check_digit(candidate)


# --- Frameworks ---------------------------------------------------------------------------------------------------


def objective_pool():
    """(theme title, canonical theme, objective) of the seed annex (62 objectives): the texts frameworks draw from,
    so that the sentence vectors are shared across contracts (the matchers' embedding cache)."""
    sys.path.insert(0, str(ROOT))
    from eval.seed import load_seed

    seed, _ = load_seed()
    pool = []
    for theme in seed.themes:
        for o in theme.objectives:
            pool.append((theme.title, theme.canonical_theme, o))
    return pool


def framework_of(contract_row: dict[str, str], qpvs: list[dict[str, str]], pool, rng: random.Random):
    from quartiers.engine.framework import Framework, Neighbourhood, Theme

    by_theme: dict[tuple[str, str], list] = defaultdict(list)
    for title, canonical, o in pool:
        by_theme[(title, canonical)].append(o)
    theme_keys = sorted(by_theme)
    hoods = []
    for q in qpvs:
        themes = []
        for title, canonical in rng.sample(theme_keys, min(len(theme_keys), rng.randint(3, 4))):
            objs = by_theme[(title, canonical)]
            picked = rng.sample(objs, min(len(objs), rng.randint(2, 4)))
            themes.append(Theme(title=title, canonical_theme=canonical, objectives=tuple(picked)))
        commune = q["lib_com"].split(";")[0]
        hoods.append(Neighbourhood(name=q["lib_qp"], commune=commune, code=q["code_qp"],
                                   heading=f"Projet de quartier / Commune de {commune} Quartier prioritaire "
                                           f"« {q['lib_qp']} » ({q['code_qp']})", themes=tuple(themes)))
    return Framework(neighbourhoods=tuple(hoods), title=f"Annexe 1 — {contract_row['lib_cv']}")


# --- Applications -------------------------------------------------------------------------------------------------


def content_of(*, title: str, code: str, objective, funders: list, year: int, amounts: list[Decimal]) -> dict:
    """A complete Cerfa content (schema format): an evening youth action in QPV ``code`` claiming ``objective``."""
    subsidies = [{"funder": f.code, "amount": f"{a:.2f}"} for f, a in zip(funders, amounts, strict=True)]
    asked = sum(amounts, Decimal(0))
    total = Decimal(20000) + asked
    own = total - Decimal(2000) - asked
    return {
        "title": title,
        "need": "Les adolescents du quartier n'ont aucun lieu ouvert le soir ni le week-end.",
        "objectives": "Ouvrir un accueil encadré en soirée et construire le programme avec les jeunes.",
        "description": ("Ouverture du local le vendredi soir : activités sportives et culturelles pour les "
                        "adolescents, sorties, projets portés par les jeunes."),
        "activities": ["Accueil du vendredi soir", "Projets de jeunes"],
        "audience": [{"sex": "female", "age_band": "11-14", "count": 12, "qpv_count": 9},
                     {"sex": "male", "age_band": "15-17", "count": 14, "qpv_count": 10}],
        "neighbourhoods": [code],
        "places": ["Local jeunes du quartier"],
        "schedule": [{"kind": "evening", "weekday": "friday", "start": "18:00", "end": "21:00"}],
        "start_date": f"{year}-01-08", "end_date": f"{year}-12-17", "renewal": False,
        "partners": ["Mission locale"], "means": "Un animateur à mi-temps, deux bénévoles.",
        "indicators": [{"name": "Jeunes accueillis", "target": "26"}],
        "cer": {"attested": True, "signatory": "Nadia Benali", "signed_on": f"{year - 1}-11-20"},
        "budget": {"charges": {"60": "2000.00", "62": f"{total - 17000:.2f}", "64": "15000.00"},
                   "income": {"70": "2000.00", "74": subsidies, "75": f"{own:.2f}"}},
        "requested": [dict(s) for s in subsidies],
        "claimed_objectives": [{"key": objective.key, "text": objective.text, "neighbourhood": code}],
        "submitted_at": None, "documents": [],
    }


def _status_list(n: int, year: int, rng: random.Random) -> list[str]:
    mix = STATUS_MIX[year]
    out: list[str] = []
    for status, share in mix.items():
        out += [status] * round(n * share)
    while len(out) < n:
        out.append(next(iter(mix)))
    out = out[:n]
    rng.shuffle(out)
    return out


class Builder:
    """Writes one contract after another; keeps the counters and the bench's landmarks."""

    def __init__(self, rng: random.Random, password_hash: str) -> None:
        self.rng = rng
        self.password_hash = password_hash
        self.users = 0
        self.orgs = 0
        self.rows = defaultdict(int)

    def user(self, email: str, **extra):
        from django.contrib.auth import get_user_model

        self.users += 1
        return get_user_model()(username=email, email=email, password=self.password_hash, first_name="Prénom",
                                last_name=f"Banc{self.users}", **extra)

    def contract(self, row: dict[str, str], qpvs: list[dict[str, str]], per_call: int, pool) -> dict:
        from django.contrib.auth import get_user_model
        from django.db import transaction

        from quartiers.applications.models import Membership, Organisation, Role
        from quartiers.calls.models import Funder
        from quartiers.frameworks.models import Objective
        from quartiers.frameworks.services import framework_store, version_publish
        from quartiers.reviews.models import ContractMember, ContractRole
        from quartiers.territories.models import Contract, Neighbourhood

        rng = self.rng
        code = row["code_cv"]
        slug = code.lower()
        User = get_user_model()
        with transaction.atomic():
            contract = Contract.objects.create(slug=slug, name=row["lib_cv"][5:] if row["lib_cv"][2:5] == " - "
                                               else row["lib_cv"], code=code, lead_siren=row["siren_epci"],
                                               department=row["insee_dep"])
            Neighbourhood.objects.filter(code__in=[q["code_qp"] for q in qpvs]).update(contract=contract)
            landmarks: dict = {"contract": slug, "code": code, "qpv": [q["code_qp"] for q in qpvs]}
            if not qpvs:
                return landmarks
            fw = framework_of(row, qpvs, pool, rng)
            version = framework_store(contract=contract, framework=fw, source_name=f"annexe-1-{slug}.txt",
                                      source_bytes=f"Annexe synthétique {code}".encode(), source_text="")
            version = version_publish(version=version)
            self.rows["objectives"] += sum(len(t.objectives) for n in fw.neighbourhoods for t in n.themes)
            objectives = defaultdict(list)
            for o in Objective.objects.filter(theme__section__version=version).select_related(
                    "theme__section__neighbourhood"):
                objectives[o.theme.section.neighbourhood.code].append(o)
            hoods = list(Neighbourhood.objects.filter(contract=contract))
            # funders: the State (BOP 147), the EPCI, the main commune
            funders = _bulk(Funder, [
                Funder(contract=contract, kind="etat_bop147", name=f"Préfecture ({row['insee_dep']}) — BOP 147",
                       siret=STATE_SIRET),
                Funder(contract=contract, kind="epci", name=contract.name, siret=_epci_siret(row["siren_epci"],
                                                                                            len(qpvs))),
                Funder(contract=contract, kind="commune", name=f"Commune de {qpvs[0]['lib_com'].split(';')[0]}",
                       siret=_siret(self.users + 1)),
            ])
            staff = _bulk(User, [self.user(f"cheffe.{slug}@bench.example.org", is_staff=True),
                                 self.user(f"instructeur.{slug}@bench.example.org", is_staff=True),
                                 self.user(f"financeur.{slug}@bench.example.org")])
            _bulk(ContractMember, [
                ContractMember(contract=contract, user=staff[0], role=ContractRole.PROJECT_LEAD),
                ContractMember(contract=contract, user=staff[1], role=ContractRole.REVIEWER),
                ContractMember(contract=contract, user=staff[2], role=ContractRole.FUNDER, funder=funders[0]),
            ])
            lead, reviewer = staff[0], staff[1]
            landmarks.update(lead=lead.email, reviewer=reviewer.email, applications=per_call)
            # organisations: about one for three applications a year, each applying every year
            n_orgs = max(1, per_call // 3)
            admins = _bulk(User, [self.user(f"asso{self.orgs + i + 1}@bench.example.org") for i in range(n_orgs)])
            orgs = _bulk(Organisation, [
                Organisation(legal_name=f"Association n° {self.orgs + i + 1} des quartiers",
                             siret=_siret(self.orgs + i + 1), rna=f"W{self.orgs + i + 1:09d}", street="1 rue haute",
                             postcode="30100", commune=qpvs[0]["lib_com"].split(";")[0],
                             representative_name=f"Présidente {self.orgs + i + 1}")
                for i in range(n_orgs)])
            self.orgs += n_orgs
            _bulk(Membership, [Membership(organisation=o, user=u, role=Role.ADMINISTRATOR)
                               for o, u in zip(orgs, admins, strict=True)])
            for year in YEARS:
                self._call(contract, version, hoods, funders, orgs, admins, lead, reviewer, objectives, year,
                           per_call, landmarks)
        return landmarks

    def _call(self, contract, version, hoods, funders, orgs, admins, lead, reviewer, objectives, year: int, n: int,
              landmarks: dict) -> None:
        """One yearly call of the contract and its ``n`` applications, each brought to its status."""
        from django.utils import timezone

        from quartiers.applications.models import (
            Application,
            ApplicationTransition,
            ClaimedObjective,
            FundingRequest,
            ReferenceCounter,
        )
        from quartiers.calls.models import Call, CallFunder, CallStatus, CallTransition
        from quartiers.reviews.models import (
            Admissibility,
            AgendaItem,
            Assessment,
            CommitteeSession,
            ConfirmedMatch,
            Decision,
            Opinion,
            Outcome,
            SessionStatus,
        )

        rng = self.rng
        now = timezone.now()
        if year == 2027:
            opens, closes, status = now - timedelta(days=20), now + timedelta(days=2), CallStatus.OPEN
        else:
            opens = datetime(year - 1, 10, 1, 9, tzinfo=PARIS)
            closes, status = datetime(year - 1, 12, 15, 12, tzinfo=PARIS), CallStatus.CLOSED
        call = Call.objects.create(contract=contract, framework_version=version, slug=f"{contract.slug}-{year}",
                                   title=f"Appel à projets {year} — {contract.name}"[:300], year=year,
                                   opens_at=opens, closes_at=closes, status=status,
                                   description="Appel à projets annuel du contrat de ville.")
        call.neighbourhoods.set(hoods)
        envelopes = (Decimal(40 * n * 100), Decimal(25 * n * 100), Decimal(10 * n * 100))
        _bulk(CallFunder, [CallFunder(call=call, funder=f, envelope=e) for f, e in zip(funders, envelopes,
                                                                                         strict=True)])
        moves = [CallTransition(call=call, from_status="", to_status="draft", why="création"),
                 CallTransition(call=call, from_status="draft", to_status="open", why="Ouverture")]
        if status == CallStatus.CLOSED:
            moves.append(CallTransition(call=call, from_status="open", to_status="closed", why="Clôture"))
        _bulk(CallTransition, moves)
        statuses = _status_list(n, year, rng)
        codes = list(objectives)
        apps, contents = [], []
        ref = 0
        for i, st in enumerate(statuses):
            org_i = i % len(orgs)
            code = codes[rng.randrange(len(codes))]
            objective = objectives[code][rng.randrange(len(objectives[code]))]
            asked = [Decimal(rng.randrange(2, 16) * 500), Decimal(rng.randrange(2, 10) * 500)]
            title = f"{TITLES[rng.randrange(len(TITLES))]} n° {i + 1}"
            content = content_of(title=title, code=code, objective=objective, funders=funders[:2], year=year,
                                 amounts=asked)
            submitted = st != "draft"
            at = opens + timedelta(minutes=rng.randrange(int((min(closes, now) - opens).total_seconds() // 60)))
            if submitted:
                ref += 1
                content["submitted_at"] = at.isoformat()
            warnings = rng.random() < 0.3
            findings = ([{"code": "INDICATOR_MISSING", "severity": "warning", "field": "indicators",
                          "message": "Aucun indicateur chiffré : précisez-en au moins un."}] if warnings else [])
            apps.append(Application(
                call=call, organisation=orgs[org_i], status=st, reference=f"{call.slug.upper()}-{ref:04d}"
                if submitted else None, title=title, content=content, total_budget=Decimal(20000) + sum(asked),
                requested_total=sum(asked), neighbourhood_codes=f",{code},", beneficiaries=26, beneficiaries_qpv=19,
                findings=findings, findings_warnings=len(findings), submitted_at=at if submitted else None,
                submitted_by=admins[org_i] if submitted else None, created_by=admins[org_i]))
            contents.append((objective, code, asked))
        apps = _bulk(Application, apps, 1000)
        if ref:
            ReferenceCounter.objects.create(call=call, last_number=ref)
        requests, claimed, moves, admiss, confirmed, assessments = [], [], [], [], [], []
        voted = []
        for a, (objective, code, asked) in zip(apps, contents, strict=True):
            requests += [FundingRequest(application=a, funder_code=f.code, funder=f, amount=amt)
                         for f, amt in zip(funders[:2], asked, strict=True)]
            claimed.append(ClaimedObjective(application=a, objective_key=objective.key, text=objective.text,
                                            neighbourhood_code=code))
            path = PATHS[a.status]
            by = {"draft": a.created_by_id, "submitted": a.submitted_by_id, "withdrawn": a.submitted_by_id}
            moves += [ApplicationTransition(application=a, from_status=path[k - 1] if k else "", to_status=s,
                                            by_id=by.get(s, reviewer.pk if s != "decided" and s != "refused"
                                                         else lead.pk), why=WHY[s])
                      for k, s in enumerate(path)]
            if "inadmissible" in path:
                admiss.append(Admissibility(application=a, admissible=False, by=reviewer,
                                            reason="Action sur le temps scolaire : elle relève du droit commun."))
            elif "admissible" in path:
                admiss.append(Admissibility(application=a, admissible=True, by=reviewer))
            if "reviewed" in path:
                confirmed.append(ConfirmedMatch(application=a, objective=objective, objective_key=objective.key,
                                                neighbourhood_code=code, confirmed_by=reviewer, suggested_rank=1,
                                                suggested_score=0.61))
                refused = a.status == "refused"
                assessments += [Assessment(application=a, funder=f, opinion=Opinion.UNFAVOURABLE if refused
                                           else Opinion.FAVOURABLE, proposed_amount=None if refused else amt,
                                           comment="Action pertinente pour le quartier.", version=1,
                                           updated_by=reviewer)
                                for f, amt in zip(funders[:2], asked, strict=True)]
            if a.status in ("decided", "refused", "reviewed") and year != 2027:
                voted.append((a, asked))
        for model, rows in ((FundingRequest, requests), (ClaimedObjective, claimed),
                            (ApplicationTransition, moves), (Admissibility, admiss), (ConfirmedMatch, confirmed),
                            (Assessment, assessments)):
            _bulk(model, rows)
            self.rows[model.__name__] += len(rows)
        self.rows["Application"] += len(apps)
        if voted:
            closed = SessionStatus.CLOSED if year == 2025 else SessionStatus.OPEN
            session = CommitteeSession.objects.create(call=call, title="Comité de programmation",
                                                      date=date(year, 3, 15), place="Hôtel de ville",
                                                      status=closed)
            _bulk(AgendaItem, [AgendaItem(session=session, application=a, position=k + 1)
                               for k, (a, _) in enumerate(voted)])
            decisions = []
            for a, asked in voted:
                if a.status == "reviewed":
                    continue
                for f, amt in zip(funders[:2], asked, strict=True):
                    if a.status == "decided":
                        decisions.append(Decision(application=a, funder=f, session=session, outcome=Outcome.GRANTED,
                                                  amount=amt, decided_on=session.date, decided_by=lead,
                                                  notified_at=timezone.now() if year == 2025 else None))
                    else:
                        decisions.append(Decision(application=a, funder=f, session=session, outcome=Outcome.REFUSED,
                                                  reason="Action déjà financée par le droit commun.",
                                                  decided_on=session.date, decided_by=lead))
            _bulk(Decision, decisions)
            self.rows["Decision"] += len(decisions)
            self.rows["AgendaItem"] += len(voted)
        if year == 2026:
            landmarks["queue_call"] = call.slug
            landmarks["decided"] = next((a.pk for a in apps if a.status == "decided"), None)
        if year == 2027:
            landmarks["open_call"] = call.slug
            drafts = [(a, orgs.index(a.organisation)) for a in apps[:200] if a.status == "draft"]
            if drafts:
                a, k = drafts[0]
                landmarks["draft"] = a.pk
                landmarks["applicant"] = admins[k].email
                landmarks["draft_qpv"] = a.neighbourhood_codes.strip(",")
                landmarks["draft_objective"] = f"{contents[apps.index(a)][0].key}|{landmarks['draft_qpv']}"


def load_territories(qpvs: list[dict[str, str]]) -> None:
    """Every QPV of the list (1,584) and its communes, attached to no contract yet."""
    from quartiers.territories.models import Commune, Neighbourhood

    communes: dict[str, str] = {}
    for q in qpvs:
        for insee, name in zip(q["insee_com"].split(";"), q["lib_com"].split(";"), strict=False):
            communes.setdefault(insee, name)
    made = {c.insee_code: c for c in _bulk(Commune, [Commune(insee_code=k, name=v, department=k[:2])
                                                    for k, v in sorted(communes.items())])}
    hoods = _bulk(Neighbourhood, [Neighbourhood(code=q["code_qp"], name=q["lib_qp"],
                                                department=q["insee_dep"].zfill(2)) for q in qpvs])
    through = Neighbourhood.communes.through
    _bulk(through, [through(neighbourhood_id=n.pk, commune_id=made[insee].pk)
                    for n, q in zip(hoods, qpvs, strict=True) for insee in q["insee_com"].split(";")])


def build(*, scale: float, only: str | None, seed: int = 2030) -> dict:
    from django.contrib.auth.hashers import make_password

    rng = random.Random(seed)
    contracts = unique_codes(_csv("contrats_de_ville_2024.csv"))
    qpvs = _csv("qpv_2024_france.csv")
    attached = attach_qpvs(contracts, qpvs)
    sizes = applications_per_call(contracts)
    chosen = pick_contracts(contracts, scale, only)
    t0 = time.perf_counter()
    load_territories(qpvs)
    pool = objective_pool()
    builder = Builder(rng, make_password(PASSWORD))
    wanted = max(3, round(TARGET_QUEUE * min(scale, 1.0)))
    target = min((c for c in chosen if attached[c["code_cv"]]), key=lambda c: abs(sizes[c["code_cv"]] - wanted))
    sizes[target["code_cv"]] = wanted  # the bench contract: exactly 1,000 applications a year at national size
    done = {}
    for k, row in enumerate(chosen, 1):
        done[row["code_cv"]] = builder.contract(row, attached[row["code_cv"]], sizes[row["code_cv"]], pool)
        if k % 25 == 0 or k == len(chosen):
            print(f"  {k}/{len(chosen)} contrats, {builder.rows['Application']:,} demandes, "
                  f"{time.perf_counter() - t0:.0f} s", flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return {"scale": scale, "only": only, "contracts": len(chosen), "qpv": sum(len(attached[c["code_cv"]])
                                                                               for c in chosen),
            "users": builder.users, "organisations": builder.orgs, "rows": dict(builder.rows),
            "seconds": round(time.perf_counter() - t0, 1), "target": done[target["code_cv"]], "password": PASSWORD}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = 448 contrats, 3 × 25 000 demandes")
    ap.add_argument("--db", default="quartiers_bench", help="base PostgreSQL (supprimée puis recréée)")
    ap.add_argument("--only", metavar="CODE_CV", help="un seul contrat, avec ses demandes de taille nationale")
    ap.add_argument("--sqlite", metavar="PATH", help="une base SQLite à ce chemin au lieu de PostgreSQL")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    if a.sqlite:
        Path(a.sqlite).unlink(missing_ok=True)
        url, name = f"sqlite:///{Path(a.sqlite).resolve()}", Path(a.sqlite).stem
    else:
        recreate_postgres(a.db)
        url, name = database_url(a.db), a.db
    setup_django(url, migrate=True)
    migrated = time.perf_counter() - t0
    print(f"base {name} créée et migrée en {migrated:.0f} s", flush=True)
    summary = build(scale=a.scale, only=a.only)
    summary.update(database_url=url, migrate_seconds=round(migrated, 1),
                   total_seconds=round(time.perf_counter() - t0, 1), built_at=datetime.now(PARIS).isoformat())
    out = ROOT / "var" / "bench" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"→ {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
