from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Sert le site (par défaut sur 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="adresse:port d'écoute")
        parser.add_argument("--reload", action="store_true", help="recharger le code à chaque modification")

    def handle(self, *args, addrport: str, reload: bool, **options):
        self.stdout.write(f"Quartiers est servi sur http://{addrport}/ (Ctrl+C pour arrêter).")
        call_command("runserver", addrport, use_reloader=reload)
