"""`quartiers worker`: runs the background jobs of the database queue (e-mails, matcher warm-up…) and, every
minute, the periodic jobs (closing the calls past their deadline, the reminders before a deadline).

Every periodic job is idempotent, so several workers may run side by side (each claims its own queued jobs; a
periodic job run twice does nothing the second time). ``--batch`` runs the periodic jobs once, then every queued
job that is due, and exits (for cron, or a test)."""

import logging
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from quartiers.applications.tasks import deadline_reminders_task
from quartiers.calls.tasks import close_calls_task

logger = logging.getLogger("quartiers.worker")

# The periodic jobs: task objects whose function is called in the scheduler's thread.
PERIODIC_JOBS = (close_calls_task, deadline_reminders_task)


def periodic_jobs_run() -> dict[str, object]:
    """Run each periodic job once, in this thread; one failing does not stop the others. Returns what each
    returned (or the error it raised)."""
    outcomes: dict[str, object] = {}
    for job in PERIODIC_JOBS:
        try:
            outcomes[job.name] = job.call()
        except Exception as exc:
            logger.exception("Periodic job %s failed.", job.name)
            outcomes[job.name] = exc
    return outcomes


class Scheduler(threading.Thread):
    """Runs the periodic jobs every ``every`` seconds until stopped."""

    def __init__(self, every: float) -> None:
        super().__init__(name="quartiers-scheduler", daemon=True)
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            started = time.monotonic()
            close_old_connections()  # this thread's own connection: dropped if broken or too old
            for name, outcome in periodic_jobs_run().items():
                if outcome:
                    logger.info("Periodic job %s: %s", name, outcome)
            close_old_connections()
            self.stopped.wait(max(0.0, self.every - (time.monotonic() - started)))


class Command(BaseCommand):
    help = ("Exécute les tâches de fond (courriels, préparation du rapprochement) et, chaque minute, les tâches "
            "périodiques (clôture des appels échus, rappels avant la date limite).")

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="exécuter une fois les tâches périodiques puis toutes les tâches en attente, et "
                                 "s'arrêter")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="secondes d'attente quand la file est vide (par défaut : 1)")
        parser.add_argument("--every", type=float, default=60.0,
                            help="secondes entre deux passages des tâches périodiques (par défaut : 60)")
        parser.add_argument("--no-scheduler", action="store_true",
                            help="ne pas lancer les tâches périodiques (un seul worker les lance suffit, mais "
                                 "plusieurs ne gênent pas)")

    def handle(self, *args, batch: bool, interval: float, every: float, no_scheduler: bool, verbosity: int,
               **options):
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError("La file de tâches n'est pas celle de la base de données (TASKS_BACKEND=database) : "
                               "il n'y a rien à exécuter ici.")
        if verbosity:
            for name in ("quartiers", "django_tasks", "django_tasks_db"):
                log = logging.getLogger(name)
                log.setLevel(logging.INFO if verbosity == 1 else logging.DEBUG)
                if not log.handlers:
                    log.addHandler(logging.StreamHandler(self.stdout))
                    log.propagate = False
        worker = Worker(queue_names=["default"], interval=interval, batch=batch, backend_name="default",
                        startup_delay=not batch, max_tasks=None, worker_id=get_random_string(32),
                        excluded_queue_names=[])
        if batch:
            for name, outcome in periodic_jobs_run().items():
                self.stdout.write(f"{name} : {outcome}")
            worker.run()
            self.stdout.write(self.style.SUCCESS("File de tâches vidée."))
            return
        scheduler = None
        if not no_scheduler:
            scheduler = Scheduler(every)
            scheduler.start()
        self.stdout.write(f"Worker Quartiers démarré (tâches périodiques : "
                          f"{'non' if scheduler is None else f'toutes les {every:g} s'}). Ctrl+C pour arrêter.")
        worker.configure_signals()
        try:
            worker.run()
        finally:
            if scheduler is not None:
                scheduler.stopped.set()
