import json
from importlib import resources

from quartiers.engine.framework import CANONICAL_THEMES
from quartiers.engine.matching.lexicon import Lexicon, default_lexicon


def _terms(text):
    return [(h.surface, h.entry.means) for h in default_lexicon().detect(text)]


def test_the_shipped_lexicon_is_large_and_well_formed():
    data = json.loads(resources.files("quartiers.engine.matching").joinpath("data/lexicon.json").read_text("utf-8"))
    assert len(data["entries"]) >= 80
    for entry in data["entries"]:
        assert entry["terms"] and entry["means"]
        assert entry["theme"] in CANONICAL_THEMES


def test_acronyms_match_case_sensitively_as_whole_words():
    hits = _terms("Le CLAS travaille avec le PRE.")
    assert [s for s, _ in hits] == ["CLAS", "PRE"]
    assert "accompagnement à la scolarité" in hits[0][1]
    assert _terms("Près de l'école, un pré tranquille") == []


def test_phrases_match_whatever_the_plural_accents_and_hyphens():
    for text in ("Des jardins partagés", "un jardin-partagé", "JARDIN PARTAGE"):
        assert any("jardins" in means for _, means in _terms(text)), text


def test_aller_vers_is_not_reduced_to_aller():
    assert any("aller-vers" in m for _, m in _terms("une démarche d'aller-vers"))
    assert not any("aller-vers" in m for _, m in _terms("aller au cinéma"))


def test_each_entry_fires_once_and_in_order():
    lex = Lexicon([{"terms": ["FLE", "cours de français"], "means": "langue française", "theme": "social_link"}])
    hits = lex.detect("FLE : cours de français, encore des cours de français")
    assert len(hits) == 1 and hits[0].surface == "FLE"
