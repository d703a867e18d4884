"""Memory of one server process holding the matchers of 1, 50 and every contract of the national database.

    .venv/bin/python bench/national.py                  # once
    .venv/bin/python bench/bench_matcher_memory.py [--db quartiers_bench] [--steps 1,50,450]

In a single process (as one server worker), loads with ``frameworks.matching.matcher_for`` the matcher of each
published version of the national database, one contract after another, and prints the resident memory (RSS) after
Django is set up, after the first matcher (the sentence encoder is loaded then), and after each step; the growth
per matcher is the difference between steps divided by the matchers added. Sentence vectors come from the engine's
disk cache (var/cache/embeddings), as on a warm server. Not run by the tests.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from pathlib import Path

import national
import psutil

ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="quartiers_bench")
    ap.add_argument("--steps", default="1,50,450")
    a = ap.parse_args(argv)
    meta = json.loads((ROOT / "var" / "bench" / f"{a.db}.json").read_text(encoding="utf-8"))
    national.setup_django(meta["database_url"], migrate=False)
    from django.db.models import Count

    from quartiers.engine.matching.semantic import default_encoder
    from quartiers.frameworks.matching import matcher_for
    from quartiers.frameworks.models import FrameworkVersion

    versions = list(FrameworkVersion.objects.published().order_by("contract__code")
                    .annotate(n=Count("sections__themes__objectives")))
    steps = sorted({min(int(s), len(versions)) for s in a.steps.split(",")})
    bare = rss_mb()
    default_encoder().encode(["échauffement"])  # the sentence encoder, shared by every matcher of the process
    base = rss_mb()
    print(f"{len(versions)} published versions in {a.db}; RSS after django.setup(): {bare:.0f} MB; with the "
          f"sentence encoder loaded: {base:.0f} MB (+{base - bare:.0f} MB)")
    rows = []
    loaded, objectives, t0 = 0, 0, time.perf_counter()
    first = None
    for step in steps:
        while loaded < step:
            matcher_for(versions[loaded])
            objectives += versions[loaded].n
            loaded += 1
            if loaded == 1:
                first = rss_mb()
        now = rss_mb()
        rows.append((loaded, objectives, now, time.perf_counter() - t0))
    print(f"RSS with the first matcher: {first:.0f} MB (+{first - base:.0f} MB)")
    print("| matchers loaded | objectives | RSS (MB) | growth since the first matcher (MB) | per matcher (MB) | "
          "build time, cumulated (s) |")
    print("|---|---|---|---|---|---|")
    for n, objs, mb, secs in rows:
        per = (mb - first) / (n - 1) if n > 1 else 0.0
        print(f"| {n} | {objs:,} | {mb:.0f} | {mb - first:.0f} | {per:.2f} | {secs:.1f} |".replace(",", " "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
