"""`quartiers demo`: migrate, then load the demo (Alès arrondissement annex and its 4 QPVs). Idempotent."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quartiers.applications.demo import load_demo_applications
from quartiers.calls.demo import load_demo_call
from quartiers.engine.importer import AnnexError, import_annex_bytes
from quartiers.frameworks.matching import published_matcher
from quartiers.frameworks.models import FrameworkVersion
from quartiers.frameworks.services import framework_store, version_publish
from quartiers.reviews.demo import load_demo_reviews
from quartiers.territories.models import Contract
from quartiers.territories.services import contract_reference, neighbourhoods_load

DEMO_ANNEX = Path(settings.PROJECT_DIR) / "data" / "demo" / "annexe-1-projets-de-quartiers-ales.txt"
DEMO_CONTRACT = "CN03001I"
DEMO_QPVS = {"QN03001I": "Alès", "QN03016M": "La Grand-Combe", "QN03002M": "Anduze", "QN03014M": "Saint-Ambroix"}
DEMO_PASSWORD = "quartiers-demo-2026"
DEMO_ACCOUNTS = [
    # username, full name, is_staff, what it is for
    ("cheffe-de-projet", "Camille Martin", True, "cheffe de projet du contrat de ville (gestion du référentiel)"),
    ("charge-de-mission", "Karim Benali", True,
     "chargé de mission du GIP (appels à projets : préparer, ouvrir, clore — /gestion/appels/)"),
]


class Command(BaseCommand):
    help = "Applique les migrations et charge la démonstration (annexe du contrat de ville d'Alès). Sans effet si déjà chargée."

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true", help="ne pas appliquer les migrations")
        parser.add_argument("--no-review-demo", action="store_true",
                            help="ne pas charger les demandes aux étapes de l'instruction ni les rôles du contrat "
                                 "(plus rapide ; utile aux tests)")
        parser.add_argument("--no-warmup", action="store_true",
                            help="ne pas préparer le moteur de rapprochement (calcul des vecteurs du référentiel)")

    def handle(self, *args, no_migrate: bool = False, no_warmup: bool = False, no_review_demo: bool = False,
               **options):
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic():
            contract = self._contract()
            self._framework(contract)
            load_demo_call(contract, FrameworkVersion.objects.of_contract(contract).published().get())
            accounts = self._accounts()
            accounts += load_demo_applications(password=DEMO_PASSWORD)
            if not no_review_demo:
                accounts += load_demo_reviews(password=DEMO_PASSWORD)
            accounts = list({username: what for username, what in accounts}.items())  # roles refine staff accounts
        if not no_warmup:
            # Computes the framework's sentence vectors once and caches them on disk, so the first visitor of
            # « Quelle priorité pour mon projet ? » does not wait for it.
            published_matcher(contract)
        n_versions = FrameworkVersion.objects.filter(contract=contract).count()
        self.stdout.write(self.style.SUCCESS(f"Démonstration prête : {contract.name} ({n_versions} version(s) du référentiel)."))
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD}) :")
        for username, role in accounts:
            self.stdout.write(f"  - {username} : {role}")

    def _contract(self) -> Contract:
        ref = contract_reference(DEMO_CONTRACT)
        contract, _ = Contract.objects.update_or_create(
            slug="ales",
            defaults={
                "name": "Contrat de ville de l'arrondissement d'Alès",
                "code": DEMO_CONTRACT,
                "lead_name": ref["lib_cv"].split(" - ", 1)[-1],
                "lead_siren": ref["siren_epci"],
                "department": ref["insee_dep"],
                "description": (
                    "Contrat de ville « Engagements Quartiers 2030 » : projets des quartiers prioritaires d'Alès, "
                    "d'Anduze, de La Grand-Combe (avec Les Salles-du-Gardon et Branoux-les-Taillades) et de "
                    "Saint-Ambroix, issus des concertations citoyennes."
                ),
            },
        )
        neighbourhoods_load(codes=DEMO_QPVS, contract=contract, short_names=DEMO_QPVS)
        return contract

    def _framework(self, contract: Contract) -> None:
        data = DEMO_ANNEX.read_bytes()
        checksum = hashlib.sha256(data).hexdigest()
        if FrameworkVersion.objects.filter(contract=contract, checksum=checksum).exists():
            return
        try:
            result = import_annex_bytes(data, DEMO_ANNEX.name)
        except AnnexError as exc:
            raise CommandError(f"L'annexe de démonstration n'a pas pu être importée : {exc}") from exc
        version = framework_store(contract=contract, framework=result.framework, source_name=DEMO_ANNEX.name,
                                  source_bytes=data, source_text="\n".join(result.lines))
        version_publish(version=version)

    def _accounts(self) -> list[tuple[str, str]]:
        User = get_user_model()
        out = []
        for username, full_name, is_staff, role in DEMO_ACCOUNTS:
            first, _, last = full_name.partition(" ")
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_staff": is_staff,
                          "email": f"{username}@quartiers.localhost"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            out.append((username, role))
        return out
