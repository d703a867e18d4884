import pytest

from quartiers.territories.selectors import search_words, territory_search
from quartiers.territories.services import neighbourhoods_load


def test_search_words():
    assert search_words("St-Ambroix") == ["saint", "ambroix"]

@pytest.mark.django_db
def test_territory_search_ignores_accents_and_hyphens():
    neighbourhoods_load(codes=["QN03016M", "QN03014M"])
    kinds = {(h.kind, h.code) for h in territory_search("grand combe")}
    assert ("neighbourhood", "QN03016M") in kinds and ("commune", "30132") in kinds
    assert ("commune", "30227") in {(h.kind, h.code) for h in territory_search("st ambroix")}
    assert territory_search("   ") == []
