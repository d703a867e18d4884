"""The structural parser on other layouts than the seed: numbered axes, Markdown, a single contract-wide
section, roman numerals and « QPV … » headings, pillars with « Thématique : » sub-headings (fixtures/)."""

import pytest
from importer_helpers import FIXTURES, counts

from quartiers.engine.importer import AnnexError, import_annex_bytes, import_annex_path
from quartiers.engine.importer.document import DocLine
from quartiers.engine.importer.parser import IMPLICIT_THEME, parse


def titles(neighbourhood):
    return [t.title for t in neighbourhood.themes]


def test_numbered_axes_and_orientations():
    fw = import_annex_path(FIXTURES / "axes_numerotes.txt").framework
    assert counts(fw) == (2, 6, 10)
    pins, rive = fw.neighbourhoods
    assert (pins.name, pins.commune) == ("Les Pins", "Villeneuve-sur-Lot")
    assert pins.heading == "Quartier prioritaire : Les Pins (Commune de Villeneuve-sur-Lot)"
    assert (rive.name, rive.commune) == ("Lot et Garonne Rive Droite", "Villeneuve-sur-Lot")
    # « Axe 1 » only holds orientations: the orientations are the themes
    assert titles(pins) == [
        "Orientation 1.1 – Lutter contre le décrochage scolaire",
        "Orientation 1.2 – Soutenir les parents dans la scolarité de leurs enfants",
        "Axe 2 : Emploi et insertion professionnelle",
        "Axe 3 : Cadre de vie et tranquillité publique",
    ]
    assert [t.canonical_theme for t in pins.themes] == ["education", "parenting", "employment", "housing"]
    first = pins.themes[0].objectives[1]
    assert first.text.startswith("Développer l'accompagnement à la scolarité hors temps scolaire")
    assert [c.tag for c in first.constraints] == ["out_of_school_time", "partnership"]
    freins = pins.themes[2].objectives[0]
    assert freins.label == "Lever les freins périphériques à l'emploi"
    assert freins.action_types == ("garde d'enfants", "mobilité", "maîtrise du français")
    assert [c.tag for c in pins.themes[3].objectives[0].constraints] == ["at_doorstep"]
    assert [c.tag for c in rive.themes[1].objectives[0].constraints] == ["co_construction", "off_hours"]
    assert fw.title == "CONTRAT DE VILLE DE L'AGGLOMÉRATION DU GRAND VILLENEUVOIS"
    assert fw.warnings == ()


def test_markdown_headings_bold_and_sub_bullets():
    result = import_annex_path(FIXTURES / "contrat_markdown.md")
    fw = result.framework
    assert result.format == "md"
    assert counts(fw) == (2, 4, 9)
    assert fw.title == "Contrat de ville de Montreuil-Bellay — Annexe : projets de quartiers"
    assert [(n.name, n.commune) for n in fw.neighbourhoods] == [
        ("Les Hauts de Bellevue", "Montreuil-Bellay"), ("Centre ancien", "Montreuil-Bellay")]
    education = fw.neighbourhoods[0].themes[0]
    first, periscolaire, _ = education.objectives
    assert first.text == ("Accompagner la scolarité : ateliers d'aide aux devoirs, clubs de lecture, "
                          "sorties éducatives.")  # the ** marks are gone
    assert first.action_types == ("ateliers d'aide aux devoirs", "clubs de lecture", "sorties éducatives")
    # sub-bullets are the action types of their parent, which spans their lines
    assert periscolaire.label == "Développer les activités périscolaires de proximité"
    assert periscolaire.action_types == ("ateliers scientifiques au centre social", "découverte du numérique",
                                         "initiation au théâtre")
    assert periscolaire.lines.as_list() == [10, 13]
    assert "initiation au théâtre" in periscolaire.text
    # « * » bullets
    culture = fw.neighbourhoods[0].themes[1]
    assert len(culture.objectives) == 2
    assert [c.tag for c in culture.objectives[1].constraints] == ["at_doorstep", "long_duration"]
    assert [c.tag for c in fw.neighbourhoods[1].themes[1].objectives[1].constraints] == ["outreach"]


def test_single_contract_wide_section():
    fw = import_annex_path(FIXTURES / "contrat_unique.txt").framework
    assert counts(fw) == (1, 3, 5)
    (only,) = fw.neighbourhoods
    # convention: one neighbourhood named after the document's title, with no code nor heading
    assert (only.name, only.code, only.heading) == ("Contrat de ville de Saint-Éloi-les-Forges", "", "")
    assert titles(only) == ["1) Emploi et développement économique", "2) Santé", "3) Tranquillité publique"]
    assert [t.canonical_theme for t in only.themes] == ["employment", "health", "crime_prevention"]
    emploi, sante, _ = only.themes
    assert [c.tag for c in emploi.constraints] == ["partnership"]
    assert emploi.constraints[0].text == "Les projets devront associer France Travail ou la Mission locale."
    assert emploi.objectives[1].action_types == ("permanences d'information", "couveuse", "microcrédit")
    # objectives without bullets, one paragraph each
    assert [o.lines.as_list() for o in sante.objectives] == [[15, 15], [17, 17]]


def test_roman_numerals_qpv_headings_and_o_sub_bullets():
    fw = import_annex_path(FIXTURES / "qpv_romains.txt").framework
    assert counts(fw) == (2, 4, 5)
    assert [(n.name, n.commune) for n in fw.neighbourhoods] == [
        ("Les Tilleuls", "Saint-Martin-de-Serre"), ("Le Moulin", "Saint-Martin-de-Serre")]
    assert fw.title == "PROGRAMME D'ACTIONS DES QPV DE LA COMMUNAUTÉ DE COMMUNES DU PAYS DE SERRE"
    cohesion = fw.neighbourhoods[0].themes[0]
    lead = cohesion.objectives[1]
    assert lead.label == "Soutenir les associations de proximité qui animent la vie du quartier"
    assert lead.action_types == ("fêtes de quartier", "sorties familiales", "ateliers cuisine")
    assert lead.lines.as_list() == [13, 16]
    assert [t.canonical_theme for t in fw.themes] == ["social_link", "citizenship", "mobility", "ecology"]
    ecology = fw.neighbourhoods[1].themes[1]
    assert [(c.tag, c.lines.as_list()) for c in ecology.constraints] == [("at_doorstep", [31, 31])]
    assert len(ecology.objectives) == 1
    # the bullet before the first neighbourhood is reported, not imported
    assert [(w.kind, w.line) for w in fw.warnings] == [("orphan_text", 5)]


def test_pillars_with_thematic_sub_headings():
    fw = import_annex_path(FIXTURES / "piliers_etoiles.txt").framework
    assert counts(fw) == (2, 4, 6)
    aubiers, bel_air = fw.neighbourhoods
    assert (aubiers.name, bel_air.name) == ("Quartier des Aubiers", "Bel-Air")
    assert titles(aubiers) == ["Thématique : Petite enfance et parentalité", "Thématique : Accès aux droits",
                               "Pilier 2 – Cadre de vie et renouvellement urbain"]
    assert [t.canonical_theme for t in aubiers.themes] == ["parenting", "social_link", "housing"]
    droits = aubiers.themes[1].objectives[0]
    assert droits.action_types == ("permanences numériques", "formation des aidants", "ateliers collectifs")


def test_sub_heading_without_content_is_an_objective_of_its_parent():
    text = """Quartier prioritaire « Les Cèdres »

Axe 1 : Emploi

Orientation 1.1 – Accompagner les jeunes vers l'emploi
Orientation 1.2 – Soutenir la création d'activité

Axe 2 : Santé

- Développer la médiation santé.
"""
    fw = import_annex_bytes(text.encode(), "a.txt").framework
    assert [(t.title, [o.text for o in t.objectives]) for t in fw.themes] == [
        ("Axe 1 : Emploi", ["Orientation 1.1 – Accompagner les jeunes vers l'emploi",
                            "Orientation 1.2 – Soutenir la création d'activité"]),
        ("Axe 2 : Santé", ["Développer la médiation santé."]),
    ]


def test_objectives_before_any_theme_go_to_an_implicit_theme():
    text = "QPV La Source\n\n- Favoriser la pratique sportive des jeunes.\n- Créer un jardin partagé.\n"
    fw = import_annex_bytes(text.encode(), "a.txt").framework
    assert [t.title for t in fw.themes] == [IMPLICIT_THEME]
    assert len(fw.objectives) == 2
    assert [w.kind for w in fw.warnings] == ["structure"]


def test_empty_theme_is_reported():
    text = "Quartier prioritaire : Les Lilas\n\nCulture\n\nSport\n\n- Ouvrir le gymnase le dimanche.\n"
    fw = import_annex_bytes(text.encode(), "a.txt").framework
    assert [t.title for t in fw.themes] == ["Sport"]
    assert [(w.kind, w.line) for w in fw.warnings] == [("empty_section", 3)]


def test_wrapped_paragraphs_are_joined():
    text = ("Quartier prioritaire « Le Val »\n\nEmploi\n\n"
            "- Accompagner les demandeurs d'emploi du quartier vers les métiers qui recrutent dans\n"
            "le bâtiment et l'aide à domicile, avec les entreprises locales.\n"
            "- Soutenir les couveuses d'activité.\n")
    fw = import_annex_bytes(text.encode(), "a.txt").framework
    first = fw.objectives[0]
    assert first.lines.as_list() == [5, 6]
    assert first.text.endswith("recrutent dans le bâtiment et l'aide à domicile, avec les entreprises locales.")
    assert len(fw.objectives) == 2


def test_page_numbers_and_separators_are_noise():
    text = "QPV Les Roses\n\nSport\n\n- Ouvrir le stade le soir.\n\n12\n\n----\n\n- Créer une école de vélo.\n"
    fw = import_annex_bytes(text.encode(), "a.txt").framework
    assert len(fw.objectives) == 2 and fw.warnings == ()


def test_no_structure_is_an_error():
    with pytest.raises(AnnexError) as info:
        parse([DocLine("Bonjour"), DocLine(""), DocLine("Au revoir")])
    assert "Aucun objectif" in info.value.message


def test_orphan_text_before_the_first_neighbourhood_does_not_crash():
    text = ("- une puce perdue\n:: reste\nSport\n- Ouvrir le stade.\n\n"
            "QPV Les Roses\n\nSport\n\n- Ouvrir le stade le soir.\n")
    fw = import_annex_bytes(text.encode(), "a.txt").framework
    assert counts(fw) == (1, 1, 1)
    assert {w.kind for w in fw.warnings} == {"orphan_text", "damaged_fragment"}


def test_markdown_numbered_headings_numbered_items_and_objective_numbers():
    fw = import_annex_path(FIXTURES / "qpv_markdown_numerote.md").framework
    assert counts(fw) == (2, 3, 7)
    pins, valdegour = fw.neighbourhoods
    assert (pins.name, pins.commune) == ("Les Pins", "Nîmes")
    assert titles(pins) == ["1. Emploi et insertion", "2. Santé"]
    emploi, sante = pins.themes
    assert [o.text for o in emploi.objectives][0] == "Favoriser l'accès des jeunes aux offres d'emploi locales."
    assert emploi.objectives[1].action_types == ("entretien des espaces verts", "rénovation")
    # four-space indented sub-bullets; the « Objectifs opérationnels : » label line is skipped
    assert sante.objectives[0].action_types == ("ateliers sport-santé le mercredi", "parcours de marche")
    assert [o.text for o in sante.objectives][1:] == ["Améliorer l'accès aux soins dentaires.",
                                                      "Créer un point santé jeunes."]
    # « Objectif 1 : … » paragraphs: the numbering is not the label
    assert [o.label for o in valdegour.themes[0].objectives] == [
        "Favoriser l'accès à l'emploi des femmes", "Soutenir la création d'activité"]


def test_capitals_tabs_and_trailing_colons():
    fw = import_annex_path(FIXTURES / "majuscules_tabulations.txt").framework
    assert counts(fw) == (1, 2, 3)
    assert fw.neighbourhoods[0].name == "LES GLYCINES"
    assert [(t.title, t.canonical_theme) for t in fw.themes] == [("EMPLOI ET INSERTION", "employment"),
                                                                ("CADRE DE VIE", "housing")]
    neet = fw.themes[0].objectives[1]
    assert neet.action_types == ("repérage par les éducateurs de rue", "parcours d'accompagnement renforcé")
    assert neet.lines.as_list() == [7, 9]


@pytest.mark.parametrize(
    ("heading", "name", "commune"),
    [
        ("Commune de Vierzon – Quartier prioritaire Clos du Roy", "Clos du Roy", "Vierzon"),
        ("QPV Les Pins", "Les Pins", ""),
        ("Quartier prioritaire : Les Pins (Commune de Villeneuve-sur-Lot)", "Les Pins", "Villeneuve-sur-Lot"),
        ("Quartier des Aubiers", "Quartier des Aubiers", ""),
        ("Quartier Bel-Air", "Bel-Air", ""),
        ("QPV « Les Tilleuls » – Commune de Saint-Martin-de-Serre", "Les Tilleuls", "Saint-Martin-de-Serre"),
        ("Quartier : Mas de Mingue (Nîmes)", "Mas de Mingue", "Nîmes"),
        ("Projet de quartier : Pissevin - Valdegour, commune de Nîmes", "Pissevin - Valdegour", "Nîmes"),
        ("Quartier prioritaire (QN03003M) Pissevin", "Pissevin", ""),
        ("Commune de Saint Ambroix Quartier prioritaire « L'écusson »", "L'écusson", "Saint-Ambroix"),
    ],
)
def test_neighbourhood_heading_forms(heading, name, commune):
    text = f"{heading}\n\nSport\n\n- Ouvrir le gymnase le dimanche.\n"
    (neighbourhood,) = import_annex_bytes(text.encode(), "a.txt").framework.neighbourhoods
    assert (neighbourhood.heading, neighbourhood.name, neighbourhood.commune) == (heading, name, commune)


def test_official_code_written_in_the_heading():
    text = "QPV QN03001I – Alès centre\n\nSport\n\n- Ouvrir le gymnase le dimanche.\n"
    (neighbourhood,) = import_annex_bytes(text.encode(), "a.txt").framework.neighbourhoods
    assert (neighbourhood.code, neighbourhood.name) == ("QN03001I", "Alès centre")


def test_short_lines_right_under_a_heading_are_objectives():
    text = ("QPV Les Pins\n\nCulture\nAccès à la lecture publique\nPratiques artistiques des adolescents\n\n"
            "Sport\n- Ouvrir le stade.\n")
    fw = import_annex_bytes(text.encode(), "a.txt").framework
    assert [(t.title, [o.text for o in t.objectives]) for t in fw.themes] == [
        ("Culture", ["Accès à la lecture publique", "Pratiques artistiques des adolescents"]),
        ("Sport", ["Ouvrir le stade."]),
    ]
    assert fw.warnings == ()


def test_commune_line_then_quartier_line_is_one_neighbourhood_heading():
    text = ("Commune de Saint Ambroix\nQuartier prioritaire « L'écusson »\n\nSport\n\n- Ouvrir le stade.\n\n"
            "QPV Les Pins\nQPV Les Chênes\n\nSport\n\n- Ouvrir le gymnase.\n")
    fw = import_annex_bytes(text.encode(), "a.txt").framework
    assert [(n.name, n.commune, n.lines.first) for n in fw.neighbourhoods] == [
        ("L'écusson", "Saint-Ambroix", 1), ("Les Pins", "", 8), ("Les Chênes", "", 9)]
    assert fw.neighbourhoods[0].heading == "Commune de Saint Ambroix Quartier prioritaire « L'écusson »"
    assert [(w.kind, w.line) for w in fw.warnings] == [("empty_section", 8)]


def test_bullets_without_a_space_after_the_marker():
    text = "QPV Les Pins\n\nSport\n-Ouvrir le stade.\n•Créer un club de boxe.\n"
    fw = import_annex_bytes(text.encode(), "a.txt").framework
    assert [o.text for o in fw.objectives] == ["Ouvrir le stade.", "Créer un club de boxe."]


def test_neighbourhood_headings_without_keywords_are_told_by_levels():
    fw = import_annex_path(FIXTURES / "quartiers_sans_mot_cle.md").framework
    assert counts(fw) == (2, 3, 4)
    assert [n.name for n in fw.neighbourhoods] == ["La Source – Orléans", "Les Salmoneries – Saint-Jean-de-Braye"]
    assert fw.title == "Contrat de ville de l'agglomération orléanaise — priorités des quartiers"
    # but axes (numbered, or named after themes) stay themes
    axes = import_annex_path(FIXTURES / "axes_numerotes.txt").framework
    assert len(axes.neighbourhoods) == 2
    themes_only = "# Contrat\n\n## Emploi\n\n### Jeunes\n\n- Aider.\n\n## Santé\n\n### Seniors\n\n- Soigner.\n"
    fw = import_annex_bytes(themes_only.encode(), "a.md").framework
    assert len(fw.neighbourhoods) == 1 and [t.title for t in fw.themes] == ["Jeunes", "Seniors"]
