"""A deadline rush on SQLite (WAL, busy timeout, IMMEDIATE transactions): concurrent autosaves and deposits
through `quartiers serve` (gunicorn, 2 processes × 8 threads) on a real database file never answer 500 and never
meet « database is locked »; every draft is deposited with its own reference."""

import json
import sqlite3
import subprocess
import sys

from tests.applications.sqlite_rush import rush
from tests.core.test_serve import env_for, free_port, get, stop

APPLICANTS = 20
AUTOSAVES = 1  # on main's settings (no WAL, DEFERRED, 5 s): 14 of these 40 requests answered 500


def test_concurrent_autosaves_and_deposits_on_a_sqlite_file_never_fail(tmp_path):
    env = env_for(tmp_path, WEB_CONCURRENCY="2", WEB_THREADS="8")
    subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"], env=env, check=True,
                   timeout=300)
    prepared = subprocess.run([sys.executable, "-m", "tests.applications.sqlite_rush", "prepare", str(APPLICANTS)],
                              env=env, check=True, capture_output=True, text=True, timeout=300)
    plan = json.loads(prepared.stdout.strip().splitlines()[-1])
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "quartiers.cli", "serve", f"127.0.0.1:{port}", "--warm", "0"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    try:
        get(f"http://127.0.0.1:{port}/static/quartiers/quartiers.css")
        outcomes = rush(f"http://127.0.0.1:{port}", plan, autosaves=AUTOSAVES)
    finally:
        code, log = stop(server)
    assert code == 0
    statuses = [(what, status) for what, status in outcomes if what != "seconds"]
    assert len(statuses) == APPLICANTS * (AUTOSAVES + 1)
    assert [s for s in statuses if s[1] >= 500] == [], log[-3000:]
    assert {s for what, s in statuses if what == "autosave"} == {200}
    assert {s for what, s in statuses if what == "deposit"} == {302}
    assert "database is locked" not in log
    with sqlite3.connect(tmp_path / "quartiers.sqlite3") as db:
        rows = db.execute("SELECT status, reference FROM applications_application").fetchall()
        (mode,) = db.execute("PRAGMA journal_mode").fetchone()
    db.close()
    assert mode == "wal"
    assert {status for status, _ in rows} == {"submitted"}
    assert len(rows) == APPLICANTS and len({ref for _, ref in rows if ref}) == APPLICANTS  # one reference each
