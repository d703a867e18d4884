"""Official QPV codes: commune names (accent-, hyphen- and apostrophe-insensitive), the QPV name to break ties."""

import dataclasses

from importer_helpers import REFERENCE

from quartiers.engine.framework import Framework, Neighbourhood
from quartiers.engine.importer import QpvRef, load_qpv_reference, resolve_code, resolve_codes

REF = (
    QpvRef("QN03001I", "Près Saint Jean - Cévennes - Tamaris", ("Alès",), "30"),
    QpvRef("QN03016M", "La Grand-Combe, les Salles du Gardon et Branoux Les Taillades",
           ("Branoux-les-Taillades", "La Grand-Combe", "Les Salles-du-Gardon"), "30"),
    QpvRef("QN03014M", "L'Ecusson", ("Saint-Ambroix",), "30"),
    QpvRef("QN03012M", "La Moulinelle", ("Beaucaire",), "30"),
    QpvRef("QN03013M", "Centre Ville", ("Beaucaire",), "30"),
    QpvRef("QN01304M", "Centre Ville", ("Arles",), "13"),
)


def nbh(heading: str, name: str = "", commune: str = "") -> Neighbourhood:
    return Neighbourhood(name=name or heading, heading=heading, commune=commune)


def test_commune_match_ignores_accents_hyphens_and_apostrophes():
    assert resolve_code(nbh("Quartier prioritaire « La Grand'Combe, Les Salles du Gardon, Branoux Les Taillades »"),
                        REF) == ("QN03016M", "La Grand-Combe, Les Salles-du-Gardon, Branoux-les-Taillades")
    assert resolve_code(nbh("Commune de Saint Ambroix Quartier prioritaire « L'écusson »"), REF) == (
        "QN03014M", "Saint-Ambroix")
    assert resolve_code(nbh("Commune d'ALES"), REF) == ("QN03001I", "Alès")


def test_several_qpvs_in_one_commune_are_told_apart_by_name():
    assert resolve_code(nbh("Beaucaire – quartier de la Moulinelle"), REF)[0] == "QN03012M"
    assert resolve_code(nbh("QPV Centre ville (Commune de Beaucaire)"), REF)[0] == "QN03013M"


def test_ambiguous_is_left_empty():
    assert resolve_code(nbh("Commune de Beaucaire"), REF) == ("", "")
    assert resolve_code(nbh("QPV Centre Ville"), REF) == ("", "")  # two QPVs of that name, no commune
    assert resolve_code(nbh("Quartier des Oliviers"), REF) == ("", "")


def test_unique_name_without_commune_and_explicit_code():
    assert resolve_code(nbh("QPV La Moulinelle", name="La Moulinelle"), REF)[0] == "QN03012M"
    assert resolve_code(nbh("Quartier prioritaire QN03013M"), REF)[0] == "QN03013M"


def test_resolve_codes_keeps_existing_codes_and_rewrites_communes():
    fw = Framework(neighbourhoods=(
        nbh("Commune de Saint Ambroix", commune="Saint Ambroix"),
        dataclasses.replace(nbh("Commune d'Alès"), code="QN99999Z"),
    ))
    out = resolve_codes(fw, REF)
    assert [(n.code, n.commune) for n in out.neighbourhoods] == [("QN03014M", "Saint-Ambroix"), ("QN99999Z", "")]
    assert resolve_codes(fw, ()) == fw


def test_official_reference_file():
    reference = load_qpv_reference(REFERENCE)
    assert len(reference) == 1584
    by_code = {r.code: r for r in reference}
    assert by_code["QN03016M"].communes == ("Branoux-les-Taillades", "La Grand-Combe", "Les Salles-du-Gardon")
    assert by_code["QN03016M"].department == "30"
    # a commune with many QPVs and a heading naming one of them
    heading = "Quartier prioritaire : Pissevin - Valdegour (Commune de Nîmes)"
    assert resolve_code(nbh(heading, name="Pissevin - Valdegour", commune="Nîmes"), reference)[0] == "QN03003M"
    assert resolve_code(nbh("Commune de Nîmes"), reference) == ("", "")
