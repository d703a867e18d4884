"""`quartiers serve` in production: `check --deploy` is clean with the environment of docs/deploy.md, gunicorn
serves the pages and the CSS with DEBUG off on a fresh checkout (no collectstatic), and `--with-worker` runs the
web server and the worker together, both stopped by one signal. Real processes on the loopback."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The production environment documented in docs/deploy.md (values are examples).
PRODUCTION_ENV = {
    "SECRET_KEY": "k3y-0f-pr0duct10n-Xq9vR2mZ7tL4pW8sN6bY1cJ5hG3fD0aK-quartiers",
    "ALLOWED_HOSTS": "quartiers.example.fr",
    "QUARTIERS_HTTPS": "1",
    "SITE_URL": "https://quartiers.example.fr",
    "EMAIL_HOST": "smtp.example.fr",
    "DEFAULT_FROM_EMAIL": "Quartiers <ne-pas-repondre@quartiers.example.fr>",
}


def env_for(tmp_path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "TASKS_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(PYTHONPATH=str(ROOT), QUARTIERS_VAR_DIR=str(tmp_path / "var"),
               DATABASE_URL=f"sqlite:///{tmp_path / 'quartiers.sqlite3'}", DJANGO_SETTINGS_MODULE="quartiers.config.settings",
               **extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 30) -> tuple[int, str, bytes]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except OSError:  # not listening yet (refused, reset, timed out)
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    done = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env_for(tmp_path, **PRODUCTION_ENV), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stderr


def test_check_deploy_flags_the_laptop_defaults(tmp_path):
    done = subprocess.run([sys.executable, "-m", "django", "check", "--deploy"], env=env_for(tmp_path),
                          capture_output=True, text=True, timeout=120)
    for code in ("security.W004", "security.W008", "security.W009", "security.W012", "security.W016"):
        assert code in done.stderr  # HTTP on a laptop: each protection is off until the environment asks


def stop(process: subprocess.Popen) -> tuple[int, str]:
    """SIGTERM, then its exit code and everything it printed (the pipe read to the end and closed)."""
    process.send_signal(signal.SIGTERM)
    try:
        out, _ = process.communicate(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return process.returncode, out


def test_gunicorn_serves_pages_and_css_with_debug_off_on_a_fresh_checkout(tmp_path):
    env = env_for(tmp_path, ALLOWED_HOSTS="127.0.0.1", WEB_CONCURRENCY="1", WEB_THREADS="2")
    subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"], env=env, check=True,
                   timeout=300)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "quartiers.cli", "serve", f"127.0.0.1:{port}", "--warm", "0"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    try:
        status, kind, page = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and kind.startswith("text/html")
        assert b'href="/static/quartiers/quartiers.css"' in page or b"/static/quartiers/quartiers.css" in page
        status, kind, css = get(f"http://127.0.0.1:{port}/static/quartiers/quartiers.css")
        assert status == 200 and kind.startswith("text/css") and len(css) > 100
        status, kind, dsfr = get(f"http://127.0.0.1:{port}/static/dsfr/dist/dsfr/dsfr.min.css")
        assert status == 200 and len(dsfr) > 100_000
        assert not (tmp_path / "var" / "static").exists()  # served from the apps, no collectstatic
    finally:
        code, log = stop(server)
    assert code == 0
    assert "par gunicorn : 1 processus × 2 fils (SQLite)" in log and "Using worker: gthread" in log


def test_with_worker_runs_both_and_one_signal_stops_both(tmp_path):
    env = env_for(tmp_path, ALLOWED_HOSTS="127.0.0.1", WEB_CONCURRENCY="1", WEB_THREADS="2")
    subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"], env=env, check=True,
                   timeout=300)
    port = free_port()
    supervisor = subprocess.Popen([sys.executable, "-m", "quartiers.cli", "serve", f"127.0.0.1:{port}", "--warm",
                                   "0", "--with-worker"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        assert get(f"http://127.0.0.1:{port}/static/quartiers/quartiers.css")[0] == 200
        deadline = time.monotonic() + 30
        while b"quartiers.cli\x00worker" not in b"".join(map(cmdline, group_pids(supervisor.pid))):
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.3)
    finally:
        code, log = stop(supervisor)
    assert code == 0
    deadline = time.monotonic() + 10
    while group_pids(supervisor.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert group_pids(supervisor.pid) == []  # the web server and the worker are gone too
    assert "Worker Quartiers démarré" in log


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # ended meanwhile
        return b""


def group_pids(pgid: int) -> list[int]:
    """The live processes of a process group (read from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                pids.append(int(entry.name))
    return pids

