"""`quartiers close-calls`: close the open calls whose deadline has passed, once (`quartiers worker` does it every
minute; this command is for an instance run without the worker, from cron).

The deadline is enforced at submission time anyway (``call_is_accepting``); this command makes the status say so.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from quartiers.calls.services import calls_close_past_deadline


class Command(BaseCommand):
    help = "Clôt les appels à projets ouverts dont la date limite de dépôt est passée."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="instant de référence, au format ISO 8601 (par défaut : maintenant)")

    def handle(self, *args, now: str | None = None, **options):
        instant = self._parse(now) if now else timezone.now()
        closed = calls_close_past_deadline(now=instant)
        for call in closed:
            self.stdout.write(f"Appel clos : {call.title} ({call.slug}), clôture le "
                              f"{timezone.localtime(call.closes_at):%d/%m/%Y à %H:%M}.")
        self.stdout.write(self.style.SUCCESS(f"{len(closed)} appel(s) clos."))

    @staticmethod
    def _parse(value: str) -> datetime:
        instant = parse_datetime(value)
        if instant is None:
            raise CommandError(f"Date invalide : « {value} » (format attendu : 2027-01-15T12:00:00+01:00).")
        if timezone.is_naive(instant):
            instant = timezone.make_aware(instant)
        return instant
