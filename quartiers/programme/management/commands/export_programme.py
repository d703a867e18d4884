"""`quartiers export-programme --call SLUG --format xlsx|ods|csv|scdl [--funder SIRET] [--threshold N] -o FILE`.

Writes the programme table of a call (XLSX, ODS, CSV; only one funder's lines with --funder) or the SCDL
« subventions » file of one funder (--format scdl requires --funder; --threshold keeps the grants above N euros).
The bytes are those the web page serves. Errors: a French message on stderr and a non-zero exit code.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quartiers.calls.models import Call
from quartiers.programme.exports import FORMATS, programme_file
from quartiers.programme.forms import parse_threshold
from quartiers.programme.scdl import scdl_file
from quartiers.programme.selectors import call_funders, funders_by_siret, programme

ALL_FORMATS = (*FORMATS, "scdl")


class Command(BaseCommand):
    help = "Écrit le tableau de programmation d'un appel (XLSX, ODS, CSV) ou le fichier SCDL « subventions » d'un financeur."

    def add_arguments(self, parser):
        parser.add_argument("--call", required=True, metavar="SLUG", help="identifiant court de l'appel, par exemple ales-2027")
        parser.add_argument("--format", required=True, dest="fmt", choices=ALL_FORMATS, help="format du fichier")
        parser.add_argument("--funder", metavar="SIRET", help="SIRET du financeur (obligatoire pour scdl)")
        parser.add_argument("--threshold", metavar="N", help="scdl : seulement les subventions de plus de N euros (23000 : obligation légale)")
        parser.add_argument("-o", "--output", required=True, metavar="FICHIER", help="fichier à écrire")

    def handle(self, *args, call: str, fmt: str, funder: str | None = None, threshold: str | None = None,
               output: str, **options):
        target = Call.objects.select_related("contract").filter(slug=call).first()
        if target is None:
            known = ", ".join(Call.objects.order_by("slug").values_list("slug", flat=True)[:20])
            raise CommandError(f"Appel à projets inconnu : « {call} »."
                               + (f" Appels existants : {known}." if known else " Aucun appel n'existe encore."))
        if fmt == "scdl" and not funder:
            raise CommandError("Le format scdl produit le fichier d'un seul financeur : indiquez son SIRET avec "
                               "--funder (un fichier par financeur).")
        if threshold is not None and fmt != "scdl":
            raise CommandError("--threshold ne s'utilise qu'avec --format scdl.")
        try:
            limit = parse_threshold(threshold)
        except ValueError as error:
            raise CommandError(f"--threshold : {error}") from None
        funders = funders_by_siret(target, funder) if funder else []
        if funder and not funders:
            known = ", ".join(f"{f.siret} ({f.name})" for f in call_funders(target))
            raise CommandError(f"Financeur inconnu dans l'appel « {target.slug} » : SIRET « {funder} »."
                               + (f" Financeurs de l'appel : {known}." if known else ""))
        if fmt == "scdl":
            data = scdl_file(target, funders, threshold=limit)
        else:
            if len(funders) > 1:
                raise CommandError(f"Plusieurs financeurs ont le SIRET « {funder} » : le tableau de programmation "
                                   "ne peut en retenir qu'un ; exportez sans --funder.")
            data = programme_file(programme(target, funder=funders[0] if funders else None), fmt)
        path = Path(output)
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Impossible d'écrire le fichier « {path} » : {error.strerror or error}.") from None
        self.stdout.write(f"Fichier écrit : {path} ({len(data)} octets).")
