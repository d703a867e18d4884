"""The national home: a place search (contracts, communes, QPV) and every contract of the instance with its status."""

import csv
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.calls import CallFactory
from tests.factories.territories import NIMES_QPVS, ContractFactory, PublishedVersionFactory

pytestmark = pytest.mark.django_db

QPV_FILE = Path(__file__).resolve().parents[2] / "data" / "reference" / "qpv_2024_france.csv"


def _codes_outside_gard(n: int) -> list[str]:
    with open(QPV_FILE, encoding="utf-8-sig", newline="") as f:
        return [r["code_qp"] for r in csv.DictReader(f) if not r["code_qp"].startswith("QN030")][:n]


def _world(n_contracts: int):
    """The Alès-like contract (published, open call), Nîmes (published), and more contracts with one QPV each,
    every second one published."""
    ales = ContractFactory(slug="ales", name="CA Alès Agglomération", code="CN03001I")
    CallFactory(contract=ales, slug="appel-ales")
    nimes = ContractFactory(slug="nimes", name="Nîmes Métropole", code="CN03002I", qpvs=NIMES_QPVS)
    PublishedVersionFactory(contract=nimes)
    for i, code in enumerate(_codes_outside_gard(n_contracts - 2)):
        c = ContractFactory(slug=f"autre-{i}", name=f"Contrat {i:02d}", qpvs=[code])
        if i % 2 == 0:
            PublishedVersionFactory(contract=c)
    return ales, nimes


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_home_lists_every_contract_with_its_framework_and_call(client):
    _world(3)
    page = client.get(reverse("core:home")).content.decode()
    assert "Les contrats de ville de cette plateforme" in page
    assert "3 contrats ; 3 ont publié leur référentiel ; 1 appel à projets ouvert." in page
    assert 'href="/appels/appel-ales/"' in page  # Alès's call is open
    assert "Quartiers prioritaires du Nîmes Métropole" in page  # few contracts: the detailed tables too
    assert "Quartiers prioritaires du CA Alès Agglomération" in page


def test_home_query_count_does_not_grow_with_the_number_of_contracts(client):
    _world(3)
    small = _queries(client, reverse("core:home"))
    small_search = _queries(client, reverse("core:home") + "?lieu=nimes")
    for i, code in enumerate(_codes_outside_gard(20)[1:18]):
        c = ContractFactory(slug=f"plus-{i}", name=f"Contrat plus {i:02d}", qpvs=[code])
        PublishedVersionFactory(contract=c)
    assert _queries(client, reverse("core:home")) <= small  # 20 contracts: the summary table only
    assert _queries(client, reverse("core:home") + "?lieu=nimes") <= small_search
    page = client.get(reverse("core:home")).content.decode()
    assert "20 contrats" in page and "Quartiers prioritaires du Nîmes Métropole" not in page


@pytest.mark.parametrize(("query", "expected"), [
    ("grand combe", "QN03016M"),
    ("st ambroix", "30227"),
    ("PISSEVIN", "QN03003M"),
    ("nimes", "Nîmes Métropole"),
])
def test_home_finds_contracts_communes_and_qpv_ignoring_accents_and_hyphens(client, query, expected):
    _world(2)
    from quartiers.territories.services import neighbourhoods_load

    neighbourhoods_load(codes=["QN03016M", "QN03014M"])
    page = client.get(reverse("core:home"), {"lieu": query}).content.decode()
    assert f"Résultats pour « {query} »" in page
    assert expected in page.split("Résultats pour")[1].split("Les contrats de ville de cette plateforme")[0]


def test_home_says_when_nothing_matches_and_refuses_nothing(client):
    _world(2)
    page = client.get(reverse("core:home"), {"lieu": "zzzz introuvable"}).content.decode()
    assert "Aucun contrat, aucune commune ni aucun quartier ne correspond à « zzzz introuvable »" in page
    too_long = client.get(reverse("core:home"), {"lieu": "x" * 500})
    assert too_long.status_code == 200
    assert "120 caractères" in too_long.content.decode()


def test_home_on_an_empty_instance(client):
    page = client.get(reverse("core:home")).content.decode()
    assert "Aucun contrat de ville n’est encore ouvert sur cette plateforme." in page
