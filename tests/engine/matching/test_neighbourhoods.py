import pytest

from quartiers.engine.matching import MatchingError, find_neighbourhood


@pytest.mark.parametrize("selector,code", [
    ("Alès", "QN03001I"), ("ales", "QN03001I"), ("ALÈS", "QN03001I"),
    ("Grand'Combe", "QN03016M"), ("grand-combe", "QN03016M"), ("La Grand’Combe", "QN03016M"),
    ("Anduze", "QN03002M"), ("Saint Ambroix", "QN03014M"), ("saint-ambroix", "QN03014M"),
    ("QN03002M", "QN03002M"), ("qn03014m", "QN03014M"), ("Écusson", "QN03014M"), ("Tamaris", "QN03001I"),
])
def test_selectors(framework, selector, code):
    assert find_neighbourhood(framework, selector).code == code


def test_ambiguous_selector_names_the_candidates(framework):
    with pytest.raises(MatchingError, match="Quartier ambigu.*Ambroix"):
        find_neighbourhood(framework, "saint")


def test_an_exact_name_beats_a_partial_one(framework):
    # « Centre-ville » is Anduze's whole name, and only a part of Alès's
    assert find_neighbourhood(framework, "centre ville").code == "QN03002M"


@pytest.mark.parametrize("selector", ["Nîmes", "QN99999M", "Ales-les-Bains"])
def test_unknown_selector(framework, selector):
    with pytest.raises(MatchingError, match="Quartier inconnu"):
        find_neighbourhood(framework, selector)


def test_empty_selector(framework):
    with pytest.raises(MatchingError, match="Quartier non précisé"):
        find_neighbourhood(framework, " ")
