"""`make eval`: the engine and three baselines on the dev set and our own set, scored by score_matches.py.

Every system is run through the same `quartiers match` command-line contract on the same framework: the seed annex
imported by `quartiers import-annex --json` (the seed's hand-annotated structure when the importer fails). Prints
one table and writes it, dated, into docs/matching.md between the « eval » markers. Then the leave-one-out of the
confirmed-matches examples (eval/loo.py: every labelled case ranked without and with all the other labelled cases
as examples), written between the « examples » markers.

    .venv/bin/python -m eval.run [--sets dev,own] [--no-docs] [--no-loo]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quartiers.engine.framework import framework_to_dict

from eval.seed import DEV_SET, OWN_SET, SEED_IDS, load_seed

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCORER = ROOT / "eval" / "score_matches.py"
ANNEX = ROOT / "data" / "demo" / "annexe-1-projets-de-quartiers-ales.txt"
DOC = ROOT / "docs" / "matching.md"
SETS = {"dev": DEV_SET, "own": OWN_SET}
SYSTEMS = {
    "engine": [str(BIN / "quartiers"), "match", "--framework", "{framework}", "--input", "{input}", "--json"],
    "tfidf": [sys.executable, "-m", "eval.baselines.tfidf", "--framework", "{framework}", "--input", "{input}"],
    "bm25_plain": [sys.executable, "-m", "eval.baselines.bm25_plain", "--framework", "{framework}", "--input",
                   "{input}"],
    "use_whole": [sys.executable, "-m", "eval.baselines.use_whole", "--framework", "{framework}", "--input",
                  "{input}"],
}
LABELS = {"engine": "moteur Quartiers", "tfidf": "TF-IDF cosinus", "bm25_plain": "BM25 brut",
          "use_whole": "USE, objectifs entiers"}
METRICS = ("top1", "top1_acceptable", "top3", "mrr", "none_f1", "wall_s")
START, END = "<!-- eval:start -->", "<!-- eval:end -->"
LOO_START, LOO_END = "<!-- examples:start -->", "<!-- examples:end -->"


def framework_json(workdir: Path) -> tuple[Path, str]:
    """The framework file every system reads, and where it came from."""
    path = workdir / "framework.json"
    p = subprocess.run([str(BIN / "quartiers"), "import-annex", str(ANNEX), "--json"], capture_output=True,
                       text=True, cwd=ROOT)
    if p.returncode == 0 and p.stdout.strip().startswith("{"):
        path.write_text(p.stdout, encoding="utf-8")
        return path, "annexe importée par `quartiers import-annex --json`"
    path.write_text(json.dumps(framework_to_dict(load_seed()[0]), ensure_ascii=False), encoding="utf-8")
    return path, "structure annotée `seed_framework_ids.json` (import indisponible)"


def score(system: str, set_path: Path, framework: Path) -> dict[str, float]:
    cmd = [c.replace("{framework}", str(framework)) for c in SYSTEMS[system]]
    p = subprocess.run([sys.executable, str(SCORER), "--set", str(set_path), "--gold", str(SEED_IDS), "--", *cmd],
                       capture_output=True, text=True, cwd=ROOT)
    line = next((ln for ln in p.stdout.splitlines() if ln.startswith("SUMMARY")), "")
    if not line:
        print(p.stdout[-2000:], p.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"{system} sur {set_path.name} : échec du score")
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line) if k in METRICS}


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    head = "| système | jeu | top-1 | top-1 (acceptable) | top-3 | MRR | F1 « aucun » | durée (s) |"
    rows = [head, "|---|---|---|---|---|---|---|---|"]
    for set_name, by_system in results.items():
        for system, m in by_system.items():
            rows.append(f"| {LABELS[system]} | {set_name} | {m['top1']:.3f} | {m['top1_acceptable']:.3f} | "
                        f"{m['top3']:.3f} | {m['mrr']:.3f} | {m['none_f1']:.3f} | {m['wall_s']:.1f} |")
    return "\n".join(rows)


def write_doc(block: str, start: str = START, end: str = END, heading: str = "Résultats de l'évaluation") -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.is_file() else "# Rapprochement actions / objectifs\n"
    new = f"{start}\n{block}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + new + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + f"\n\n## {heading}\n\n" + new + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Évalue le moteur et les références.")
    ap.add_argument("--sets", default="dev,own")
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--no-docs", action="store_true")
    ap.add_argument("--no-loo", action="store_true", help="sans le leave-one-out des cas confirmés")
    a = ap.parse_args(argv)
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        framework, origin = framework_json(Path(tmp))
        for set_name in a.sets.split(","):
            results[set_name] = {}
            for system in a.systems.split(","):
                results[set_name][system] = m = score(system, SETS[set_name], framework)
                print(f"{system:11} {set_name:4} " + " ".join(f"{k}={v}" for k, v in m.items()), flush=True)
    out = table(results)
    print()
    print(out)
    if not a.no_docs:
        n = {k: sum(1 for ln in SETS[k].read_text(encoding="utf-8").splitlines() if ln.strip()) for k in results}
        block = (f"Mesuré le {dt.date.today().isoformat()} par `make eval` ; référentiel : {origin}. "
                 f"Jeux : " + ", ".join(f"{k} = {n[k]} propositions" for k in results) + ".\n\n" + out)
        write_doc(block)
        print(f"\nTableau écrit dans {DOC.relative_to(ROOT)}")
    if not a.no_loo:
        loo_table(a.no_docs)
    return 0


def loo_table(no_docs: bool) -> None:
    """The leave-one-out of the examples, in this process (same importer as `quartiers import-annex`)."""
    from quartiers.engine.matching import Matcher

    from eval.inprocess import official_framework
    from eval.loo import leave_one_out
    from eval.loo import table as loo_rows

    started = time.monotonic()
    out = loo_rows(leave_one_out(Matcher(official_framework())))
    print("\nLeave-one-out des cas confirmés (exemples) :\n")
    print(out)
    if not no_docs:
        block = (f"Mesuré le {dt.date.today().isoformat()} par `make eval` (`eval/loo.py`, "
                 f"{time.monotonic() - started:.0f} s).\n\n" + out)
        write_doc(block, LOO_START, LOO_END, "Cas confirmés comme exemples")


if __name__ == "__main__":
    sys.exit(main())
