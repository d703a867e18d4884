from quartiers.engine.framework import Objective, Theme
from quartiers.engine.matching.fragments import objective_fragments, split_label


def test_split_label():
    assert split_label("Accompagner les parents : médiation ; soutien à la parentalité.") == (
        "Accompagner les parents", ("médiation", "soutien à la parentalité"))
    assert split_label("Valoriser les parcours de réussite.") == ("Valoriser les parcours de réussite.", ())


def test_fragments_of_an_objective():
    text = ("Prévenir le décrochage scolaire et renforcer l'accompagnement individuel de chaque enfant en difficulté "
            "(actions d'accompagnement à la scolarité, soutien scolaire et aide aux devoirs, actions liées à la "
            "prévention du harcèlement scolaire)")
    frags = objective_fragments(Objective(text=text, label=text), Theme(title="Réussite éducative"))
    kinds = [f.kind for f in frags]
    assert kinds[0] == "objective" and frags[0].text.startswith("Réussite éducative : ")
    assert "label" in kinds and "clause" in kinds
    assert any(f.text == "soutien scolaire et aide aux devoirs" for f in frags)
    assert len({f.text for f in frags}) == len(frags)
