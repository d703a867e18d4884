"""Confirmed matches as examples (issue #5): bounded boost, similar cases in the evidence, rules on no-match."""

import json

import pytest

from quartiers.engine.matching import ExampleConfig, LabelledExample, Matcher, Proposal, SimilarCase


def _key(framework, objective_ids, oid):
    return next(o.key for o in framework.objectives if objective_ids[o.text] == oid)


SURF = Proposal("Stage de surf cet été", "Une semaine de découverte du surf en juillet pour les jeunes du quartier, "
                "avec le transport et les repas partagés.", "jeunes de 12 à 17 ans")


@pytest.fixture(scope="module")
def holiday_examples(framework, objective_ids):
    # Q3.T1.O4 (Anduze): activities dedicated to teenagers and young people, evenings, week-ends, holidays
    key = _key(framework, objective_ids, "Q3.T1.O4")
    return [
        LabelledExample("ANDUZE-2026-0001", "Séjour nature des vacances d'été",
                        "Une semaine de découverte de la nature en juillet pour les jeunes du quartier, avec "
                        "des activités de plein air et des repas partagés.", key, "QN03002M"),
        LabelledExample("ANDUZE-2026-0002", "Stage d'escalade pendant les vacances",
                        "Stage d'escalade d'une semaine pendant les vacances scolaires pour les adolescents.", key),
    ]


def test_no_examples_gives_exactly_the_same_output(matcher):
    a = matcher.match(SURF, "Anduze")
    b = matcher.match(SURF, "Anduze", examples=())
    assert a == b
    assert all(m.similar_cases == () and m.example_boost == 0.0 for m in b.matches)
    assert all("similar_cases" not in m.as_dict() for m in b.matches)


def test_the_nearest_confirmed_cases_raise_their_objective_and_are_listed(matcher, holiday_examples, objective_ids):
    base = {m.objective.key: m.score for m in matcher.match(SURF, "Anduze").matches}
    result = matcher.match(SURF, "Anduze", examples=holiday_examples)
    boosted = [m for m in result.matches if m.similar_cases]
    assert boosted, "the near case should count"
    m = boosted[0]
    assert objective_ids[m.objective.text] == "Q3.T1.O4"
    assert 0 < m.example_boost <= matcher.example_config.max_boost + 1e-9
    assert m.score == pytest.approx(min(1.0, base[m.objective.key] + m.example_boost), abs=1e-6)
    assert m.similar_cases[0].reference == "ANDUZE-2026-0001"
    assert isinstance(m.similar_cases[0], SimilarCase)
    assert 0 < m.similar_cases[0].similarity <= 1
    cases = m.as_dict()["similar_cases"]
    assert cases[0]["reference"] == "ANDUZE-2026-0001" and "title" in cases[0] and "similarity" in cases[0]
    json.dumps(result.matches[0].as_dict(), ensure_ascii=False)
    # the other objectives are untouched
    for other in result.matches:
        if not other.similar_cases:
            assert other.score == base[other.objective.key]
    # evidence weights still add up to at most 1 with the examples' share
    assert sum(e.weight for e in m.evidence) <= 1.0 + 1e-9


def test_examples_are_deterministic(matcher, holiday_examples):
    a = matcher.match(SURF, "Anduze", examples=holiday_examples)
    b = Matcher(matcher.framework).match(SURF, "Anduze", examples=list(holiday_examples))
    assert [(m.objective.key, m.score, m.similar_cases) for m in a.matches] == [
        (m.objective.key, m.score, m.similar_cases) for m in b.matches]


def test_examples_of_another_neighbourhood_are_ignored(matcher, framework, objective_ids, holiday_examples):
    base = matcher.match(SURF, "Anduze")
    # an objective of Alès: not ranked in Anduze
    ales = LabelledExample("ALES-2027-0003", SURF.title, SURF.description, _key(framework, objective_ids, "Q1.T3.O2"))
    assert matcher.match(SURF, "Anduze", examples=[ales]) == base
    # an Anduze objective but a confirmed case of another neighbourhood's code
    elsewhere = LabelledExample("X-1", SURF.title, SURF.description, holiday_examples[0].objective_key, "QN03001I")
    assert matcher.match(SURF, "Anduze", examples=[elsewhere]) == base
    # unknown objective keys are ignored too
    assert matcher.match(SURF, "Anduze", examples=[LabelledExample("X-2", "a", "b", "nope")]) == base


def test_an_example_does_not_turn_a_no_match_into_a_match_unless_near_duplicate(matcher, framework, objective_ids):
    astro = Proposal("Observation des étoiles", "Soirée d'astronomie avec un télescope pour les curieux.")
    assert matcher.match(astro, "Alès").no_match
    key = _key(framework, objective_ids, "Q1.T3.O2")
    related = LabelledExample("ALES-1", "Nuit des étoiles", "Soirée d'observation du ciel avec un club "
                              "d'astronomie et des télescopes, ouverte aux familles.", key)
    strong = Matcher(framework, example_config=ExampleConfig(max_boost=1.0, low=0.0, high=0.01))
    held = strong.match(astro, "Alès", examples=[related])
    assert held.no_match, "a similar (not identical) case must not decide alone"
    assert held.matches[0].similar_cases
    same = LabelledExample("ALES-2", astro.title, astro.description, key)
    result = matcher.match(astro, "Alès", examples=[same])
    assert not result.no_match
    assert objective_ids[result.matches[0].objective.text] == "Q1.T3.O2"
    assert result.matches[0].similar_cases[0].similarity >= matcher.example_config.near_duplicate


def test_match_many_takes_examples_too(matcher, holiday_examples):
    one = matcher.match(SURF, "Anduze", examples=holiday_examples)
    many = matcher.match_many([(SURF, "Anduze"), (SURF, "Alès")], examples=holiday_examples)
    assert [m.objective.key for m in many[0].matches] == [m.objective.key for m in one.matches]
    assert [c.reference for c in many[0].matches[0].similar_cases] == [
        c.reference for c in one.matches[0].similar_cases]
    assert not any(m.similar_cases for m in many[1].matches)


def test_examples_without_significant_words_are_skipped(matcher, holiday_examples):
    empty = LabelledExample("X-3", "", "", holiday_examples[0].objective_key)
    assert matcher.match(SURF, "Anduze", examples=[empty]) == matcher.match(SURF, "Anduze")
