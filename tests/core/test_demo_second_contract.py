"""`quartiers demo` loads a second contract (Pays d'Uzès) beside Alès, each with its own published framework."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from quartiers.frameworks.models import FrameworkVersion, NeighbourhoodSection
from quartiers.territories.models import Contract

pytestmark = pytest.mark.django_db


def _demo() -> str:
    out = io.StringIO()
    call_command("demo", "--no-migrate", "--no-warmup", "--no-review-demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_two_contracts_each_with_its_own_framework(client):
    _demo()
    ales, uzes = Contract.objects.get(slug="ales"), Contract.objects.get(slug="uzes")
    assert (ales.code, uzes.code) == ("CN03001I", "CN03007I")
    assert sorted(uzes.neighbourhoods.values_list("code", flat=True)) == ["QN03017M"]
    uzes_version = FrameworkVersion.objects.of_contract(uzes).published().get()
    sections = NeighbourhoodSection.objects.filter(version=uzes_version)
    assert [s.neighbourhood.code for s in sections] == ["QN03017M"]
    assert sum(t.objectives.count() for s in sections for t in s.themes.all()) == 6
    ales_version = FrameworkVersion.objects.of_contract(ales).published().get()
    assert "QN03017M" not in set(NeighbourhoodSection.objects.filter(version=ales_version)
                                 .values_list("neighbourhood__code", flat=True))

    page = client.get(reverse("core:home")).content.decode()
    assert "Contrat de ville du Pays d&#x27;Uzès" in page and "Contrat de ville de l&#x27;arrondissement d&#x27;Alès" in page
    assert "Amandiers-Mûriers" in client.get("/quartiers/QN03017M/").content.decode()


def test_the_demo_stays_idempotent_with_its_second_contract():
    _demo()
    counts = (Contract.objects.count(), FrameworkVersion.objects.count())
    _demo()
    assert (Contract.objects.count(), FrameworkVersion.objects.count()) == counts == (2, 2)


def test_the_second_contract_can_be_left_out():
    call_command("demo", "--no-migrate", "--no-warmup", "--no-review-demo", "--no-second-contract",
                 stdout=io.StringIO())
    assert list(Contract.objects.values_list("slug", flat=True)) == ["ales"]


def test_quartiers_match_answers_each_line_from_its_contract_on_the_demo(tmp_path):
    import json

    _demo()
    proposals = tmp_path / "p.jsonl"
    proposals.write_text("\n".join(json.dumps(x) for x in [
        {"id": "ales", "neighbourhood": "Anduze", "title": "Aide aux devoirs",
         "description": "Soutien scolaire et accompagnement à la scolarité des collégiens."},
        {"id": "uzes", "neighbourhood": "QN03017M", "title": "Médiation santé",
         "description": "Accompagner les habitants dans l'accès aux soins et aux droits."},
    ]) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("match", "--input", str(proposals), "--json", "--top", "1", stdout=out)
    ales, uzes = (json.loads(line) for line in out.getvalue().splitlines())
    from quartiers.frameworks.models import Objective

    anduze = set(Objective.objects.filter(theme__section__version__contract__slug="ales",
                                          theme__section__neighbourhood__code="QN03002M").values_list("text", flat=True))
    assert ales["matches"][0]["objective"] in anduze
    assert uzes["matches"][0]["label"] == "Faciliter l'accès aux soins et aux droits"
