"""CI gate: the engine must not fall below the last accepted figures of eval/baseline.json (< 60 s)."""

import json
import time
from pathlib import Path

import pytest

from eval.inprocess import evaluate, official_framework
from eval.seed import DEV_SET, OWN_SET
from quartiers.engine.matching import Matcher

BASELINE = json.loads((Path(__file__).resolve().parents[2] / "eval" / "baseline.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def matcher():
    return Matcher(official_framework())


@pytest.mark.parametrize("name,path", [("dev", DEV_SET), ("own", OWN_SET)])
def test_engine_holds_the_accepted_figures(matcher, name, path):
    started = time.monotonic()
    got = evaluate(matcher, path)
    floor = BASELINE[name]
    eps = BASELINE["epsilon"]
    assert got["n"] > 0, "the gate found nothing to check"
    for metric in ("top1", "top3", "none_f1"):
        assert got[metric] >= floor[metric] - eps, f"{name} {metric}: {got[metric]:.3f} < {floor[metric]:.3f}"
    assert time.monotonic() - started < 60


def test_the_gate_refuses_an_empty_set(matcher, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert evaluate(matcher, empty)["n"] == 0
