"""quartiers contract-create CODE_CV [--slug SLUG]: a contract of this instance made from the national reference."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quartiers.territories.models import Contract, Neighbourhood
from quartiers.territories.services import (
    ContractCreateError,
    contract_create,
    contract_create_from_reference,
    neighbourhoods_load,
    reference_load,
)

NIMES_QPVS = ["QN03003M", "QN03004I", "QN03005I", "QN03006I", "QN03007M", "QN03008M", "QN03009M"]


@pytest.fixture
def gard(db):
    reference_load(department="30")


def create(*args) -> list[str]:
    out = io.StringIO()
    call_command("contract_create", *args, stdout=out)
    return out.getvalue().splitlines()


def test_contract_create_makes_the_contract_with_its_qpvs(gard):
    lines = create("CN03002I")
    assert lines[-1] == "ca-de-nimes-metropole"
    contract = Contract.objects.get(slug=lines[-1])
    assert (contract.name, contract.code, contract.lead_name, contract.lead_siren, contract.department) == (
        "CA de Nîmes Métropole", "CN03002I", "CA de Nîmes Métropole", "243000643", "30")
    assert contract.reference.code == "CN03002I"
    assert sorted(contract.neighbourhoods.values_list("code", flat=True)) == NIMES_QPVS
    assert f"Quartiers prioritaires rattachés (7) : {', '.join(NIMES_QPVS)}" in lines


def test_contract_create_takes_a_slug_and_accepts_a_lower_case_code(gard):
    assert create("cn03001i", "--slug", "ales-agglo")[-1] == "ales-agglo"
    assert Contract.objects.get(slug="ales-agglo").neighbourhoods.count() == 3


def test_contract_create_never_steals_a_qpv_of_another_contract(gard):
    ales = Contract.objects.create(slug="ales", name="Contrat d'Alès", code="CN03001I")
    neighbourhoods_load(codes=["QN03014M"], contract=ales)
    lines = create("CN03005I")
    assert "QN03014M reste rattaché au contrat « ales » de cette instance." in lines
    assert "Aucun quartier prioritaire rattaché." in lines
    assert Neighbourhood.objects.get(code="QN03014M").contract == ales
    assert Contract.objects.get(slug=lines[-1]).reference.code == "CN03005I"


def test_the_default_slug_is_made_unique(gard):
    Contract.objects.create(slug="ca-de-nimes-metropole", name="Un autre contrat")
    assert contract_create(code="CN03002I").slug == "ca-de-nimes-metropole-2"


@pytest.mark.django_db
def test_contract_create_asks_for_the_reference_first():
    with pytest.raises(CommandError, match="Chargez d'abord le référentiel national : quartiers load-reference"):
        create("CN03002I")
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("code", "slug", "message"),
    [
        ("CN99999X", "", "Contrat de ville inconnu du référentiel national : « CN99999X »."),
        ("", "", "Code du contrat de ville manquant"),
        ("CN03002I", "Nîmes Métropole", "Identifiant invalide : « Nîmes Métropole »"),
        ("CN03002I", "taken", "L'identifiant « taken » est déjà pris par un autre contrat."),
    ],
)
def test_contract_create_errors_are_in_french_and_write_nothing(gard, code, slug, message):
    Contract.objects.create(slug="taken", name="Pris")
    with pytest.raises(ContractCreateError, match=message):
        contract_create_from_reference(code=code, slug=slug)
    assert list(Contract.objects.values_list("slug", flat=True)) == ["taken"]
    assert not Neighbourhood.objects.filter(contract__isnull=False).exists()


def test_contract_create_refuses_a_contract_already_here(gard):
    create("CN03002I")
    with pytest.raises(CommandError, match="Le contrat CN03002I existe déjà sur cette instance"):
        create("CN03002I", "--slug", "nimes")
    # Also when the contract was made in code (the demo) before the reference linked it.
    Contract.objects.create(slug="ales", name="Contrat d'Alès", code="CN03001I")
    with pytest.raises(ContractCreateError, match="« ales »"):
        contract_create(code="CN03001I")


def test_contract_create_records_who_created_it(gard, django_user_model):
    staff = django_user_model.objects.create_user(username="anct", is_staff=True)
    contract = contract_create(code="CN03003I", by=staff)
    contract.refresh_from_db()
    assert contract.created_by == staff and contract.created_at
    assert create("CN03004I")[-1] == "cc-beaucaire-terre-d-argence"
    assert Contract.objects.get(code="CN03004I").created_by is None
