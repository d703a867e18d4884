"""The leave-one-out of the confirmed-matches examples (eval/loo.py): same figures as the gate without examples,
and a case is never its own example."""

import pytest

from eval.inprocess import evaluate, official_framework
from eval.loo import examples_of, leave_one_out, load_cases, objective_ids
from eval.seed import DEV_SET
from quartiers.engine.matching import Matcher


@pytest.fixture(scope="module")
def matcher():
    return Matcher(official_framework())


def test_every_labelled_case_with_an_objective_becomes_an_example(matcher):
    cases = load_cases()
    keys = objective_ids(matcher.framework)
    examples = examples_of(cases, keys, matcher.framework)
    assert len(examples) == sum(1 for c in cases if c.item["gold"])
    assert all(ex.neighbourhood_code for _, ex in examples)


def test_without_examples_the_figures_are_the_scorer_contract_s(matcher):
    got = leave_one_out(matcher, [c for c in load_cases(("dev",))])
    gate = evaluate(matcher, DEV_SET)
    for metric in ("top1", "top3", "mrr", "none_f1"):
        assert got["dev"]["without"][metric] == pytest.approx(gate[metric])
    assert set(got) == {"dev", "all"}


def test_a_case_is_never_its_own_example(matcher):
    cases = load_cases(("own",))[:6]
    keys = objective_ids(matcher.framework)
    examples = examples_of(load_cases(("own",)), keys, matcher.framework)
    for c in cases:
        others = [ex for other, ex in examples if other.item["id"] != c.item["id"]]
        result = matcher.match(c.proposal, c.selector, examples=others)
        assert all(s.reference != c.item["id"] for m in result.matches for s in m.similar_cases)
