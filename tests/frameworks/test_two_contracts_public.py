"""Two contracts on one instance, each with its published framework: no public page shows the other's priorities."""

import json

import pytest
from django.urls import reverse

from quartiers.territories.services import neighbourhoods_load
from tests.factories.territories import NIMES_QPVS, ContractFactory, PublishedVersionFactory

pytestmark = pytest.mark.django_db

ALES_ONLY = "Accompagner les parents dans le suivi"  # both annexes share the factory text: compare by QPV instead


@pytest.fixture
def two_contracts():
    ales = ContractFactory(slug="ales", name="CA Alès Agglomération", code="CN03001I")
    nimes = ContractFactory(slug="nimes", name="Nîmes Métropole", code="CN03002I", qpvs=NIMES_QPVS)
    return PublishedVersionFactory(contract=ales), PublishedVersionFactory(contract=nimes)


def test_each_contract_page_lists_only_its_own_neighbourhoods(client, two_contracts):
    ales = client.get(reverse("frameworks:contract", args=["ales"])).content.decode()
    nimes = client.get(reverse("frameworks:contract", args=["nimes"])).content.decode()
    assert "QN03001I" in ales and "QN03003M" not in ales
    assert "QN03003M" in nimes and "QN03001I" not in nimes


def test_each_qpv_page_reads_its_own_contract(client, two_contracts):
    ales = client.get("/quartiers/QN03001I/").content.decode()
    nimes = client.get("/quartiers/QN03003M/").content.decode()
    assert 'href="/contrats/ales/"' in ales and 'href="/contrats/nimes/"' not in ales
    assert 'href="/contrats/nimes/"' in nimes and 'href="/contrats/ales/"' not in nimes


def test_each_contract_download_holds_only_its_own_framework(client, two_contracts):
    for slug, own, other in (("ales", "QN03001I", "QN03003M"), ("nimes", "QN03003M", "QN03001I")):
        response = client.get(reverse("frameworks:download_json", args=[slug]))
        data = json.loads(b"".join(response.streaming_content) if response.streaming else response.content)
        codes = {n["code"] for n in data["neighbourhoods"]}
        assert own in codes and other not in codes
        csv_response = client.get(reverse("frameworks:download_csv", args=[slug]))
        body = (b"".join(csv_response.streaming_content) if csv_response.streaming else csv_response.content).decode()
        assert own in body and other not in body


def test_version_pages_of_one_contract_do_not_resolve_under_the_other(client, two_contracts):
    ales_version, nimes_version = two_contracts
    assert client.get(reverse("frameworks:version", args=["ales", ales_version.number])).status_code == 200
    page = client.get(reverse("frameworks:version", args=["nimes", nimes_version.number])).content.decode()
    assert "QN03001I" not in page


def test_the_search_form_groups_neighbourhoods_by_contract(client, two_contracts):
    page = client.get(reverse("frameworks:search")).content.decode()
    assert '<optgroup label="CA Alès Agglomération">' in page and '<optgroup label="Nîmes Métropole">' in page
    results = client.get(reverse("frameworks:search"), {"q": "scolarité", "quartier": "QN03003M"}).content.decode()
    assert "Pissevin" in results and "QN03001I" not in results.split("<main")[1].split("</form>", 2)[-1]


def test_a_qpv_of_no_contract_has_a_public_page(client, db):
    neighbourhoods_load(codes=["QN03017M"])
    page = client.get("/quartiers/QN03017M/").content.decode()
    assert "Quartier Amandiers-Mûriers" in page or "Amandiers" in page
    assert "Uzès" in page
    assert "Aucun contrat de ville de cette plateforme ne couvre encore ce quartier." in page


def test_a_qpv_of_a_contract_without_framework_says_so(client, db):
    ContractFactory(slug="beaucaire", name="CC Beaucaire Terre d'Argence", qpvs=["QN03012M"])
    page = client.get("/quartiers/QN03012M/").content.decode()
    assert 'href="/contrats/beaucaire/"' in page
    assert "Ce contrat n’a pas encore publié de référentiel pour ce quartier." in page


def test_a_qpv_page_names_its_official_contract_before_this_instance_runs_it(client, db):
    from django.core.management import call_command

    call_command("load_reference", "--department", "30", stdout=__import__("io").StringIO())
    page = client.get("/quartiers/QN03010M/").content.decode()  # Bagnols-sur-Cèze, no tenant contract here
    assert "CN030" in page and "pas encore ouvert sur cette plateforme" in page
    assert "Ce contrat n’a pas encore publié de référentiel pour ce quartier." in page
