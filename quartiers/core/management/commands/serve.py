"""`quartiers serve [ADDR:PORT]`: the production web server (gunicorn, threaded workers), or Django's development
server with autoreload when asked (``--dev``, or DEBUG=1 in the environment).

Processes and threads: WEB_CONCURRENCY / WEB_THREADS (or --workers / --threads); by default, on PostgreSQL one
process per core plus one with 4 threads each, on SQLite 2 processes (1 on one core) with 8 threads each (SQLite
writes one transaction at a time: more processes add memory, not throughput). Static files are served by WhiteNoise
from the apps' folders (no collectstatic needed). Each web process builds the matchers of the latest published
framework versions right after it starts, in a background thread (``--warm N``, 0 to skip).

``--with-worker`` also starts ``quartiers worker`` and supervises both: Ctrl+C (or SIGTERM) stops both, and when one
stops the other is stopped too."""

import logging
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger("quartiers.serve")


def is_sqlite() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def default_workers() -> int:
    if settings.WEB_CONCURRENCY:
        return settings.WEB_CONCURRENCY
    cores = os.cpu_count() or 1
    return min(2, cores) if is_sqlite() else cores + 1


def default_threads() -> int:
    if settings.WEB_THREADS:
        return settings.WEB_THREADS
    return 8 if is_sqlite() else 4


def warm_published_matchers(limit: int) -> int:
    """Build the matchers of the ``limit`` most recently published framework versions in this process."""
    from django.db import connections

    from quartiers.frameworks.models import FrameworkVersion, VersionStatus
    from quartiers.frameworks.tasks import warm_matcher_task

    warmed = 0
    try:
        ids = list(FrameworkVersion.objects.filter(status=VersionStatus.PUBLISHED)
                   .order_by("-published_at", "-pk").values_list("pk", flat=True)[:limit])
        for version_id in ids:
            warmed += bool(warm_matcher_task.call(version_id=version_id))
    except Exception:  # a missing table on a database not migrated yet: the pages will say so
        logger.exception("Warming the matchers failed.")
    finally:
        connections.close_all()
    return warmed


def split_addrport(addrport: str) -> str:
    host, sep, port = addrport.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", addrport
    if not port.isdigit():
        raise CommandError(f"Adresse d'écoute invalide : « {addrport} » (attendu : 127.0.0.1:8000).")
    return f"{host or '127.0.0.1'}:{port}"


class Command(BaseCommand):
    help = "Sert le site (par défaut sur 127.0.0.1:8000) avec un serveur de production (gunicorn)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="adresse:port d'écoute")
        parser.add_argument("--dev", "--debug", "--reload", action="store_true", dest="dev",
                            help="serveur de développement de Django : DEBUG activé, rechargement du code")
        parser.add_argument("--workers", type=int, help="nombre de processus (par défaut : WEB_CONCURRENCY, sinon "
                                                        "selon les cœurs et la base)")
        parser.add_argument("--threads", type=int, help="fils d'exécution par processus (par défaut : WEB_THREADS)")
        parser.add_argument("--timeout", type=int, default=120, help="secondes avant qu'une requête bloquée soit "
                                                                     "interrompue (par défaut : 120)")
        parser.add_argument("--warm", type=int, default=int(os.environ.get("WARM_MATCHERS", "10")),
                            help="référentiels publiés dont chaque processus prépare le rapprochement au démarrage "
                                 "(par défaut : WARM_MATCHERS, sinon 10 ; 0 pour aucun)")
        parser.add_argument("--with-worker", action="store_true",
                            help="lancer aussi « quartiers worker » (tâches de fond) et arrêter les deux ensemble")

    def handle(self, *args, addrport: str, dev: bool, workers: int | None, threads: int | None, timeout: int,
               warm: int, with_worker: bool, **options):
        bind = split_addrport(addrport)
        if with_worker:
            sys.exit(self.supervise(bind, dev=dev, workers=workers, threads=threads, timeout=timeout, warm=warm))
        if dev or settings.DEBUG:
            os.environ["DEBUG"] = "1"  # for the autoreloader's child process, which reads the settings anew
            settings.DEBUG = True
            self.stdout.write(f"Quartiers (développement) est servi sur http://{bind}/ (Ctrl+C pour arrêter).")
            call_command("runserver", bind, use_reloader=True)
            return
        self.gunicorn(bind, workers=workers or default_workers(), threads=threads or default_threads(),
                      timeout=timeout, warm=warm)

    def gunicorn(self, bind: str, *, workers: int, threads: int, timeout: int, warm: int) -> None:
        from gunicorn.app.base import BaseApplication

        from quartiers.config.wsgi import application

        def post_worker_init(worker) -> None:
            if warm > 0:
                threading.Thread(target=warm_published_matchers, args=(warm,), name="quartiers-warm",
                                 daemon=True).start()

        options = {
            "bind": bind, "workers": workers, "threads": threads, "worker_class": "gthread", "timeout": timeout,
            "graceful_timeout": 30, "keepalive": 5, "accesslog": "-", "errorlog": "-",
            "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
            "post_worker_init": post_worker_init, "proc_name": "quartiers",
        }
        stdout = self.stdout

        class Server(BaseApplication):
            def load_config(self) -> None:
                for key, value in options.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        database = "SQLite" if is_sqlite() else settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        stdout.write(f"Quartiers est servi sur http://{bind}/ par gunicorn : {workers} processus × {threads} fils "
                     f"({database}). Ctrl+C pour arrêter.")
        stdout.flush()
        Server().run()

    def supervise(self, bind: str, *, dev: bool, workers: int | None, threads: int | None, timeout: int,
                  warm: int) -> int:
        """Run the web server and the worker as two child processes; stop both when either stops or on a
        signal. Returns the exit code of the one that stopped first (0 on Ctrl+C)."""
        cli = [sys.executable, "-m", "quartiers.cli"]
        web = [*cli, "serve", bind, "--timeout", str(timeout), "--warm", str(warm)]
        if dev:
            web.append("--dev")
        if workers:
            web += ["--workers", str(workers)]
        if threads:
            web += ["--threads", str(threads)]
        children = [subprocess.Popen(web), subprocess.Popen([*cli, "worker"])]
        stopping = {"signal": None}

        def stop(signum, frame) -> None:
            stopping["signal"] = signum

        previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
        code = 0
        try:
            while stopping["signal"] is None:
                ended = [c for c in children if c.poll() is not None]
                if ended:
                    code = ended[0].returncode
                    self.stderr.write(f"Un des processus s'est arrêté (code {code}) : arrêt de l'autre.")
                    break
                time.sleep(0.2)
        finally:
            if stopping["signal"] == signal.SIGINT:  # Ctrl+C reached the children too: let them stop by themselves
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and any(c.poll() is None for c in children):
                    time.sleep(0.1)
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 30
            for child in children:
                try:
                    child.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
            for s, handler in previous.items():
                signal.signal(s, handler)
        return code
