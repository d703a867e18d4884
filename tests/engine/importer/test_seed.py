"""The seed annex (Alès arrondissement) gives exactly the hand-annotated structure of eval/seed_framework_ids.json."""

import json

from importer_helpers import REFERENCE, ROOT, SEED, gold_structure, norm, structure

from quartiers.engine.importer import import_annex_bytes, import_annex_path, load_qpv_reference


def test_seed_structure_is_the_gold_one(seed_bytes, gold):
    result = import_annex_bytes(seed_bytes, SEED.name)
    fw = result.framework
    assert (len(fw.neighbourhoods), len(fw.themes), len(fw.objectives)) == (4, 22, 62)
    assert structure(fw) == gold_structure(gold)


def test_seed_result_fields(seed_bytes, seed_lines):
    result = import_annex_bytes(seed_bytes, SEED.name)
    assert result.format == "txt"
    assert result.encoding == "utf-8"
    assert list(result.lines) == seed_lines[: len(result.lines)]
    assert len(result.lines) == 157
    # every source span cites the lines it came from
    for objective in result.framework.objectives:
        first = result.lines[objective.lines.first - 1]
        assert norm(first)[:20] in norm(objective.text)


def test_theme_constraint_is_not_an_objective(seed_bytes):
    education = import_annex_bytes(seed_bytes, SEED.name).framework.neighbourhoods[0].themes[0]
    assert education.title == "Réussite scolaire et éducative"
    assert [(c.tag, c.text, c.lines.as_list()) for c in education.constraints] == [
        ("out_of_school_time", "Les actions proposées doivent être menées hors-temps scolaire.", [19, 19])
    ]
    assert all("hors-temps scolaire" not in o.text for o in education.objectives)


def test_bullet_broken_over_two_lines_is_one_objective(seed_bytes):
    youth = import_annex_bytes(seed_bytes, SEED.name).framework.neighbourhoods[2].themes[0]
    objective = youth.objectives[1]
    assert objective.lines.as_list() == [90, 91]
    assert objective.text.startswith("Améliorer l'accessibilité à l'offre associative locale à destination des jeunes du QPV")
    assert objective.label == "Améliorer l'accessibilité à l'offre associative locale à destination des jeunes du QPV"


def test_damaged_text_is_flagged_not_dropped(seed_bytes):
    fw = import_annex_bytes(seed_bytes, SEED.name).framework
    kinds = {(w.kind, w.line) for w in fw.warnings}
    assert ("damaged_fragment", 135) in kinds
    assert ("damaged_text", 131) in kinds
    fragment = next(w for w in fw.warnings if w.kind == "damaged_fragment")
    assert fragment.text == ":: actions de promotion de"
    assert fragment.message  # in French, for a person
    assert not any("actions de promotion de" == norm(o.text) for o in fw.objectives)
    habitat = fw.neighbourhoods[3].themes[0]
    assert [o.lines.as_list() for o in habitat.objectives] == [[131, 131], [137, 137]]


def test_objectives_without_bullets(seed_bytes):
    fw = import_annex_bytes(seed_bytes, SEED.name).framework
    firsts = {o.lines.first for o in fw.objectives}
    assert {11, 74, 121, 131, 137} <= firsts


def test_canonical_themes(seed_bytes):
    fw = import_annex_bytes(seed_bytes, SEED.name).framework
    by_title = {t.title: t.canonical_theme for t in fw.themes}
    assert by_title == {
        "Réussite scolaire et éducative": "education",
        "Parentalité": "parenting",
        "Accompagnement de la jeunesse": "youth",
        "Emploi/Formation/Création d'activité": "employment",
        "Habitat / Cadre de vie": "housing",
        "Lien social, accès aux droits": "social_link",
        "Valeurs de la République / Citoyenneté": "citizenship",
        "Santé / Prévention de la délinquance": "health",
        "Culture": "culture",
        "Lien social": "social_link",
        "Valeurs de la république / Citoyenneté": "citizenship",
        "Emploi / Formation / Création d'activité": "employment",
        "Santé": "health",
        "Sport": "sport",
    }


def test_labels_and_action_types(seed_bytes):
    fw = import_annex_bytes(seed_bytes, SEED.name).framework
    by_line = {o.lines.first: o for o in fw.objectives}
    o = by_line[62]
    assert o.label.startswith("Favoriser la persévérance scolaire")
    assert o.label.endswith("dans une logique de parcours")
    assert o.action_types == (
        "actions en faveur de la maîtrise de la langue française à destination des enfants en difficultés",
        "action de soutien scolaire",
        "actions visant à promouvoir la diversité des filières d'enseignement aux côtés de l'Education Nationale",
        "actions de découverte des métiers",
    )
    parenting = by_line[23]
    assert parenting.action_types[0] == ("actions contribuant à poser un cadre de répit, d'écoute et de dialogue "
                                         "entre parents et professionnels")
    assert "valorisation des compétences parentales" in parenting.action_types
    assert len(parenting.action_types) == 5
    # no colon: the label is the whole text; the parenthesis that lists actions gives the action types
    first = by_line[11]
    assert first.label == first.text
    assert first.action_types[:2] == ("actions d'accompagnement à la scolarité", "soutien scolaire et aide aux devoirs")
    # a colon inside a parenthesis does not separate; the first colon outside does
    assert by_line[142].label == ("Promouvoir une alimentation de qualité accessible à tous et lutter contre la "
                                  "précarité alimentaire")


def test_objective_constraints(seed_bytes):
    fw = import_annex_bytes(seed_bytes, SEED.name).framework
    tags = {o.lines.first: [c.tag for c in o.constraints] for o in fw.objectives}
    assert tags[16] == ["long_duration"]
    assert "off_hours" in tags[27] and "co_construction" in tags[27]
    assert tags[93] == ["off_hours"]
    assert tags[97] == ["at_doorstep"]
    assert "outreach" in tags[46] and "co_construction" in tags[46]
    assert "outreach" in tags[103]
    assert "partnership" in tags[62] and "partnership" in tags[11]
    assert "out_of_school_time" in tags[63] and "long_duration" in tags[63]
    constraint = next(c for c in fw.objectives[2].constraints if c.tag == "long_duration")
    assert "temps long" in constraint.text and len(constraint.text) < len(fw.objectives[2].text)
    # the objective itself is intact
    assert fw.objectives[2].text.startswith("Favoriser l'ouverture culturelle")


def test_codes_and_communes_with_the_official_reference():
    result = import_annex_path(SEED, reference=load_qpv_reference(REFERENCE))
    got = [(n.code, n.commune) for n in result.framework.neighbourhoods]
    assert got == [
        ("QN03001I", "Alès"),
        ("QN03016M", "La Grand-Combe, Les Salles-du-Gardon, Branoux-les-Taillades"),
        ("QN03002M", "Anduze"),
        ("QN03014M", "Saint-Ambroix"),
    ]


def test_names_without_reference(seed_bytes):
    fw = import_annex_bytes(seed_bytes, SEED.name).framework
    assert [(n.name, n.commune, n.code) for n in fw.neighbourhoods] == [
        ("Prés Saint Jean-Tamaris - Cévennes -Cauvel La Royale-Rochebelle - Centre ville", "Alès", ""),
        ("La Grand'Combe, Les Salles du Gardon, Branoux Les Taillades", "", ""),
        ("Centre-ville", "Anduze", ""),
        ("L'écusson", "Saint-Ambroix", ""),
    ]
    assert fw.title == "PROJETS DE QUARTIERS – QPV ARRONDISSEMENT D'ALES"


def test_import_is_deterministic(seed_bytes):
    a = import_annex_bytes(seed_bytes, SEED.name).framework
    b = import_annex_bytes(seed_bytes, SEED.name).framework
    assert a == b and a.content_hash() == b.content_hash()


def test_gold_fixture_is_the_shared_one(gold):
    shared = ROOT.parent / "shared" / "eval" / "seed_framework_ids.json"
    if shared.is_file():  # the copy in fixtures/ must not drift from the project's reference
        assert json.loads(shared.read_text(encoding="utf-8")) == gold
    assert len(gold["qpvs"]) == 4
