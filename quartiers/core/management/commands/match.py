"""`quartiers match --input PROPOSALS.jsonl --json [--framework FILE.json]`: rank the objectives each proposal serves.

Input: one JSON object a line, ``{"id", "neighbourhood", "title", "description", "audience"}`` (neighbourhood: an
official QPV code or any unambiguous part of the neighbourhood's or commune's name). Output with --json: one JSON
line per proposal, ``{"id", "no_match", "matches": [{"objective", "theme", "score", "evidence"}]}``, best first
(every objective of the neighbourhood unless --top), or ``{"id", "error"}`` for a line that cannot be matched.
Without --framework the published framework of the database is used: that of --contract, or, when several contracts
publish and none is given, each line's own contract (its QPV code, or a name only one contract's QPV bears). The
exit code is non-zero only when the
input or the framework cannot be read.
"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quartiers.engine.framework import framework_from_dict
from quartiers.engine.matching import Matcher
from quartiers.engine.matching.contract import answer_lines


def _load_framework(path: str | None, contract: str = ""):
    if path:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            return framework_from_dict(data)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Lecture impossible du référentiel « {path} » : {exc}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"Référentiel « {path} » invalide (JSON de « quartiers import-annex --json » "
                               f"attendu) : {exc}") from exc
    from quartiers.frameworks.selectors import VersionChoiceError, published_version_for, version_to_framework

    try:
        version = published_version_for(contract)
    except VersionChoiceError:
        if contract:
            raise
        return None  # several contracts publish: each line goes to its own contract's framework
    if version is None:
        raise CommandError("Aucun référentiel publié : importez et publiez une annexe, ou passez --framework "
                           "FICHIER.json (sortie de « quartiers import-annex --json »).")
    return version_to_framework(version)


class Command(BaseCommand):
    help = "Classe les objectifs du quartier que sert chaque action proposée (fichier JSONL)."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, metavar="PROPOSITIONS.jsonl", help="une proposition JSON par ligne")
        parser.add_argument("--json", action="store_true", dest="as_json", help="une ligne JSON par proposition")
        parser.add_argument("--framework", metavar="FICHIER.json", help="référentiel (quartiers import-annex --json)")
        parser.add_argument("--contract", metavar="IDENTIFIANT", default="",
                            help="le contrat dont le référentiel publié est lu (sans --framework)")
        parser.add_argument("--top", type=int, default=0, help="nombre d'objectifs à afficher (0 : tous)")
        parser.add_argument("--cache-dir", default=None, help="dossier du cache des vecteurs (défaut : var/cache)")

    def handle(self, *args, input: str, as_json: bool = False, framework: str | None = None, top: int = 0,
               cache_dir: str | None = None, contract: str = "", **options):
        try:
            if input == "-":
                lines = sys.stdin.read().splitlines()
            else:
                lines = Path(input).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Lecture impossible du fichier de propositions « {input} » : {exc}") from exc
        from quartiers.frameworks.selectors import VersionChoiceError

        try:
            fw = _load_framework(framework, contract)
        except VersionChoiceError as exc:
            raise CommandError(str(exc)) from exc
        cache = cache_dir or str(Path(settings.VAR_DIR) / "cache" / "embeddings")
        # Several contracts publish and none was chosen: each line goes to its own contract's framework.
        engine = Matcher(fw, cache_dir=cache) if fw is not None else _route
        for out in answer_lines(engine, lines, top=max(top, 0)):
            if as_json:
                self.stdout.write(json.dumps(out, ensure_ascii=False))
            else:
                self.stdout.write(_human(out))

def _route(place: str):
    """The engine of the published framework of the contract a neighbourhood designates, or a French error."""
    from quartiers.frameworks.matching import PlaceError, contract_for_place, published_matcher

    try:
        found = published_matcher(contract_for_place(place))
    except PlaceError as exc:
        return str(exc)
    return found[1] if found is not None else f"Aucun référentiel publié pour « {place} »."


def _human(out: dict) -> str:
    if "error" in out:
        return f"[{out['id']}] erreur : {out['error']}"
    head = f"[{out['id']}] " + ("aucun objectif ne correspond assez" if out["no_match"] else "objectifs servis")
    rows = [f"  {m['score']:.2f}  {m['theme']} — {m['label']}" for m in out["matches"][:5]]
    return "\n".join([head, *rows])
