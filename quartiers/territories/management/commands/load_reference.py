"""`quartiers load-reference [--department 30] [--quiet]`: load the national reference (communes, EPCI, contracts
de ville 2024, QPV with perimeters) from data/reference/. Idempotent; prints each step and a summary."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from quartiers.territories.services import ReferenceError, reference_load


class Command(BaseCommand):
    help = ("Charge le référentiel national (communes, EPCI, contrats de ville 2024, quartiers prioritaires et leurs "
            "périmètres) depuis data/reference/. Sans effet si déjà à jour.")

    def add_arguments(self, parser):
        parser.add_argument("--department", default="", metavar="CODE",
                            help="ne charger qu'un département (par exemple 30, 2A, 971) : plus rapide")
        parser.add_argument("--quiet", action="store_true", help="n'afficher que le résumé final")
        parser.add_argument("--no-migrate", action="store_true", help="ne pas appliquer les migrations d'abord")

    def handle(self, *args, department: str = "", quiet: bool = False, no_migrate: bool = False, **options):
        started = time.monotonic()
        if not no_migrate:
            Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
            call_command("migrate", interactive=False, verbosity=0)

        def progress(message: str) -> None:
            if not quiet:
                self.stdout.write(f"[{time.monotonic() - started:5.1f} s] {message}")

        try:
            summary = reference_load(department=department, progress=progress)
        except ReferenceError as exc:
            raise CommandError(str(exc)) from exc
        scope = f"département {summary.department}" if summary.department else "France entière"
        self.stdout.write(f"Résumé ({scope}, {time.monotonic() - started:.1f} s) :")
        for line in summary.lines():
            self.stdout.write(f"  {line}")
