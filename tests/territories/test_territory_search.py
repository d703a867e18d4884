import pytest

from quartiers.territories.models import Contract, Neighbourhood
from quartiers.territories.selectors import neighbourhood_reference, search_words, territory_search
from quartiers.territories.services import contract_create, neighbourhoods_load, reference_load


def test_search_words():
    assert search_words("St-Ambroix") == ["saint", "ambroix"]


@pytest.fixture
def gard(db):
    reference_load(department="30")


def kinds(query: str, **kw) -> set[tuple[str, str]]:
    return {(h.kind, h.code) for h in territory_search(query, **kw)}


@pytest.mark.django_db
def test_territory_search_ignores_accents_and_hyphens():
    """Without the reference: the QPVs and communes loaded by neighbourhoods_load (the demo) are found."""
    neighbourhoods_load(codes=["QN03016M", "QN03014M"])
    found = kinds("grand combe")
    assert ("neighbourhood", "QN03016M") in found and ("commune", "30132") in found
    assert ("commune", "30227") in kinds("st ambroix")
    assert territory_search("   ") == []


def test_search_over_the_reference(gard):
    assert {("neighbourhood", "QN03016M"), ("commune", "30132")} <= kinds("grand combe")
    assert {("neighbourhood", "QN03014M"), ("commune", "30227")} <= kinds("st ambroix")
    assert {("neighbourhood", "QN03014M"), ("commune", "30227")} <= kinds("Saint-Ambroix")
    nimes = territory_search("nimes")
    assert (nimes[0].kind, nimes[0].code, nimes[0].name) == ("contract", "CN03002I", "CA de Nîmes Métropole")
    assert nimes[0].contract_slug == "" and "QN03003M" in nimes[0].neighbourhood_codes
    assert ("commune", "30189") in {(h.kind, h.code) for h in nimes}
    assert kinds("qn03003m") == {("neighbourhood", "QN03003M")}
    assert kinds("CN03002I") == {("contract", "CN03002I")}
    assert kinds("pissevin valdegour") == {("neighbourhood", "QN03003M")}
    assert kinds("nimes zzz") == set()
    assert len(territory_search("saint", limit=5)) == 5


def test_search_gives_the_slug_of_the_contract_run_here(gard):
    contract = contract_create(code="CN03002I")
    hits = {(h.kind, h.code): h for h in territory_search("nimes")}
    assert hits["contract", "CN03002I"].contract_slug == contract.slug
    assert hits["neighbourhood", "QN03003M"].contract_slug == contract.slug
    assert hits["commune", "30189"].contract_slug == contract.slug
    assert hits["commune", "30189"].neighbourhood_codes[:2] == ("QN03003M", "QN03004I")


def test_search_finds_a_contract_made_in_code_without_reference(db):
    Contract.objects.create(slug="ales", name="Contrat de ville de l'arrondissement d'Alès")
    assert [(h.kind, h.code, h.contract_slug) for h in territory_search("arrondissement ales")] == [
        ("contract", "ales", "ales")]


def test_neighbourhood_reference_prefers_the_contract_run_here(gard):
    n = Neighbourhood.objects.get(code="QN03016M")
    ref = neighbourhood_reference(n)
    assert (ref.contract_name, ref.contract_slug, ref.reference_code) == ("CA Alès Agglomération", "", "CN03001I")
    assert ref.communes == ("Branoux-les-Taillades", "La Grand-Combe", "Les Salles-du-Gardon")
    assert ref.epci_names == ("CA Alès Agglomération",)
    assert n.contract_name == "CA Alès Agglomération"
    ales = Contract.objects.create(slug="ales", name="Contrat de ville de l'arrondissement d'Alès", code="CN03001I")
    Neighbourhood.objects.filter(pk=n.pk).update(contract=ales)
    n.refresh_from_db()
    assert neighbourhood_reference(n).contract_name == ales.name and neighbourhood_reference(n).contract_slug == "ales"
    assert n.contract_name == ales.name
