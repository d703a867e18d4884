"""Two contracts publish their framework on one instance: the API, the match page, the CLI and the matcher cache
answer each QPV from its own contract's framework, and never the last one published."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import override_settings

from quartiers.frameworks import matching
from tests.factories.territories import NIMES_QPVS, ContractFactory, PublishedVersionFactory

pytestmark = pytest.mark.django_db

SCHOOL = {"title": "Aide aux devoirs", "description": "Accompagnement à la scolarité et soutien scolaire des collégiens."}


@pytest.fixture
def two(db):
    ales = ContractFactory(slug="ales", name="CA Alès Agglomération", code="CN03001I")
    nimes = ContractFactory(slug="nimes", name="Nîmes Métropole", code="CN03002I", qpvs=NIMES_QPVS)
    return PublishedVersionFactory(contract=ales), PublishedVersionFactory(contract=nimes)  # Nîmes published last


def _post(client, **payload):
    return client.post("/api/v1/match", json.dumps(payload), content_type="application/json")


def test_match_finds_each_qpv_s_own_contract(client, two):
    ales = _post(client, neighbourhood="QN03001I", **SCHOOL)
    nimes = _post(client, neighbourhood="QN03003M", **SCHOOL)
    assert ales.status_code == 200 and nimes.status_code == 200
    assert ales.json()["contract"]["slug"] == "ales" and ales.json()["code"] == "QN03001I"
    assert nimes.json()["contract"]["slug"] == "nimes" and nimes.json()["code"] == "QN03003M"
    assert ales.json()["matches"] and nimes.json()["matches"]


def test_a_name_is_resolved_across_contracts_or_refused_with_the_choices(client, two):
    assert _post(client, neighbourhood="Anduze", **SCHOOL).json()["contract"]["slug"] == "ales"
    assert _post(client, neighbourhood="Pissevin", **SCHOOL).json()["contract"]["slug"] == "nimes"
    unknown = _post(client, neighbourhood="Tombouctou", **SCHOOL)
    assert unknown.status_code == 404 and "QN03001I" in unknown.json()["detail"]
    wrong = _post(client, neighbourhood="QN03001I", contract="nimes", **SCHOOL)
    assert wrong.status_code == 404
    assert _post(client, neighbourhood="QN03001I", contract="inconnu", **SCHOOL).json()["detail"].startswith(
        "Contrat inconnu")


def test_a_name_two_contracts_share_is_a_409_listing_them(client, two):
    from quartiers.frameworks.models import NeighbourhoodSection

    NeighbourhoodSection.objects.filter(neighbourhood__code="QN03004I").update(name="Centre Ancien")
    NeighbourhoodSection.objects.filter(neighbourhood__code="QN03002M").update(name="Centre Ancien")
    response = _post(client, neighbourhood="Centre Ancien", **SCHOOL)
    assert response.status_code == 409
    assert set(response.json()["choices"]) == {"ales", "nimes"} and "plusieurs contrats" in response.json()["detail"]


def test_a_qpv_of_no_contract_here_says_so(client, two):
    from quartiers.territories.services import neighbourhoods_load

    neighbourhoods_load(codes=["QN03017M"])
    response = _post(client, neighbourhood="QN03017M", **SCHOOL)
    assert response.status_code == 404 and "n'est rattaché à aucun contrat" in response.json()["detail"]
    assert "Code QPV inconnu" in _post(client, neighbourhood="QN03099Z", **SCHOOL).json()["detail"]


def test_framework_routes_per_contract(client, two):
    listed = client.get("/api/v1/contracts").json()["contracts"]
    assert [(c["slug"], c["framework_url"]) for c in listed] == [
        ("ales", "/api/v1/contracts/ales/framework"), ("nimes", "/api/v1/contracts/nimes/framework")]
    ales = client.get("/api/v1/contracts/ales/framework").json()
    nimes = client.get("/api/v1/contracts/nimes/framework").json()
    assert {n["code"] for n in ales["neighbourhoods"]} == {"QN03001I", "QN03002M"}
    assert {n["code"] for n in nimes["neighbourhoods"]} == set(NIMES_QPVS)
    assert client.get("/api/v1/contracts/inconnu/framework").status_code == 404
    several = client.get("/api/v1/framework")
    assert several.status_code == 409 and several.json()["choices"] == ["ales", "nimes"]
    assert "/api/v1/contracts/" in several.json()["detail"]


def test_the_single_contract_route_still_answers_with_one_publisher(client, db):
    PublishedVersionFactory(contract=ContractFactory(slug="ales", name="CA Alès Agglomération"))
    ContractFactory(slug="nimes", name="Nîmes Métropole", qpvs=NIMES_QPVS)  # publishes nothing
    response = client.get("/api/v1/framework")
    assert response.status_code == 200 and response.json()["contract"]["slug"] == "ales"
    assert client.get("/api/v1/contracts/nimes/framework").status_code == 404


def test_openapi_describes_the_new_routes(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/v1/contracts", "/api/v1/contracts/{slug}/framework", "/api/v1/framework", "/api/v1/match"} <= set(
        paths)


def test_the_match_page_asks_for_the_contract_then_reads_its_framework(client, two):
    from django.urls import reverse

    url = reverse("frameworks:match")
    page = client.get(url).content.decode()
    assert "Choisissez d’abord le contrat de ville" in page and 'value="nimes"' in page
    found = client.get(url, {"lieu": "pissevin"}).content.decode()
    assert f"{url}?contrat=nimes&amp;quartier=QN03003M" in found
    nimes = client.get(url, {"contrat": "nimes"}).content.decode()
    assert "QN03003M" in nimes and "QN03001I" not in nimes and 'name="contrat" value="nimes"' in nimes
    by_code = client.get(url, {"quartier": "QN03001I"}).content.decode()
    assert "QN03001I" in by_code and "QN03003M" not in by_code
    result = client.post(url, {"contrat": "nimes", "neighbourhood": "QN03003M", **SCHOOL,
                               "audience": ""}).content.decode()
    assert "décrochage scolaire" in result
    refused = client.post(url, {"contrat": "nimes", "neighbourhood": "QN03001I", **SCHOOL, "audience": ""})
    assert "Ce quartier n&#x27;existe pas dans le référentiel publié" in refused.content.decode()
    assert "Contrat inconnu" in client.get(url, {"contrat": "zzz"}).content.decode()


def test_the_cli_answers_each_line_from_its_own_contract_when_several_publish(two, tmp_path):
    proposals = tmp_path / "p.jsonl"
    lines = [{"id": "a", "neighbourhood": "QN03001I", **SCHOOL}, {"id": "n", "neighbourhood": "Pissevin", **SCHOOL},
             {"id": "x", "neighbourhood": "QN03099Z", **SCHOOL}, {"id": "v", "title": "sans quartier"}]
    proposals.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    out = io.StringIO()
    call_command("match", "--input", str(proposals), "--json", stdout=out)
    answers = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [a["id"] for a in answers] == ["a", "n", "x", "v", None]
    assert answers[0]["matches"] and answers[1]["matches"]  # Alès by code, Nîmes by a name only it bears
    assert "Code QPV inconnu" in answers[2]["error"] and "Quartier non précisé" in answers[3]["error"]
    assert "JSON invalide" in answers[4]["error"]
    out = io.StringIO()
    call_command("match", "--input", str(proposals), "--json", "--contract", "nimes", stdout=out)
    assert json.loads(out.getvalue().splitlines()[1])["matches"]
    with pytest.raises(Exception, match="Contrat inconnu : « zzz »"):
        call_command("match", "--input", str(proposals), "--json", "--contract", "zzz", stdout=io.StringIO())


@override_settings(MATCHER_CACHE_SIZE=2)
def test_the_matcher_cache_keeps_the_most_recently_used(two, monkeypatch):
    from collections import OrderedDict

    monkeypatch.setattr(matching, "_MATCHERS", OrderedDict())
    built = []
    real = matching._build
    monkeypatch.setattr(matching, "_build", lambda v: built.append(v.pk) or real(v))
    ales, nimes = two
    third = PublishedVersionFactory(contract=ContractFactory(slug="gard", name="Gard Rhodanien", qpvs=["QN03010M"]))
    matching.warm_matcher(ales)
    matching.warm_matcher(nimes)
    matching.matcher_for(ales)  # a hit: Alès becomes the most recently used
    assert built == [ales.pk, nimes.pk]
    matching.matcher_for(third)  # evicts Nîmes, the least recently used
    assert matching.cached_versions() == [ales.pk, third.pk]
    matching.matcher_for(nimes)
    assert built == [ales.pk, nimes.pk, third.pk, nimes.pk]
    assert matching.cached_versions() == [third.pk, nimes.pk]
