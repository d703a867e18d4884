"""Keyword heuristics: canonical themes, constraint tags, label and action types."""

import pytest

from quartiers.engine.framework import CANONICAL_THEMES, CONSTRAINT_TAGS, SourceSpan
from quartiers.engine.importer.classify import (
    canonical_theme,
    find_constraints,
    is_prescriptive,
    split_action_types,
    split_objective,
    theme_constraints,
)


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Réussite scolaire et éducative", "education"),
        ("Accompagnement de la jeunesse", "youth"),
        ("Emploi/Formation/Création d'activité", "employment"),
        ("Habitat / Cadre de vie", "housing"),
        ("Lien social, accès aux droits", "social_link"),
        ("Valeurs de la République / Citoyenneté", "citizenship"),
        ("Santé / Prévention de la délinquance", "health"),
        ("Prévention de la délinquance et tranquillité publique", "crime_prevention"),
        ("Culture", "culture"),
        ("Sport", "sport"),
        ("Parentalité", "parenting"),
        ("SANTÉ", "health"),
        ("Mobilité et transports", "mobility"),
        ("Transition écologique", "ecology"),
        ("Axe 2 : Insertion professionnelle", "employment"),
        ("Divers", "other"),
    ],
)
def test_canonical_theme(title, code):
    assert canonical_theme(title) == code
    assert code in CANONICAL_THEMES


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Les actions doivent être menées hors-temps scolaire.", ["out_of_school_time"]),
        ("ouverture hors temps scolaire des actions", ["out_of_school_time"]),
        ("en privilégiant le temps long", ["long_duration"]),
        ("en soirée, weekends, durant les vacances scolaires, en horaires décalés", ["off_hours"]),
        ("des actions au sein même du QPV (pieds d'immeubles)", ["at_doorstep"]),
        ("actions « d'aller-vers » et de médiation", ["outreach"]),
        ("actions d'« aller vers » les personnes isolées", ["outreach"]),
        ("séjours co-construits avec les jeunes ; actions coconstruites avec les habitants", ["co_construction"]),
        ("en lien avec le Programme de Réussite Educative", ["partnership"]),
        ("En lien avec la prévention de la délinquance : promouvoir les métiers", []),
        ("Valoriser les parcours de réussite.", []),
    ],
)
def test_constraint_tags(text, tags):
    found = find_constraints(text)
    assert [c.tag for c in found] == tags
    assert all(c.tag in CONSTRAINT_TAGS for c in found)


def test_constraint_text_is_the_clause():
    text = ("Promouvoir l'émancipation des enfants au travers l'accès aux pratiques culturelles (en privilégiant le "
            "temps long pour les actions culturelles) et sportives.")
    (constraint,) = find_constraints(text, SourceSpan(3, 3))
    assert constraint.text == "en privilégiant le temps long pour les actions culturelles"
    assert constraint.lines == SourceSpan(3, 3)


def test_prescriptive_sentences():
    assert is_prescriptive("Les actions proposées doivent être menées hors-temps scolaire.")
    assert is_prescriptive("Toutes les actions devront associer les habitants.")
    assert is_prescriptive("NB : les projets seront étudiés en comité.")
    assert not is_prescriptive("Favoriser l'accès aux droits.")
    (c,) = theme_constraints("Les projets doivent être déposés avant mars.", SourceSpan(1, 1))
    assert (c.tag, c.text) == ("other", "Les projets doivent être déposés avant mars.")


def test_split_objective():
    label, actions = split_objective("Favoriser la mobilité : ateliers vélo ; aide au permis (code, conduite), "
                                     "actions de sensibilisation.")
    assert label == "Favoriser la mobilité"
    assert actions == ("ateliers vélo", "aide au permis (code, conduite)", "actions de sensibilisation")
    assert split_objective("Rompre l'isolement.") == ("Rompre l'isolement.", ())
    # « NB : » is not a label
    assert split_objective("NB : public prioritaire")[0] == "NB : public prioritaire"


def test_split_action_types_keeps_clauses_together():
    assert split_action_types(" actions d'animations pour la jeunesse, notamment sur des horaires décalés, en "
                              "veillant à une concertation ; séjours") == (
        "actions d'animations pour la jeunesse, notamment sur des horaires décalés, en veillant à une concertation",
        "séjours",
    )
