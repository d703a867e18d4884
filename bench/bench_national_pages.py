"""Every page a user meets, at national size and at one-contract size: query count and median time (warm).

    .venv/bin/python bench/national.py                          # once: the national database (quartiers_bench)
    .venv/bin/python bench/bench_national_pages.py [--runs 7] [--db quartiers_bench] [--one-db quartiers_bench_one]

Reads the landmarks ``bench/national.py`` wrote (var/bench/<db>.json: the contract whose 2026 call has about 1,000
applications, a decided application, a draft and its applicant), builds (or reuses, with ``--reuse-one``) the
one-contract database of that same contract at the same size with ``national.py --only``, then measures each page in
a fresh process per database through Django's test Client (DEBUG off): two warm-up requests, then ``--runs`` timed
ones. Prints a Markdown table: queries and median ms at both sizes, and their ratio. A page whose query count differs
between the two sizes is flagged. Not run by the test suite; the figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import national  # noqa: E402

PAGES = ["national home", "QPV page", "match page", "queue (1,000 applications)", "review page", "programme",
         "applicant edit page", "applicant autosave (POST)"]


def autosave_post(call, code: str, objective: str) -> dict:
    """The POST of the application form (what the page's htmx autosave sends): a youth action in ``code``."""
    funders = [cf.funder.code for cf in call.call_funders.select_related("funder").order_by("funder__kind")]
    data = {
        "title": "Les soirées et samedis du local jeunes",
        "need": "Les 12-17 ans du quartier n'ont aucun lieu ouvert le soir ni le week-end.",
        "objectives": "Ouvrir un accueil encadré en soirée et le samedi, construire le programme avec les jeunes.",
        "description": ("Ouverture du local jeunes le vendredi soir et le samedi après-midi : activités sportives "
                        "et culturelles pour les adolescents, sorties, projets portés par les jeunes."),
        "activities": "Accueil libre le vendredi soir\nTournois le samedi",
        "places": "Local jeunes du quartier", "partners": "Mission locale",
        "means": "Un animateur BPJEPS à mi-temps, deux bénévoles.",
        "neighbourhoods": [code], "objective": objective,
        "start_date": f"{call.year}-01-08", "end_date": f"{call.year}-12-18", "renewal": "0",
        "aud-female-11-14": "12", "aud-female-11-14-qpv": "9", "aud-male-15-17": "14", "aud-male-15-17-qpv": "10",
        "slot-0-kind": "evening", "slot-0-weekday": "friday", "slot-0-start": "18:00", "slot-0-end": "21:00",
        "ind-0-name": "Jeunes différents accueillis", "ind-0-target": "50",
        "charge-60": "1 800,00", "charge-64": "14000", "charge-62": "1600",
        "income-70": "900", "income-75": "6000", "cer_attested": "1",
    }
    for code_f, amount in zip(funders, ("6500", "4000", "0"), strict=False):
        data[f"subsidy-{code_f}"] = amount
    return data


def measure(landmarks: dict, runs: int) -> dict:
    """In this process (Django set up on one database): page → {queries, median_ms, p90_ms, status}."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from quartiers.calls.models import Call

    users = get_user_model().objects
    lead = users.get(email=landmarks["lead"])
    applicant = users.get(email=landmarks["applicant"])
    open_call = Call.objects.get(slug=landmarks["open_call"])
    code = landmarks["qpv"][0]
    post = autosave_post(open_call, landmarks["draft_qpv"], landmarks["draft_objective"])
    pages = {
        "national home": (None, "get", "/"),
        "QPV page": (None, "get", reverse("frameworks:neighbourhood", args=[code])),
        "match page": (None, "get", reverse("frameworks:match") + f"?quartier={code}"),
        "queue (1,000 applications)": (lead, "get", reverse("reviews:queue", args=[landmarks["queue_call"]])),
        "review page": (lead, "get", reverse("reviews:application", args=[landmarks["decided"]])),
        "programme": (lead, "get", reverse("programme:table", args=[landmarks["queue_call"]])),
        "applicant edit page": (applicant, "get", reverse("applications:edit", args=[landmarks["draft"]])),
        "applicant autosave (POST)": (applicant, "post", reverse("applications:autosave", args=[landmarks["draft"]])),
    }
    out = {}
    for name, (user, method, url) in pages.items():
        client = Client()
        if user is not None:
            client.force_login(user)

        def call(client=client, method=method, url=url):
            if method == "post":
                return client.post(url, post, HTTP_HX_REQUEST="true")
            return client.get(url)

        for _ in range(2):
            response = call()
        times, counts = [], set()
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = call()
                times.append((time.perf_counter() - t0) * 1000)
            counts.add(len(ctx.captured_queries))
        out[name] = {"status": response.status_code, "queries": max(counts), "median_ms": statistics.median(times),
                     "p90_ms": sorted(times)[int(0.9 * (len(times) - 1))], "bytes": len(response.content),
                     "saved": response.get("X-Draft-Saved", "") if method == "post" else ""}
    return out


def _child(url: str, landmarks_path: str, runs: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", url, "--landmarks", landmarks_path,
                           "--runs", str(runs)], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"mesure impossible sur {url} :\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(national_: dict, one: dict, meta: dict) -> str:
    lines = [f"| page | queries, national ({meta['national_contracts']} contracts) | queries, one contract | "
             "median ms, national | median ms, one contract | ratio |", "|---|---|---|---|---|---|"]
    for page in PAGES:
        n, o = national_[page], one[page]
        flag = "" if n["queries"] == o["queries"] else " ⚠"
        bad = "" if n["status"] == o["status"] == 200 else f" (HTTP {n['status']}/{o['status']})"
        lines.append(f"| {page}{bad} | {n['queries']}{flag} | {o['queries']} | {n['median_ms']:.0f} | "
                     f"{o['median_ms']:.0f} | {n['median_ms'] / o['median_ms']:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--db", default="quartiers_bench")
    ap.add_argument("--one-db", default="quartiers_bench_one")
    ap.add_argument("--reuse-one", action="store_true", help="ne pas reconstruire la base d'un seul contrat")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--landmarks", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        national.setup_django(a.child, migrate=False)
        landmarks = json.loads(Path(a.landmarks).read_text(encoding="utf-8"))["target"]
        print(json.dumps(measure(landmarks, a.runs)))
        return 0
    big = ROOT / "var" / "bench" / f"{a.db}.json"
    if not big.exists():
        raise SystemExit(f"{big} absent : lancez d'abord bench/national.py --db {a.db}")
    meta_big = json.loads(big.read_text(encoding="utf-8"))
    one = ROOT / "var" / "bench" / f"{a.one_db}.json"
    if not a.reuse_one or not one.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "national.py"), "--db", a.one_db, "--only",
                        meta_big["target"]["code"]], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    meta_one = json.loads(one.read_text(encoding="utf-8"))
    print(f"national: {meta_big['contracts']} contracts, {meta_big['rows']['Application']:,} applications; "
          f"one contract: {meta_one['target']['code']}, {meta_one['rows']['Application']:,} applications; "
          f"{meta_big['target']['applications']} in the queue's call; {a.runs} runs per page", flush=True)
    res_big = _child(meta_big["database_url"], str(big), a.runs)
    res_one = _child(meta_one["database_url"], str(one), a.runs)
    print(table(res_big, res_one, {"national_contracts": meta_big["contracts"]}))
    for page in PAGES:
        for label, res in (("national", res_big), ("one contract", res_one)):
            if res[page]["status"] != 200 or (page.endswith("(POST)") and res[page]["saved"] != "1"):
                print(f"- {page}, {label}: HTTP {res[page]['status']}, X-Draft-Saved={res[page]['saved']!r}")
    (ROOT / "var" / "bench" / "pages.json").write_text(json.dumps({"national": res_big, "one": res_one}, indent=2),
                                                       encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
