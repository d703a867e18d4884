"""Benchmark of the programme page and its exports with many applications in one call.

    .venv/bin/python bench/bench_programme.py [--runs 7] [--sizes 500,1000,5000] [--keep]

Sets up its own SQLite database in a temporary folder (never var/quartiers.sqlite3), migrates it, loads a contract
with two QPVs, a small published framework, a closed call with three funders and a project lead, then grows the
call to each size with ``bulk_create``: applications across the review statuses (one in ten withdrawn or
inadmissible), two funding requests each, an assessment per request, a decision for the decided and refused ones
(grants above 23,000 € now and then) and a confirmed match for one in two. For each size it requests, through
Django's test Client, the programme page, the page filtered on one funder, and the XLSX export; it prints the
median and max response time over the runs, the median CPU time (steadier on a shared machine) and the number
of SQL queries of each request, and the time of the XLSX, ODS and CSV files built from the lines. Not run by the test suite; figures go to docs/programme.md.

The spec: with 5,000 applications, the programme page takes ≤ 20 queries and responds well under a second.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from bench_review_queue import measure, setup_django  # the script's folder is on sys.path

PARIS = ZoneInfo("Europe/Paris")
CODES = ("QN03001I", "QN03002M")
FUNDERS = (("etat_bop147", "Préfecture du Gard (BOP 147)", "17300001900013"),
           ("epci", "Alès Agglomération", "20006691800018"),
           ("commune", "Commune d'Anduze", "21300007800013"))
TITLES = ["Soutien scolaire du soir", "Local jeunes", "Atelier numérique", "Médiation sociale", "Sport au féminin",
          "Jardin partagé", "Permanence d'accès aux droits", "Chantier éducatif", "Café des parents"]


def framework() -> dict:
    return {"title": "Annexe synthétique", "warnings": [], "neighbourhoods": [
        {"name": f"Quartier {code}", "commune": commune, "code": code, "source_lines": [1, 2], "themes": [
            {"title": title, "canonical_theme": canonical, "source_lines": [1, 2], "constraints": [],
             "objectives": [{"text": f"{title} : objectif {i} ({commune}).", "label": f"{title} {i} ({commune})",
                             "source_lines": [1, 1]} for i in range(1, 5)]}
            for title, canonical in (("Réussite éducative", "education"), ("Jeunesse", "youth"))]}
        for code, commune in zip(CODES, ("Alès", "Anduze"), strict=True)]}


def base():
    """Contract, QPVs, framework, call, funders, the project lead; returns (call, funders, objectives, lead)."""
    from django.contrib.auth import get_user_model

    from quartiers.calls.models import Call, CallFunder, CallStatus, Funder
    from quartiers.engine.framework import framework_from_dict
    from quartiers.frameworks.models import Objective
    from quartiers.frameworks.services import framework_store, version_publish
    from quartiers.reviews.models import ContractMember, ContractRole
    from quartiers.territories.models import Contract
    from quartiers.territories.services import neighbourhoods_load

    contract = Contract.objects.create(slug="ales", name="Contrat de ville d'Alès")
    neighbourhoods_load(codes=CODES, contract=contract)
    version = version_publish(version=framework_store(contract=contract, framework=framework_from_dict(framework()),
                                                      source_name="annexe.txt", source_bytes=b"a", source_text="a"))
    call = Call.objects.create(contract=contract, framework_version=version, slug="ales-2027", title="AAP 2027",
                               year=2027, status=CallStatus.CLOSED, opens_at=datetime(2026, 10, 1, tzinfo=PARIS),
                               closes_at=datetime(2027, 1, 15, 12, tzinfo=PARIS))
    funders = []
    for kind, name, siret in FUNDERS:
        funder = Funder.objects.create(contract=contract, kind=kind, name=name, siret=siret)
        CallFunder.objects.create(call=call, funder=funder, envelope=Decimal("500000"))
        funders.append(funder)
    lead = get_user_model().objects.create_user(username="cheffe", password="x")
    ContractMember.objects.create(contract=contract, user=lead, role=ContractRole.PROJECT_LEAD)
    return call, funders, list(Objective.objects.filter(theme__section__version=version)), lead


def grow(call, funders, objectives, start: int, stop: int) -> None:
    """Applications number ``start`` to ``stop - 1``, with their requests, assessments, decisions, matches."""
    from quartiers.applications.models import Application, FundingRequest, Organisation, Status
    from quartiers.reviews.models import Assessment, ConfirmedMatch, Decision, Opinion, Outcome

    statuses = [Status.SUBMITTED, Status.ADMISSIBLE, Status.REVIEWED, Status.REVIEWED, Status.DECIDED,
                Status.DECIDED, Status.DECIDED, Status.REFUSED, Status.WITHDRAWN, Status.INADMISSIBLE]
    orgs = Organisation.objects.bulk_create(
        Organisation(legal_name=f"Association n° {n}", siret=f"{90000000000000 + n}", rna=f"W30{n:07d}",
                     street="1 rue", postcode="30100", commune="Alès", representative_name="Camille Martin")
        for n in range(start, stop))
    apps = Application.objects.bulk_create(
        Application(call=call, organisation=org, status=statuses[n % 10], reference=f"2027-{n:05d}",
                    title=f"{TITLES[n % len(TITLES)]} n° {n}", renewal=n % 3 == 0,
                    neighbourhood_codes="," + ",".join(CODES[: 1 + n % 2]) + ",",
                    total_budget=Decimal(8000 + 37 * n % 60000), beneficiaries=20 + n % 80,
                    beneficiaries_qpv=10 + n % 40, content={"application": {"title": "x" * 2000}})
        for n, org in zip(range(start, stop), orgs, strict=True))
    requests, assessments, decisions, matches = [], [], [], []
    for n, app in zip(range(start, stop), apps, strict=True):
        pair = (funders[n % 2], funders[2]) if n % 4 else (funders[0], funders[1])
        for i, funder in enumerate(pair):
            amount = Decimal(3000 + (n * 97 + i * 1300) % 28000)
            requests.append(FundingRequest(application=app, funder=funder, funder_code=funder.code, amount=amount))
            if app.status in (Status.REVIEWED, Status.DECIDED, Status.REFUSED):
                assessments.append(Assessment(application=app, funder=funder, opinion=list(Opinion)[n % 5],
                                              proposed_amount=amount - 500 if n % 2 else None))
            if app.status in (Status.DECIDED, Status.REFUSED):
                granted = app.status == Status.DECIDED and (n + i) % 3 != 0
                decisions.append(Decision(application=app, funder=funder, decided_on=date(2027, 3, 15),
                                          outcome=Outcome.GRANTED if granted else Outcome.REFUSED,
                                          amount=amount if granted else Decimal(0)))
        if n % 2:
            objective = objectives[n % len(objectives)]
            matches.append(ConfirmedMatch(application=app, objective=objective, objective_key=objective.key,
                                          neighbourhood_code=CODES[0], is_primary=True))
    FundingRequest.objects.bulk_create(requests, batch_size=2000)
    Assessment.objects.bulk_create(assessments, batch_size=2000)
    Decision.objects.bulk_create(decisions, batch_size=2000)
    ConfirmedMatch.objects.bulk_create(matches, batch_size=2000)


def timed(fn, runs: int) -> float:
    """Median wall time (s) of fn()."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cpu(fn, runs: int) -> float:
    """Median CPU time (s) of fn() in this process: steadier than wall time on a machine shared with other work
    (the test Client runs the whole request in this process)."""
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="500,1000,5000")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-programme-"))
    try:
        setup_django(folder)  # the review queue benchmark's: SQLite in the folder, migrated
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from quartiers.programme.exports import programme_file
        from quartiers.programme.selectors import programme

        setup_test_environment()
        call, funders, objectives, lead = base()
        client = Client()
        client.force_login(lead)
        page = reverse("programme:table", args=[call.slug])
        xlsx = reverse("programme:export", args=[call.slug, "xlsx"])
        print(f"{'applications':>12} {'lines':>6} | {'request':<22} {'median':>8} {'max':>8} {'cpu':>8} {'queries':>7} {'kB':>7}")
        done = 0
        for size in (int(s) for s in args.sizes.split(",")):
            grow(call, funders, objectives, done, size)
            done = size
            lines = programme(call).total.lines
            for label, url, runs in (("page", page, args.runs),
                                     ("page, one funder", f"{page}?financeur={funders[0].pk}", args.runs),
                                     ("XLSX export", xlsx, max(3, args.runs // 2))):
                median, worst, queries, size_bytes = measure(client, url, runs)
                cpu_ms = cpu(partial(client.get, url), runs) * 1000
                print(f"{size:>12} {lines:>6} | {label:<22} {median:>6.0f}ms {worst:>6.0f}ms {cpu_ms:>6.0f}ms "
                      f"{queries:>7} {size_bytes / 1024:>7.0f}")
            rows = timed(partial(programme, call), args.runs)
            data = programme(call)
            exports = {fmt: timed(partial(programme_file, data, fmt), 3) for fmt in ("xlsx", "ods", "csv")}
            print(f"{'':>12} {'':>6} | rows only {rows * 1000:.0f}ms; files from the rows: "
                  + ", ".join(f"{fmt} {t * 1000:.0f}ms" for fmt, t in exports.items()))
    finally:
        if args.keep:
            print(f"database kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
