import json

from quartiers.engine.matching import Proposal
from quartiers.engine.matching.contract import answer, answer_lines


def test_answer_follows_the_contract(matcher):
    out = answer(matcher, {"id": 7, "neighbourhood": "QN03014M", "title": "Épicerie solidaire",
                           "description": "Épicerie solidaire et ateliers cuisine.", "audience": "familles"})
    assert set(out) == {"id", "no_match", "matches"}
    assert out["id"] == 7 and out["no_match"] is False
    assert len(out["matches"]) == 13
    first = out["matches"][0]
    assert {"objective", "label", "theme", "score", "evidence"} <= set(first)
    json.dumps(out)


def test_bad_lines_give_french_errors(matcher):
    outs = list(answer_lines(matcher, ["[1, 2]", "{", json.dumps({"id": "x", "title": "Sport"}),
                                       json.dumps({"id": "y", "neighbourhood": "Alès", "title": 3})]))
    assert [o.get("error", "")[:20] for o in outs] == [
        "Ligne invalide : un ", "Ligne 2 : JSON inval", "Quartier non précisé", "Champ invalide : « t"]


def test_match_many_equals_match(matcher):
    items = [(Proposal("Aide aux devoirs", "Soutien scolaire le soir"), "Alès"),
             (Proposal("Tournoi de foot", "Football féminin"), "Saint Ambroix")]
    many = matcher.match_many(items)
    for (p, h), got in zip(items, many, strict=True):
        one = matcher.match(p, h)
        assert [(m.objective, round(m.score, 5)) for m in got.matches] == [
            (m.objective, round(m.score, 5)) for m in one.matches]
