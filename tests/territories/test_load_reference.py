"""quartiers load-reference on the real files of data/reference/: the Gard for most tests, France once."""

import io

import pytest
from django.core.management import call_command

from quartiers.territories.models import Commune, Contract, Epci, Neighbourhood, PlaceWord, ReferenceContract
from quartiers.territories.services import ReferenceError, neighbourhoods_load, qpv_contract, reference_load

ALES_QPVS = {"QN03001I": "Alès", "QN03016M": "La Grand-Combe", "QN03002M": "Anduze", "QN03014M": "Saint-Ambroix"}


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_reference", no_migrate=True, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_gard_qpvs_map_to_their_contracts():
    output = load(department="30")
    expected = {"QN03001I": "CN03001I", "QN03002M": "CN03001I", "QN03016M": "CN03001I", "QN03014M": "CN03005I",
                "QN03003M": "CN03002I"}
    got = dict(Neighbourhood.objects.filter(code__in=expected).values_list("code", "reference_contract__code"))
    assert got == expected
    nimes = ReferenceContract.objects.get(code="CN03002I")
    assert nimes.name == "CA de Nîmes Métropole" and nimes.department == "30"
    assert nimes.epci.siren == "243000643" and nimes.epci.nature == "CA"
    assert Neighbourhood.objects.filter(department="30").count() == 17
    assert "QPV rattachés à un contrat de ville : 17 / 17" in output
    assert "QPV sans contrat : 0" in output
    assert "Résumé (département 30" in output


@pytest.mark.django_db
def test_communes_and_epci_come_with_their_membership():
    load(department="30")
    ales = Commune.objects.select_related("epci").get(insee_code="30007")
    assert (ales.name, ales.region, ales.postcode, ales.epci.name) == ("Alès", "76", "30100", "CA Alès Agglomération")
    assert ales.population and ales.population > 40000
    assert Commune.objects.filter(department="30").count() == 350
    assert Epci.objects.get(siren="200066918").members_count == Commune.objects.filter(epci__siren="200066918").count()
    grand_combe = Neighbourhood.objects.get(code="QN03016M")
    assert sorted(grand_combe.communes.values_list("insee_code", flat=True)) == ["30051", "30132", "30307"]


@pytest.mark.django_db
def test_perimeters_and_bounding_boxes_are_stored():
    load(department="30")
    alès = Neighbourhood.objects.get(code="QN03001I")
    assert alès.perimeter["type"] == "MultiPolygon" and alès.perimeter["coordinates"][0][0][0]
    assert alès.bbox == (4.0674, 44.1172, 4.0919, 44.1538)
    assert Neighbourhood.objects.get(code="QN03014M").bbox == (4.1941, 44.2582, 4.2037, 44.2651)
    assert not Neighbourhood.objects.filter(department="30", perimeter__isnull=True).exists()


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_says_so():
    first = load(department="30")
    assert "Référentiel chargé." in first
    counts = (Commune.objects.count(), Epci.objects.count(), ReferenceContract.objects.count(),
              Neighbourhood.objects.count(), PlaceWord.objects.count())
    second = load(department="30", quiet=True)
    assert "Le référentiel était déjà à jour : rien n'a changé." in second
    assert "Communes : 350, aucun changement" in second and "QPV : 17, aucun changement" in second
    assert "[" not in second  # --quiet: no progress lines, only the summary
    assert counts == (Commune.objects.count(), Epci.objects.count(), ReferenceContract.objects.count(),
                      Neighbourhood.objects.count(), PlaceWord.objects.count())


@pytest.mark.django_db
def test_progress_is_shown_per_step():
    output = load(department="30")
    for step in ("EPCI et EPT :", "Communes :", "Contrats de ville :", "QPV :", "Index de recherche"):
        assert any(step in line and line.startswith("[") for line in output.splitlines()), step


@pytest.mark.django_db
def test_an_update_of_the_data_is_applied(tmp_path):
    load(department="30")
    Neighbourhood.objects.filter(code="QN03002M").update(name="Ancien nom", reference_contract=None)
    output = load(department="30")
    assert "QPV : 17 (0 créé(s), 1 mis à jour)" in output
    n = Neighbourhood.objects.get(code="QN03002M")
    assert (n.name, n.reference_contract.code) == ("Centre Ville", "CN03001I")


@pytest.mark.django_db
def test_the_tenant_attachments_and_short_names_are_kept():
    """quartiers demo then load-reference: the demo's contract keeps its QPVs (even QN03014M, officially in
    CN03005I) and their short names, and is linked to its reference contract."""
    ales = Contract.objects.create(slug="ales", name="Contrat de ville de l'arrondissement d'Alès", code="CN03001I")
    neighbourhoods_load(codes=ALES_QPVS, contract=ales, short_names=ALES_QPVS)
    output = load(department="30")
    assert "Contrats de cette instance reliés au référentiel : ales" in output
    hoods = Neighbourhood.objects.filter(code__in=ALES_QPVS)
    assert {n.code: (n.contract_id, n.short_name) for n in hoods} == {c: (ales.pk, s) for c, s in ALES_QPVS.items()}
    ales.refresh_from_db()
    assert ales.reference.code == "CN03001I"
    assert Neighbourhood.objects.get(code="QN03014M").reference_contract.code == "CN03005I"
    # load-reference then demo: loading the demo's QPVs again keeps the reference.
    neighbourhoods_load(codes=ALES_QPVS, contract=ales, short_names=ALES_QPVS)
    n = Neighbourhood.objects.get(code="QN03016M")
    assert n.reference_contract.code == "CN03001I" and n.perimeter and n.contract == ales
    assert Commune.objects.get(insee_code="30132").epci.siren == "200066918"


@pytest.mark.django_db
def test_an_unknown_department_is_refused_in_french():
    with pytest.raises(ReferenceError, match="Département inconnu : « 99 »"):
        reference_load(department="99")
    assert not Commune.objects.exists()


def test_ambiguous_qpvs_go_to_the_contract_of_most_of_their_communes():
    communes = {code: {"insee_parent": "", "siren_ept": "", "siren_epci": epci}
                for code, epci in (("1", "A"), ("2", "B"), ("3", "B"), ("4", "C"))}
    contracts = {"A": ["CN1"], "B": ["CN2"], "4": ["CV9", "CN4"]}
    assert qpv_contract(["1", "2", "3"], communes, contracts) == ("CN2", True)
    assert qpv_contract(["1", "2"], communes, contracts) == ("CN1", True)  # a tie: the first commune's
    assert qpv_contract(["2", "3"], communes, contracts) == ("CN2", False)
    assert qpv_contract(["4"], communes, contracts) == ("CN4", False)  # the commune's own contract, CN before CV
    assert qpv_contract(["9"], communes, contracts) == ("", False)


@pytest.mark.django_db
def test_the_full_load_covers_france():
    output = load(quiet=True)
    assert Neighbourhood.objects.count() == 1584
    assert ReferenceContract.objects.count() == 446  # 448 rows, CV428 and CN98701M twice
    assert Commune.objects.filter(kind="commune").count() == 34969
    assert Commune.objects.filter(kind="arrondissement").count() == 45
    assert Epci.objects.count() == 1266
    attached = Neighbourhood.objects.filter(reference_contract__isnull=False).count()
    assert attached == 1576
    assert f"QPV rattachés à un contrat de ville : {attached} / 1584" in output
    assert "QPV sans contrat : 8 : QN98742I" in output
    ambiguous = Neighbourhood.objects.filter(reference_ambiguous=True).count()
    assert ambiguous == 19 and "QPV ambigus (" in output and f" : {ambiguous} : " in output
    # Paris's QPVs: the commune contract of Paris; Plaine Commune's through its EPT, even via 93059.
    assert Neighbourhood.objects.get(code="QN07501M").reference_contract.code == "CN07501I"
    assert Neighbourhood.objects.get(code="QN09336I").reference_contract.code == "CN09302I"
    assert Commune.objects.get(insee_code="93059").parent.insee_code == "93066"
    assert Commune.objects.get(insee_code="75113").parent.insee_code == "75056"
    # Both rows of a duplicated code make one contract.
    assert ReferenceContract.objects.get(code="CN98701M").territory_codes == "98735;98712"
    assert ReferenceContract.objects.get(code="CN07303M").department == "73"
    assert "rien n'a changé" in load(quiet=True)


@pytest.mark.django_db
def test_demo_then_load_reference_then_demo_again():
    quick = ("--no-migrate", "--no-warmup", "--no-review-demo")
    call_command("demo", *quick, stdout=io.StringIO())
    load(department="30")
    call_command("demo", *quick, stdout=io.StringIO())
    ales = Contract.objects.get(slug="ales")
    assert ales.reference.code == "CN03001I"
    hoods = {n.code: n for n in Neighbourhood.objects.filter(contract=ales).select_related("reference_contract")}
    assert {c: n.short_name for c, n in hoods.items()} == ALES_QPVS
    assert hoods["QN03014M"].reference_contract.code == "CN03005I" and hoods["QN03001I"].perimeter
    assert "rien n'a changé" in load(department="30")
