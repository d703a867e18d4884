import pytest

from quartiers.territories.models import Commune, Contract, Neighbourhood
from quartiers.territories.selectors import fold, neighbourhood_find
from quartiers.territories.services import contract_reference, neighbourhoods_load

ALES_QPVS = {"QN03001I": "Alès", "QN03016M": "La Grand-Combe", "QN03002M": "Anduze", "QN03014M": "Saint-Ambroix"}


def test_fold_removes_case_accents_and_punctuation():
    assert fold("La Grand'Combe") == "la grand combe"
    assert fold("Saint-Ambroix") == fold("saint ambroix")
    assert fold("Prés Saint Jean") == "pres saint jean"


@pytest.mark.django_db
def test_neighbourhoods_load_takes_official_names_and_communes():
    contract = Contract.objects.create(slug="ales", name="Contrat d'Alès")
    loaded = neighbourhoods_load(codes=ALES_QPVS, contract=contract, short_names=ALES_QPVS)
    assert len(loaded) == 4
    grand_combe = Neighbourhood.objects.get(code="QN03016M")
    assert grand_combe.short_name == "La Grand-Combe"
    assert sorted(c.insee_code for c in grand_combe.communes.all()) == ["30051", "30132", "30307"]
    assert Commune.objects.get(insee_code="30007").postcode == "30100"
    # Idempotent: loading again creates nothing new.
    neighbourhoods_load(codes=ALES_QPVS, contract=contract, short_names=ALES_QPVS)
    assert Neighbourhood.objects.count() == 4
    assert Commune.objects.filter(insee_code__in=["30007", "30010", "30227", "30051", "30132", "30307"]).count() == 6


@pytest.mark.django_db
def test_neighbourhoods_load_refuses_unknown_codes_without_writing():
    with pytest.raises(ValueError, match="QN99999X"):
        neighbourhoods_load(codes=["QN03001I", "QN99999X"])
    assert Neighbourhood.objects.count() == 0


def test_contract_reference_reads_the_official_list():
    assert contract_reference("CN03001I")["siren_epci"] == "200066918"
    with pytest.raises(ValueError):
        contract_reference("CN00000X")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Projet de quartier / Commune d'Alès Quartier prioritaire « Prés Saint Jean-Tamaris - Centre ville »",
         "QN03001I"),
        ("Projet de quartier / Quartier prioritaire « La Grand'Combe, Les Salles du Gardon, Branoux Les Taillades »",
         "QN03016M"),
        ("Projet de quartier / Commune d'Anduze Quartier prioritaire « Centre-ville »", "QN03002M"),
        ("Projet de quartier / Commune de Saint Ambroix Quartier prioritaire « L'écusson »", "QN03014M"),
        # Only Anduze's QPV is officially named « Centre Ville » (Alès's name merely ends with it).
        ("Projet de quartier / Quartier prioritaire « Centre-ville »", "QN03002M"),
        ("Alès et Anduze", None),  # two communes named: ambiguous
        ("Projet de quartier de Nîmes", None),
    ],
)
def test_neighbourhood_find_from_annex_headings(heading, expected):
    neighbourhoods_load(codes=ALES_QPVS, short_names=ALES_QPVS)
    candidates = list(Neighbourhood.objects.prefetch_related("communes"))
    found = neighbourhood_find(candidates, texts=[heading])
    assert (found.code if found else None) == expected


@pytest.mark.django_db
def test_neighbourhood_find_prefers_the_official_code():
    neighbourhoods_load(codes=ALES_QPVS, short_names=ALES_QPVS)
    candidates = list(Neighbourhood.objects.prefetch_related("communes"))
    assert neighbourhood_find(candidates, code="qn03002m", texts=["Alès"]).code == "QN03002M"
