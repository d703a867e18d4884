"""`quartiers check-application APPLICATION.json [--json] [--framework FILE.json] [--fail-on-blocking]`.

Prints the findings of every rule for one application file (docs/schemas/application.schema.json):
with ``--json``, ``[{"code", "severity", "message", "field"}]``; without, a readable French list.

The framework comes from ``--framework`` (the JSON of ``import-annex --json``), else from the file's own
``framework``, else from the framework published in the database.

Exit status: 0 when the application was checked, whatever the findings (a blocking finding is a result, not a
failure of the command); with ``--fail-on-blocking``, 1 when at least one finding is blocking. 2 when the file
cannot be read (malformed JSON, format error, missing framework): a French message on stderr, nothing on stdout.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from quartiers.engine.framework import Framework
from quartiers.engine.rules import check_application
from quartiers.engine.rules.findings import PARIS, Finding
from quartiers.engine.rules.io import ApplicationFormatError, load_framework, loads_application_file

SEVERITY_LABELS = {"blocking": "bloquant", "warning": "avertissement", "info": "information"}
EXIT_BLOCKING = 1
EXIT_UNREADABLE = 2


class Unreadable(Exception):
    """The command cannot check anything: the message goes to stderr."""


class Command(BaseCommand):
    help = (
        "Vérifie un dossier de demande de subvention (fichier JSON décrit par docs/schemas/application.schema.json) "
        "et affiche les constats de chaque règle. Code de sortie 0 quand le dossier a été vérifié, même avec des "
        "constats bloquants (1 avec --fail-on-blocking), 2 quand le fichier est illisible."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="fichier JSON du dossier (« - » pour l'entrée standard)")
        parser.add_argument("--json", action="store_true", help="afficher les constats en JSON")
        parser.add_argument("--framework", help="référentiel JSON (sortie de « quartiers import-annex --json »)")
        parser.add_argument("--contract", metavar="IDENTIFIANT", default="",
                            help="le contrat dont le référentiel publié est lu (sans --framework ni référentiel "
                                 "dans le dossier)")
        parser.add_argument("--fail-on-blocking", action="store_true",
                            help="sortir avec le code 1 si un constat est bloquant")
        parser.add_argument("--now", help="date et heure de la vérification, qui tient lieu de date de dépôt quand le dossier "
                                          "n'en a pas (ISO 8601 ; sans décalage : heure de Paris ; défaut : maintenant)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            findings, title = self._check(options)
        except Unreadable as exc:
            self.stderr.write(str(exc))
            sys.exit(EXIT_UNREADABLE)
        if options["json"]:
            self.stdout.write(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render(findings, title))
        if options["fail_on_blocking"] and any(f.severity == "blocking" for f in findings):
            sys.exit(EXIT_BLOCKING)

    def _check(self, options: dict[str, Any]) -> tuple[list[Finding], str]:
        path = options["path"]
        text = _read(path, "dossier")
        try:
            file = loads_application_file(text)
        except ApplicationFormatError as exc:
            raise Unreadable(f"Dossier {path} illisible : {exc}") from exc
        now = timezone.now()
        if options.get("now"):
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise Unreadable(f"--now : date et heure illisibles : {options['now']!r}.") from exc
            if now.tzinfo is None:
                now = now.replace(tzinfo=PARIS)
        framework = self._framework(options.get("framework"), file.framework, options.get("contract") or "")
        findings = check_application(file.application, call=file.call, framework=framework,
                                     organisation=file.organisation, now=now)
        return findings, file.application.title

    def _framework(self, path: str | None, embedded: Framework | None, contract: str = "") -> Framework:
        if path:
            text = _read(path, "référentiel")
            try:
                return load_framework(json.loads(text.removeprefix("\ufeff")), "")
            except json.JSONDecodeError as exc:
                raise Unreadable(f"Référentiel {path} illisible : JSON invalide, ligne {exc.lineno}, colonne "
                                 f"{exc.colno} : {exc.msg}.") from exc
            except ApplicationFormatError as exc:
                raise Unreadable(f"Référentiel {path} illisible : {exc}") from exc
        if embedded is not None:
            return embedded
        return _published_framework(contract)


def _read(path: str, what: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise Unreadable(f"Fichier du {what} introuvable : {path}") from exc
    except UnicodeDecodeError as exc:
        raise Unreadable(f"Le fichier du {what} {path} n'est pas encodé en UTF-8.") from exc
    except OSError as exc:
        raise Unreadable(f"Impossible de lire le fichier du {what} {path} : {exc.strerror}.") from exc


def _published_framework(contract: str = "") -> Framework:
    from django.db import DatabaseError

    from quartiers.frameworks.selectors import VersionChoiceError, published_version_for, version_to_framework

    try:
        version = published_version_for(contract)
        framework = version_to_framework(version) if version is not None else None
    except VersionChoiceError as exc:
        raise Unreadable(str(exc)) from exc
    except DatabaseError as exc:
        raise Unreadable("Le dossier n'embarque pas de référentiel et la base de données est inaccessible "
                         "(lancez « quartiers demo » ou passez --framework FICHIER.json).") from exc
    if framework is None:
        raise Unreadable("Le dossier n'embarque pas de référentiel et aucun référentiel n'est publié : passez "
                         "--framework FICHIER.json (sortie de « quartiers import-annex --json »).")
    return framework


def render(findings: list[Finding], title: str) -> str:
    name = f"« {title} »" if title.strip() else "sans intitulé"
    if not findings:
        return f"Dossier {name} : aucun constat, toutes les règles sont respectées."
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_LABELS}
    summary = ", ".join(f"{n} {SEVERITY_LABELS[s]}{'s' if n > 1 else ''}" for s, n in counts.items() if n)
    lines = [f"Dossier {name} : {len(findings)} constat{'s' if len(findings) > 1 else ''} ({summary})."]
    for f in findings:
        lines.append(f"- [{SEVERITY_LABELS[f.severity]}] {f.code} ({f.field}) : {f.message}")
    if not counts["blocking"]:
        lines.append("Aucun constat bloquant : le dossier est recevable au regard des règles automatiques.")
    return "\n".join(lines)
