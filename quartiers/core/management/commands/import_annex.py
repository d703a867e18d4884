"""`quartiers import-annex PATH --json` / `--contract SLUG [--publish]`: import a contract's priorities annex.

--json prints the framework as JSON (framework_to_dict, warnings included) with official QPV codes resolved from
data/reference/qpv_2024_france.csv; --contract stores it as a new draft version of that contract's framework
(and publishes it with --publish). Errors: a French message on stderr and a non-zero exit code.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quartiers.engine.framework import framework_to_dict
from quartiers.engine.importer import AnnexError, QpvRef, annex_format, import_annex_bytes, load_qpv_reference

REFERENCE = Path("data/reference/qpv_2024_france.csv")


def qpv_reference() -> tuple[QpvRef, ...]:
    path = Path(settings.PROJECT_DIR) / REFERENCE
    return load_qpv_reference(path) if path.is_file() else ()


class Command(BaseCommand):
    help = "Importe l'annexe des priorités d'un contrat de ville (.txt, .md, .docx, .pdf, .odt)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="fichier de l'annexe")
        parser.add_argument("--json", action="store_true", dest="as_json", help="affiche le référentiel importé en JSON")
        parser.add_argument("--contract", metavar="SLUG", help="enregistre le référentiel dans ce contrat")
        parser.add_argument("--publish", action="store_true", help="publie la version enregistrée (avec --contract)")

    def handle(self, *args, path: str, as_json: bool = False, contract: str | None = None, publish: bool = False,
               **options):
        if not as_json and not contract:
            raise CommandError("Indiquez --json (afficher le référentiel) ou --contract SLUG (l'enregistrer).")
        if publish and not contract:
            raise CommandError("--publish s'utilise avec --contract SLUG.")
        target = None
        if contract:
            from quartiers.territories.models import Contract

            target = Contract.objects.filter(slug=contract).first()
            if target is None:
                known = ", ".join(Contract.objects.order_by("slug").values_list("slug", flat=True)[:20])
                raise CommandError(f"Contrat inconnu : « {contract} »." + (f" Contrats existants : {known}." if known
                                                                         else " Aucun contrat n'existe encore."))
        source = Path(path)
        try:
            annex_format(source.name)
            data = _read(source)
            result = import_annex_bytes(data, source.name, reference=qpv_reference())
        except AnnexError as exc:
            raise CommandError(f"Import impossible de « {source.name} » : {exc.message}") from exc
        if as_json:
            self.stdout.write(_dumps(framework_to_dict(result.framework)))
        if target is not None:
            from quartiers.frameworks.services import TransitionError, framework_store, version_publish

            version = framework_store(contract=target, framework=result.framework, source_name=source.name,
                                      source_bytes=data, source_text="\n".join(result.lines))
            if publish:
                try:
                    version = version_publish(version=version)
                except TransitionError as exc:
                    raise CommandError(str(exc)) from exc
            fw = result.framework
            self.stderr.write(
                f"Version {version.number} enregistrée{' et publiée' if publish else ''} pour « {target.name} » : "
                f"{len(fw.neighbourhoods)} quartier(s), {len(fw.themes)} thème(s), {len(fw.objectives)} objectif(s), "
                f"{len(fw.warnings)} point(s) à vérifier."
            )
            if not as_json:
                self.stdout.write(str(version.number))


def _read(source: Path) -> bytes:
    from quartiers.engine.importer import MAX_ANNEX_BYTES

    try:
        if source.stat().st_size > MAX_ANNEX_BYTES:
            raise AnnexError(f"Le fichier est trop volumineux : la taille maximale d'une annexe est de "
                             f"{MAX_ANNEX_BYTES // 1024 // 1024} Mo.")
        return source.read_bytes()
    except FileNotFoundError as exc:
        raise AnnexError("fichier introuvable.") from exc
    except IsADirectoryError as exc:
        raise AnnexError("c'est un dossier, pas un fichier.") from exc
    except OSError as exc:
        raise AnnexError(f"lecture impossible ({exc.strerror or exc}).") from exc


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
