"""Benchmark of the annex importer: the seed annex, and a synthetic 200-page annex (≈ 8,000 lines).

    .venv/bin/python bench/bench_importer.py [--runs 7]

Prints the median (and min/max) wall time, and the median CPU time (steadier on a shared machine), of ``import_annex_bytes`` over several runs for: the seed (.txt), the
seed as .docx, .odt and .pdf, and the synthetic annex as .txt and .docx. Not run by the test suite; figures go to
docs/importer.md.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from quartiers.engine.importer import import_annex_bytes

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "demo" / "annexe-1-projets-de-quartiers-ales.txt"

THEMES = ["Réussite scolaire et éducative", "Parentalité", "Accompagnement de la jeunesse",
          "Emploi / Formation / Création d'activité", "Habitat / Cadre de vie", "Lien social, accès aux droits",
          "Santé / Prévention de la délinquance", "Culture", "Sport", "Mobilité"]
VERBS = ["Favoriser", "Développer", "Accompagner", "Promouvoir", "Soutenir", "Renforcer", "Améliorer", "Prévenir"]
THINGS = ["l'accès aux droits des habitants", "la pratique sportive des jeunes filles", "la réussite éducative",
          "l'insertion professionnelle des femmes", "le lien entre les familles et l'école",
          "la participation citoyenne", "la mobilité géographique des jeunes", "la santé mentale des adolescents"]
ACTIONS = ["actions de médiation", "ateliers collectifs", "permanences de proximité", "sorties éducatives",
           "actions d'aller-vers en soirée", "séjours co-construits avec les jeunes", "temps d'échanges"]


def synthetic_annex(pages: int = 200, seed: int = 2030) -> list[tuple[str, str]]:
    """(kind, text) paragraphs: about 40 lines a page, neighbourhoods of 6 to 9 themes of 2 to 7 objectives."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = [("title", "ANNEXE 1 – PROJETS DE QUARTIERS (ANNEXE SYNTHÉTIQUE)")]
    lines = 2
    n = 0
    while lines < pages * 40:
        n += 1
        out.append(("nbh", f"Projet de quartier / Commune de Ville-{n} Quartier prioritaire « Quartier {n} »"))
        lines += 2
        for theme in rng.sample(THEMES, rng.randint(6, 9)):
            out.append(("theme", theme))
            lines += 2
            for _ in range(rng.randint(2, 7)):
                text = (f"{rng.choice(VERBS)} {rng.choice(THINGS)} : {rng.choice(ACTIONS)}, {rng.choice(ACTIONS)} ; "
                        f"{rng.choice(ACTIONS)}.")
                out.append(("bullet", text))
                lines += 1
            if rng.random() < 0.2:
                out.append(("text", "Les actions proposées doivent être menées hors-temps scolaire."))
                lines += 2
    return out


def as_text(paragraphs: list[tuple[str, str]]) -> bytes:
    lines: list[str] = []
    for kind, text in paragraphs:
        if kind == "bullet":
            lines.append("- " + text)
        else:
            lines.extend(["", text, ""])
    return "\n".join(lines).encode("utf-8")


def seed_paragraphs() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        if line.startswith("- "):
            out.append(("bullet", line[2:].strip()))
        elif line.startswith("Projet de quartier"):
            out.append(("nbh", line.strip()))
        elif len(line) < 60 and not line.rstrip().endswith(".") and line.strip()[:1].isalpha():
            out.append(("theme", line.strip()))
        else:
            out.append(("text", line.strip()))
    return out


def as_docx(paragraphs: list[tuple[str, str]]) -> bytes:
    import docx

    document = docx.Document()
    for kind, text in paragraphs:
        if kind == "nbh":
            document.add_heading(text, level=1)
        elif kind == "theme":
            document.add_heading(text, level=2)
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_odt(paragraphs: list[tuple[str, str]]) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    for kind, text in paragraphs:
        if kind == "bullet":
            item = ListItem()
            item.addElement(P(text=text))
            wrapper = List()
            wrapper.addElement(item)
            document.text.addElement(wrapper)
        elif kind in {"nbh", "theme"}:
            document.text.addElement(H(outlinelevel=1 if kind == "nbh" else 2, text=text))
        else:
            document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def as_pdf(paragraphs: list[tuple[str, str]]) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["Normal"], spaceAfter=8)
    kinds = {"title": styles["Title"], "nbh": styles["Heading1"], "theme": styles["Heading2"], "bullet": body,
             "text": body}
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build(
        [Paragraph(escape(("- " if k == "bullet" else "") + t), kinds[k]) for k, t in paragraphs])
    return buffer.getvalue()


def measure(label: str, data: bytes, filename: str, runs: int) -> None:
    times = []
    cpu = []
    result = None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = import_annex_bytes(data, filename)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    assert result is not None
    fw = result.framework
    print(f"{label:<34} {len(result.lines):>6} lines {len(fw.neighbourhoods):>4} nbh {len(fw.themes):>5} themes "
          f"{len(fw.objectives):>6} obj | median {statistics.median(times) * 1000:9.1f} ms "
          f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, {runs} runs) | median CPU "
          f"{statistics.median(cpu) * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    seed = seed_paragraphs()
    big = synthetic_annex()
    cases: list[tuple[str, Callable[[], bytes], str, int]] = [
        ("seed .txt", SEED.read_bytes, "a.txt", args.runs),
        ("seed .docx", lambda: as_docx(seed), "a.docx", args.runs),
        ("seed .odt", lambda: as_odt(seed), "a.odt", args.runs),
        ("seed .pdf", lambda: as_pdf(seed), "a.pdf", max(3, args.runs // 2)),
        ("synthetic 200 pages .txt", lambda: as_text(big), "a.txt", args.runs),
        ("synthetic 200 pages .docx", lambda: as_docx(big), "a.docx", max(3, args.runs // 2)),
    ]
    for label, build, filename, runs in cases:
        measure(label, build(), filename, runs)


if __name__ == "__main__":
    main()
