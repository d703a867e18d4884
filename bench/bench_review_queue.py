"""Benchmark of the review queue page (and its CSV export) with many applications in one call.

    .venv/bin/python bench/bench_review_queue.py [--runs 7] [--sizes 500,1000,5000] [--keep]

Sets up its own SQLite database in a temporary folder (never var/quartiers.sqlite3), migrates it, loads a contract
with two QPVs, a published framework, a closed call with two funders, a reviewer, and then grows the call to each
size with ``bulk_create`` (applications across every review status, two funding requests and one claimed objective
each, a confirmed match for one in three, an assessment for one in two, a few conflicts of interest). For each size
it requests, through Django's test Client, the queue page unfiltered, the queue page with five filters and a sort,
page 10 of the queue, and the CSV export of every application with all columns; it prints the median and max
response time over the runs and the number of SQL queries of each request. Not run by the test suite.

The spec: with 5,000 applications, the queue page takes ≤ 20 queries and responds well under a second.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
PARIS = ZoneInfo("Europe/Paris")
ALES, ANDUZE = "QN03001I", "QN03002M"
STATUSES = ["submitted", "admissible", "reviewed", "decided", "refused", "inadmissible", "withdrawn"]
WORDS = ["Soutien scolaire", "Local jeunes", "Atelier numérique", "Médiation sociale", "Sport au féminin",
         "Jardin partagé", "Permanence d'accès aux droits", "Chantier éducatif", "Café des parents", "Théâtre forum"]


def _framework() -> dict:
    def hood(name, commune, code, themes):
        return {"name": name, "commune": commune, "code": code, "source_lines": [1, 2], "themes": [
            {"title": title, "canonical_theme": canonical, "source_lines": [1, 2], "constraints": [],
             "objectives": [{"text": f"{text} ({commune}, {i}).", "label": f"{text} ({commune}, {i})",
                             "source_lines": [1, 1]} for i in range(1, 6)]}
            for title, canonical, text in themes]}

    themes = [("Réussite éducative", "education", "Lutter contre le décrochage scolaire"),
              ("Jeunesse", "youth", "Accompagner les jeunes vers l'autonomie"),
              ("Emploi", "employment", "Accompagner les femmes vers l'emploi"),
              ("Lien social", "social_link", "Favoriser l'accès aux droits")]
    return {"title": "Annexe synthétique", "warnings": [],
            "neighbourhoods": [hood("Prés Saint-Jean", "Alès", ALES, themes), hood("Centre", "Anduze", ANDUZE, themes)]}


def setup_django(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartiers.config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = folder / "media"
    call_command("migrate", verbosity=0)


def base_data():
    """Contract, framework, call, funders, a reviewer; returns (call, funders, objectives, reviewer)."""
    from django.contrib.auth import get_user_model

    from quartiers.calls.models import Call, CallFunder, CallStatus, Funder
    from quartiers.engine.framework import framework_from_dict
    from quartiers.frameworks.models import Objective
    from quartiers.frameworks.services import framework_store, version_publish
    from quartiers.reviews.models import ContractMember, ContractRole
    from quartiers.territories.models import Contract
    from quartiers.territories.services import neighbourhoods_load

    contract = Contract.objects.create(slug="ales", name="Contrat de ville d'Alès", code="CN03001I")
    neighbourhoods_load(codes=[ALES, ANDUZE], contract=contract, short_names={ALES: "Alès", ANDUZE: "Anduze"})
    version = framework_store(contract=contract, framework=framework_from_dict(_framework()),
                              source_name="annexe.txt", source_bytes=b"annexe", source_text="annexe")
    version = version_publish(version=version)
    call = Call.objects.create(contract=contract, framework_version=version, slug="ales-2027", title="Appel 2027",
                               year=2027, status=CallStatus.CLOSED, opens_at=datetime(2026, 10, 1, tzinfo=PARIS),
                               closes_at=datetime(2027, 1, 15, 12, tzinfo=PARIS))
    call.neighbourhoods.set(contract.neighbourhoods.all())
    state = Funder.objects.create(contract=contract, kind="etat_bop147", name="Préfecture du Gard",
                                  siret="17300001900013")
    agglo = Funder.objects.create(contract=contract, kind="epci", name="Alès Agglomération", siret="20006691800018")
    for funder in (state, agglo):
        CallFunder.objects.create(call=call, funder=funder, envelope=Decimal(500000))
    reviewer = get_user_model().objects.create_user(username="instructrice@example.org",
                                                    email="instructrice@example.org", first_name="Claire",
                                                    last_name="Instructrice")
    ContractMember.objects.create(contract=contract, user=reviewer, role=ContractRole.REVIEWER)
    objectives = list(Objective.objects.filter(theme__section__version=version)
                      .select_related("theme__section__neighbourhood"))
    return call, (state, agglo), objectives, reviewer


def grow(call, funders, objectives, reviewer, start: int, stop: int) -> None:
    """Add applications number ``start`` to ``stop - 1`` with bulk_create."""
    from django.db import transaction

    from quartiers.applications.models import Application, ClaimedObjective, FundingRequest, Organisation
    from quartiers.reviews.models import Assessment, ConfirmedMatch, ConflictOfInterest

    with transaction.atomic():
        orgs = Organisation.objects.bulk_create([
            Organisation(legal_name=f"Association n° {i}", siret=f"9{i:013d}", street="1 rue", postcode="30100",
                         commune="Alès", representative_name="Présidente") for i in range(start, stop, 10)])
        apps = []
        for n, i in enumerate(range(start, stop)):
            codes = [ALES, ANDUZE][: 1 + i % 2] if i % 5 else [ANDUZE]
            requested = Decimal(1000 + (i * 37) % 20000)
            apps.append(Application(
                call=call, organisation=orgs[n // 10], status=STATUSES[i % len(STATUSES)],
                reference=f"AAP-2027-{i + 1:05d}", title=f"{WORDS[i % len(WORDS)]} — action {i + 1}",
                content={}, requested_total=requested, total_budget=requested * 2, renewal=i % 4 == 0,
                neighbourhood_codes="," + ",".join(codes) + ",", findings_blocking=int(i % 6 == 0),
                findings_warnings=i % 3, submitted_at=datetime(2026, 12, 1, tzinfo=PARIS) + timedelta(minutes=i)))
        apps = Application.objects.bulk_create(apps)
        state, agglo = funders
        FundingRequest.objects.bulk_create(
            [FundingRequest(application=a, funder=f, funder_code=f.code, amount=a.requested_total / 2)
             for a in apps for f in (state, agglo)])
        claimed, confirmed, assessments, conflicts = [], [], [], []
        for i, a in zip(range(start, stop), apps, strict=True):
            o = objectives[i % len(objectives)]
            code = o.theme.section.neighbourhood.code
            claimed.append(ClaimedObjective(application=a, objective_key=o.key, text=o.text, neighbourhood_code=code))
            if i % 3 == 0:
                confirmed.append(ConfirmedMatch(application=a, objective=o, objective_key=o.key,
                                                neighbourhood_code=code))
            if i % 2 == 0:
                assessments.append(Assessment(application=a, funder=state, opinion="favourable",
                                              proposed_amount=a.requested_total / 3))
            if i % 250 == 0:
                conflicts.append(ConflictOfInterest(application=a, user=reviewer))
        ClaimedObjective.objects.bulk_create(claimed)
        ConfirmedMatch.objects.bulk_create(confirmed)
        Assessment.objects.bulk_create(assessments)
        ConflictOfInterest.objects.bulk_create(conflicts)


def measure(client, url: str, runs: int) -> tuple[float, float, int, int]:
    """(median ms, max ms, queries, bytes) of GET url, after one warm-up request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times), len(ctx.captured_queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="500,1000,5000")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and print its path")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))

    folder = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    try:
        setup_django(folder)
        from django.test import Client
        from django.urls import reverse

        from quartiers.reviews.queue.forms import csv_columns

        call, funders, objectives, reviewer = base_data()
        client = Client()
        client.force_login(reviewer)
        queue = reverse("reviews:queue", args=[call.slug])
        columns = "&".join(f"colonnes={k}" for k, _ in csv_columns(funders))
        youth = "theme=youth"
        requests = [
            ("file d'attente, sans filtre", queue),
            ("5 filtres + tri par montant décroissant",
             f"{queue}?quartier={ANDUZE}&{youth}&financeur={funders[1].pk}&constats=avertissements"
             "&montant_min=2+000&tri=montant&ordre=desc"),
            ("recherche libre « jeunes », tri par structure", f"{queue}?q=jeunes&tri=structure"),
            ("page 10, tri par statut", f"{queue}?tri=statut&page=10"),
            ("export CSV, toutes les colonnes", reverse("reviews:queue_csv", args=[call.slug]) + "?" + columns),
        ]
        print(f"Review queue benchmark — SQLite in {folder}, {args.runs} runs per request (median / max)")
        print(f"{'applications':>12} | {'request':<45} | {'median ms':>9} | {'max ms':>8} | {'queries':>7} | {'kB':>6}")
        print("-" * 104)
        done = 0
        for size in sizes:
            t0 = time.perf_counter()
            grow(call, funders, objectives, reviewer, done, size)
            done = size
            setup_s = time.perf_counter() - t0
            for label, url in requests:
                median, worst, queries, size_bytes = measure(client, url, args.runs)
                print(f"{size:>12} | {label:<45} | {median:>9.1f} | {worst:>8.1f} | {queries:>7} | "
                      f"{size_bytes / 1024:>6.0f}")
            print(f"{'':>12} | (data added in {setup_s:.1f} s)")
    finally:
        if args.keep:
            print(f"Database kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
