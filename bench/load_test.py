"""A bounded load test of the production server on loopback: a deadline rush on the demo call.

    .venv/bin/python bench/load_test.py --db postgres --users 50 --duration 120
    .venv/bin/python bench/load_test.py --db sqlite --users 20 --duration 120

1. prepares a fresh database (PostgreSQL ``quartiers_load`` on 127.0.0.1:5432, or var/bench/load.sqlite3): the
   demo (``demo``), then one applicant account per user, each with its organisation, the five standing documents
   the demo call requires and a complete draft that can be deposited;
2. starts the server (``server_command``: gunicorn, DEBUG off, 127.0.0.1 only), waits for it to answer and warms
   it (the match page posted a few times per worker: matcher built, sentence encoder loaded);
3. runs locust headless (bench/locustfile.py) for ``--duration`` seconds with ``--users`` users, sampling the RSS
   of every server worker;
4. stops everything, and prints throughput, p50/p95/p99, the errors (status, URL) and the server's tracebacks.

Results are written to var/bench/load-<db>.json (and locust's CSV files beside it). Never run by the tests.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
BIN = Path(sys.executable).parent
PASSWORD = "banc-de-charge-2026"
sys.path.insert(0, str(ROOT / "bench"))


def server_command(port: int, workers: int, threads: int) -> list[str]:
    """The one place that says how the production server starts: ``quartiers serve`` (gunicorn, gthread)."""
    return [str(BIN / "quartiers"), "serve", f"127.0.0.1:{port}", "--workers", str(workers), "--threads",
            str(threads), "--timeout", "60"]


def environment(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="quartiers.config.settings", DEBUG="0",
               SECRET_KEY="load-test-only-not-a-secret-0123456789-abcdefghijklmnop", ALLOWED_HOSTS="127.0.0.1",
               PYTHONPATH=str(ROOT), EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    return env


def prepare(url: str, n: int, env: dict[str, str]) -> dict:
    """The demo, then ``n`` applicants with a depositable draft each; returns what the locustfile reads."""
    subprocess.run([sys.executable, "-m", "django", "demo"], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"], check=True, env=env,
                   cwd=ROOT)
    import national

    national.setup_django(url, migrate=False)
    from bench_national_pages import autosave_post
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from quartiers.applications.engine_adapter import application_findings
    from quartiers.applications.services import application_create, organisation_create, standing_document_store
    from quartiers.calls.models import Call
    from quartiers.demo.applications import STANDING, demo_pdf
    from quartiers.demo.calls import DEMO_CALL_SLUG
    from quartiers.frameworks.matching import matcher_for

    call = Call.objects.get(slug=DEMO_CALL_SLUG)
    matcher = matcher_for(call.framework_version)
    code = "QN03002M"
    objective = next(f"{o.key}|{code}" for h in matcher.framework.neighbourhoods if h.code == code
                     for t in h.themes for o in t.objectives if t.canonical_theme == "youth")
    form = autosave_post(call, code, objective)
    pdfs = {kind: demo_pdf(title) for kind, title in STANDING.items()}
    users = get_user_model().objects
    applicants = []
    for i in range(n):
        email = f"charge{i + 1}@bench.example.org"
        user = users.create_user(username=email, email=email, password=PASSWORD, first_name="Camille",
                                 last_name=f"Charge{i + 1}")
        org = organisation_create(user=user, legal_name=f"Association de charge n° {i + 1}",
                                  siret=national._siret(500_000 + i), rna=f"W30{i + 1:07d}",
                                  street="2 rue des Cévennes", postcode="30140", commune="Anduze",
                                  representative_name=f"Camille Charge{i + 1}")
        for kind, data in pdfs.items():
            standing_document_store(organisation=org, doc_type=kind, kind="pdf", user=user,
                                    uploaded=SimpleUploadedFile(f"{kind}.pdf", data, "application/pdf"))
        draft = application_create(call=call, organisation=org, user=user)
        applicants.append({"email": email, "organisation": org.pk, "draft": draft.pk})
    # every draft filled by the page's own autosave with the form the locust users post, which must be depositable
    # (checked on the first draft through the real rules)
    from django.db import connections
    from django.test import Client

    from quartiers.applications.models import Application

    for k, account in enumerate(applicants):
        client = Client()
        client.force_login(users.get(email=account["email"]))
        saved = client.post(f"/demandes/{account['draft']}/enregistrer/", form, HTTP_HX_REQUEST="true")
        if saved.get("X-Draft-Saved") != "1":
            raise SystemExit(f"brouillon de charge non enregistré : HTTP {saved.status_code}")
        if k == 0:
            blocking = [f.code for f in application_findings(Application.objects.get(pk=account["draft"]))
                        if f.severity == "blocking"]
            if blocking:
                raise SystemExit(f"le formulaire de charge n'est pas déposable : {blocking}")

    connections.close_all()
    qpv = [h.code for h in matcher.framework.neighbourhoods if h.code]
    return {"password": PASSWORD, "call": call.pk, "qpv": qpv, "form": form, "applicants": applicants}


def recreate(db: str) -> str:
    if db == "sqlite":
        path = OUT / "load.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import national

    national.recreate_postgres("quartiers_load")
    return national.database_url("quartiers_load")


def wait_up(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    end = time.time() + seconds
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit("le serveur s'est arrêté au démarrage (voir son journal)")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("le serveur ne répond pas")


def warm_up(port: int, workers: int, qpv: str) -> float:
    """What a server running for a while has done: each worker has served the match page once (its matcher built,
    the sentence encoder loaded). Requests in parallel, several per worker, since the kernel picks the worker."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    def one(_: int) -> None:
        with requests.Session() as s:
            page = s.get(f"http://127.0.0.1:{port}/quelle-priorite/?contrat=ales", timeout=120)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            s.post(f"http://127.0.0.1:{port}/quelle-priorite/", timeout=120,
                   data={"contrat": "ales", "neighbourhood": qpv, "title": "Aide aux devoirs", "description": "Soutien scolaire le soir",
                         "csrfmiddlewaretoken": token.group(1) if token else ""},
                   headers={"Referer": f"http://127.0.0.1:{port}/quelle-priorite/"})

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        list(pool.map(one, range(workers * 4)))
    return time.perf_counter() - t0


def worker_rss(master: int) -> dict[int, float]:
    import psutil

    try:
        return {c.pid: c.memory_info().rss / 2**20 for c in psutil.Process(master).children()}
    except psutil.Error:
        return {}


def read_stats(prefix: Path) -> dict:
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
    failures = list(csv.DictReader(open(f"{prefix}_failures.csv", encoding="utf-8")))
    per = []
    total = {}
    for r in rows:
        item = {"name": f"{r['Type']} {r['Name']}".strip(), "requests": int(r["Request Count"]),
                "failures": int(r["Failure Count"]), "rps": float(r["Requests/s"]),
                "p50": float(r["50%"] or 0), "p95": float(r["95%"] or 0), "p99": float(r["99%"] or 0)}
        if r["Name"] == "Aggregated":
            total = item
        else:
            per.append(item)
    return {"total": total, "requests": per,
            "failures": [{"method": f["Method"], "name": f["Name"], "error": f["Error"][:300],
                          "occurrences": int(f["Occurrences"])} for f in failures]}


def server_errors(log: Path) -> dict:
    text = log.read_text(encoding="utf-8", errors="replace")
    statuses = re.findall(r'"(GET|POST) ([^ ]+) HTTP/1\.[01]" (5\d\d|4\d\d)', text)
    tracebacks = [t[:3000] for t in re.findall(r"Traceback \(most recent call last\):.*?(?=\n\S.*?\[|\Z)", text,
                                              re.S)]
    counts: dict[str, int] = {}
    for method, path, status in statuses:
        key = f"{status} {method} {re.sub(r'/[0-9]+/', '/[pk]/', path)}"
        counts[key] = counts.get(key, 0) + 1
    return {"error_statuses": counts, "tracebacks": tracebacks[:5], "traceback_count": len(tracebacks)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--duration", type=int, default=120, help="secondes")
    ap.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--port", type=int, default=8765)
    a = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    url = recreate(a.db)
    env = environment(url)
    accounts = prepare(url, max(1, a.users), env)
    accounts_file = OUT / f"load-{a.db}-accounts.json"
    accounts_file.write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
    print(f"base prête ({a.db}) en {time.time() - t0:.0f} s : démo + {len(accounts['applicants'])} comptes", flush=True)
    log = OUT / f"load-{a.db}-server.log"
    server = subprocess.Popen(server_command(a.port, a.workers, a.threads), env=env, cwd=ROOT,
                              stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    rss: dict[int, float] = {}
    try:
        wait_up(a.port, server)
        idle = worker_rss(server.pid)
        warm = warm_up(a.port, a.workers, accounts["qpv"][0])
        print(f"serveur prêt ; préchauffage {warm:.1f} s", flush=True)
        warmed = worker_rss(server.pid)
        prefix = OUT / f"load-{a.db}"
        locust = subprocess.Popen(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(a.users),
             "-r", str(max(1, a.users // 10)), "-t", f"{a.duration}s", "--host", f"http://127.0.0.1:{a.port}",
             "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"],
            env={**env, "QUARTIERS_LOAD_ACCOUNTS": str(accounts_file)}, cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        while locust.poll() is None:
            for pid, mb in worker_rss(server.pid).items():
                rss[pid] = max(rss.get(pid, 0), mb)
            time.sleep(3)
        locust_out = locust.stdout.read() if locust.stdout else ""
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    stats = read_stats(prefix)
    result = {"db": a.db, "users": a.users, "duration_s": a.duration, "workers": a.workers, "threads": a.threads,
              "server": " ".join(server_command(a.port, a.workers, a.threads)), **stats, **server_errors(log),
              "worker_rss_mb_idle": sorted(round(v) for v in idle.values()),
              "worker_rss_mb_warm": sorted(round(v) for v in warmed.values()),
              "worker_rss_mb_peak": sorted(round(v) for v in rss.values()), "cpus": os.cpu_count(),
              "load_average_end": os.getloadavg()}
    (OUT / f"load-{a.db}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(locust_out[-3000:])
    t = stats["total"]
    print(f"\n{a.db}, {a.users} users, {a.duration} s, gunicorn {a.workers}×{a.threads} threads: "
          f"{t.get('requests', 0)} requests, {t.get('rps', 0):.1f} req/s, p50 {t.get('p50', 0):.0f} ms, "
          f"p95 {t.get('p95', 0):.0f} ms, p99 {t.get('p99', 0):.0f} ms, {t.get('failures', 0)} failures")
    print("| request | count | failures | req/s | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|---|")
    for r in stats["requests"] + [t]:
        print(f"| {r['name']} | {r['requests']} | {r['failures']} | {r['rps']:.2f} | {r['p50']:.0f} | "
              f"{r['p95']:.0f} | {r['p99']:.0f} |")
    for f in stats["failures"]:
        print(f"- failure ×{f['occurrences']}: {f['method']} {f['name']}: {f['error']}")
    for key, count in result["error_statuses"].items():
        print(f"- server answered {key} ×{count}")
    for tb in result["tracebacks"]:
        print(tb)
    print(f"worker RSS (MB): idle {result['worker_rss_mb_idle']}, warm {result['worker_rss_mb_warm']}, "
          f"peak {result['worker_rss_mb_peak']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
