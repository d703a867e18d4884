"""`quartiers demo`: migrate, then load the demo (Alès arrondissement annex and its 4 QPVs). Idempotent.

The loading itself lives in ``quartiers.demo``; this command migrates, calls it, warms the matcher and prints."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from quartiers.demo import DEMO_PASSWORD, load_demo
from quartiers.engine.importer import AnnexError
from quartiers.frameworks.matching import published_matcher
from quartiers.frameworks.models import FrameworkVersion


class Command(BaseCommand):
    help = "Applique les migrations et charge la démonstration (annexe du contrat de ville d'Alès). Sans effet si déjà chargée."

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true", help="ne pas appliquer les migrations")
        parser.add_argument("--no-review-demo", action="store_true",
                            help="ne pas charger les demandes aux étapes de l'instruction ni les rôles du contrat "
                                 "(plus rapide ; utile aux tests)")
        parser.add_argument("--no-second-contract", action="store_true",
                            help="ne pas charger le second contrat (Pays d'Uzès, un quartier, référentiel court)")
        parser.add_argument("--no-warmup", action="store_true",
                            help="ne pas préparer le moteur de rapprochement (calcul des vecteurs du référentiel)")

    def handle(self, *args, no_migrate: bool = False, no_warmup: bool = False, no_review_demo: bool = False,
               no_second_contract: bool = False, **options):
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        try:
            loaded = load_demo(reviews=not no_review_demo, second_contract=not no_second_contract)
        except AnnexError as exc:
            raise CommandError(f"L'annexe de démonstration n'a pas pu être importée : {exc}") from exc
        contract = loaded.contract
        if not no_warmup:
            # Computes the framework's sentence vectors once and caches them on disk, so the first visitor of
            # « Quelle priorité pour mon projet ? » does not wait for it.
            published_matcher(contract)
        n_versions = FrameworkVersion.objects.filter(contract=contract).count()
        self.stdout.write(self.style.SUCCESS(f"Démonstration prête : {contract.name} ({n_versions} version(s) du référentiel)."))
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD}) :")
        for username, role in loaded.accounts:
            self.stdout.write(f"  - {username} : {role}")
