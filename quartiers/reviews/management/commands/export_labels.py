"""`quartiers export-labels --call SLUG -o FILE`: the call's confirmed matches as labelled JSONL (one case per line,
in the input format of ``quartiers match`` plus ``gold``), and on stderr how often the engine's first suggestion
was the objective the reviewers confirmed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quartiers.calls.models import Call
from quartiers.reviews.review.labels import engine_agreement, labelled_jsonl


class Command(BaseCommand):
    help = "Écrit les rattachements confirmés d'un appel comme données étiquetées (JSONL)."

    def add_arguments(self, parser):
        parser.add_argument("--call", required=True, metavar="SLUG", help="identifiant court de l'appel, par exemple ales-2027")
        parser.add_argument("-o", "--output", required=True, metavar="FICHIER", help="fichier JSONL à écrire (- : sortie standard)")

    def handle(self, *args, call: str, output: str, **options):
        target = Call.objects.filter(slug=call).first()
        if target is None:
            raise CommandError(f"Appel à projets inconnu : « {call} ».")
        text = labelled_jsonl(target)
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            try:
                Path(output).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Impossible d'écrire « {output} » : {error.strerror or error}.") from None
        a = engine_agreement(target)
        summary = f"{a.confirmed} rattachement(s) confirmé(s)"
        if a.suggested:
            summary += (f" ; le moteur avait proposé en premier l'objectif confirmé dans {a.first} cas sur "
                        f"{a.suggested} ({a.first_share * 100:.0f} %), parmi ses trois premiers dans {a.top3} "
                        f"({a.top3_share * 100:.0f} %).")
        else:
            summary += "."
        self.stderr.write(summary)
