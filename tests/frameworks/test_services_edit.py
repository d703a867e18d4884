"""Corrections of a draft version: each service, its refusal on a published version, and its atomicity."""

import pytest

from quartiers.engine.framework import content_key
from quartiers.frameworks.models import Constraint, ImportNote, NeighbourhoodSection, Objective, Theme
from quartiers.frameworks.services import (
    EditError,
    constraint_to_objective,
    import_note_resolve,
    objective_delete,
    objective_merge_next,
    objective_move,
    objective_parts,
    objective_split,
    objective_to_constraint,
    objective_update,
    section_attach,
    theme_delete,
    theme_update,
)
from quartiers.territories.models import Neighbourhood


def texts(theme):
    return [o.text for o in Objective.objects.filter(theme=theme).order_by("position", "pk")]


def positions(theme):
    return list(Objective.objects.filter(theme=theme).order_by("position", "pk").values_list("position", flat=True))


@pytest.fixture
def school(staff_draft):
    return Theme.objects.get(section__version=staff_draft, canonical_theme="education")


@pytest.fixture
def parenting(staff_draft):
    return Theme.objects.get(section__version=staff_draft, canonical_theme="parenting")


def objective(theme, index):
    return Objective.objects.filter(theme=theme).order_by("position", "pk")[index]


def test_objective_parts_label_before_colon_and_actions_after():
    assert objective_parts("Accompagner les parents : soutien ; médiation écoles/familles.") == (
        "Accompagner les parents", ["soutien", "médiation écoles/familles"])
    assert objective_parts("Valoriser  les parcours.") == ("Valoriser les parcours.", [])


def test_objective_update_derives_label_actions_and_key(school):
    o = objective(school, 2)
    updated = objective_update(objective=o, text="Lutter contre le décrochage scolaire : tutorat ; aide aux devoirs.")
    assert updated.label == "Lutter contre le décrochage scolaire"
    assert updated.action_types == ["tutorat", "aide aux devoirs"]
    assert updated.key == content_key(updated.text)
    assert Objective.objects.get(pk=o.pk).text.endswith("aide aux devoirs.")


def test_objective_update_refuses_empty_text(school):
    with pytest.raises(EditError, match="vide"):
        objective_update(objective=objective(school, 0), text="   ")


def test_objective_move_up_and_down(school):
    first, second = objective(school, 0), objective(school, 1)
    objective_move(objective=second, direction="up")
    assert texts(school)[:2] == [second.text, first.text]
    assert positions(school) == [0, 1, 2]
    objective_move(objective=second, direction="down")
    assert texts(school)[:2] == [first.text, second.text]


def test_objective_move_refuses_past_the_ends(school):
    with pytest.raises(EditError, match="premier"):
        objective_move(objective=objective(school, 0), direction="up")
    with pytest.raises(EditError, match="dernier"):
        objective_move(objective=objective(school, 2), direction="down")


def test_objective_move_to_another_theme_keeps_its_conditions(school, parenting):
    o = objective(school, 0)
    own = Constraint.objects.create(theme=school, objective=o, tag="outreach", text="Aller-vers.")
    objective_move(objective=o, theme=parenting)
    assert texts(parenting)[-1] == o.text
    assert positions(school) == [0, 1] and positions(parenting) == [0, 1]
    assert Constraint.objects.get(pk=own.pk).theme_id == parenting.pk


def test_objective_move_refuses_a_theme_of_another_version(school, staff_contract):
    from quartiers.engine.framework import framework_from_dict
    from quartiers.frameworks.services import framework_store
    from tests.frameworks.conftest import STAFF_FRAMEWORK

    other = framework_store(contract=staff_contract, framework=framework_from_dict(STAFF_FRAMEWORK),
                            source_name="b.txt", source_bytes=b"b")
    foreign = Theme.objects.filter(section__version=other).first()
    with pytest.raises(EditError, match="même version"):
        objective_move(objective=objective(school, 0), theme=foreign)


def test_objective_merge_next(school):
    a, b, c = (objective(school, i) for i in range(3))
    merged = objective_merge_next(objective=a)
    assert merged.text == f"{a.text} {b.text}"
    assert (merged.first_line, merged.last_line) == (7, 8)
    assert texts(school) == [merged.text, c.text]
    assert positions(school) == [0, 1]
    with pytest.raises(EditError, match="dernier"):
        objective_merge_next(objective=objective(school, 1))


def test_objective_split(school):
    o = objective(school, 1)
    at = o.text.index("actions")
    first, second = objective_split(objective=o, at=at)
    assert first.text == "Accompagner les parents :"
    assert second.text == "actions de soutien à la parentalité ; médiation écoles/familles."
    assert texts(school)[1:3] == [first.text, second.text]
    assert positions(school) == [0, 1, 2, 3]
    assert second.first_line == 8
    with pytest.raises(EditError, match="coupure"):
        objective_split(objective=first, at=0)


def test_objective_delete(school):
    o = objective(school, 0)
    objective_delete(objective=o)
    assert not Objective.objects.filter(pk=o.pk).exists()
    assert positions(school) == [0, 1]


def test_objective_to_constraint_and_back(school):
    o = objective(school, 0)
    constraint = objective_to_constraint(objective=o, tag="target_audience")
    assert not Objective.objects.filter(pk=o.pk).exists()
    assert (constraint.text, constraint.tag, constraint.objective_id) == (o.text, "target_audience", None)
    assert constraint.first_line == 7
    back = constraint_to_objective(constraint=constraint)
    assert back.text == o.text and back.theme_id == school.pk
    assert texts(school)[-1] == o.text
    assert not Constraint.objects.filter(pk=constraint.pk).exists()


def test_objective_to_constraint_refuses_unknown_tag(school):
    with pytest.raises(EditError, match="type de condition"):
        objective_to_constraint(objective=objective(school, 0), tag="nope")


def test_theme_update_and_delete(school, parenting):
    theme = theme_update(theme=school, title="Éducation", canonical_theme="youth")
    assert (theme.title, theme.canonical_theme) == ("Éducation", "youth")
    with pytest.raises(EditError, match="thème de référence"):
        theme_update(theme=school, title="Éducation", canonical_theme="nope")
    theme_delete(theme=school)
    assert not Objective.objects.filter(theme_id=school.pk).exists()
    assert Theme.objects.get(pk=parenting.pk).position == 0


def test_section_attach_only_to_a_neighbourhood_of_the_contract(staff_draft, staff_contract):
    from quartiers.territories.services import neighbourhoods_load

    section = NeighbourhoodSection.objects.get(version=staff_draft)
    assert section.neighbourhood.code == "QN03002M"
    ales = Neighbourhood.objects.get(code="QN03001I")
    assert section_attach(section=section, neighbourhood=ales).neighbourhood == ales
    assert section_attach(section=section, neighbourhood=None).neighbourhood is None
    (foreign,) = neighbourhoods_load(codes=["QN03016M"])
    with pytest.raises(EditError, match="n'appartient pas"):
        section_attach(section=section, neighbourhood=foreign)


def test_import_note_resolve(staff_draft):
    note = ImportNote.objects.get(version=staff_draft)
    assert import_note_resolve(note=note).resolved is True
    assert import_note_resolve(note=note, resolved=False).resolved is False


@pytest.mark.parametrize(
    "edit",
    [
        lambda v, t, o, c: objective_update(objective=o, text="Autre texte"),
        lambda v, t, o, c: objective_move(objective=o, direction="down"),
        lambda v, t, o, c: objective_merge_next(objective=o),
        lambda v, t, o, c: objective_split(objective=o, at=5),
        lambda v, t, o, c: objective_delete(objective=o),
        lambda v, t, o, c: objective_to_constraint(objective=o, tag="other"),
        lambda v, t, o, c: constraint_to_objective(constraint=c),
        lambda v, t, o, c: theme_update(theme=t, title="X", canonical_theme="other"),
        lambda v, t, o, c: theme_delete(theme=t),
        lambda v, t, o, c: section_attach(section=NeighbourhoodSection.objects.get(version=v), neighbourhood=None),
        lambda v, t, o, c: import_note_resolve(note=ImportNote.objects.get(version=v)),
    ],
)
def test_every_correction_is_refused_on_a_published_version(staff_published, edit):
    theme = Theme.objects.get(section__version=staff_published, canonical_theme="education")
    before = list(Objective.objects.filter(theme__section__version=staff_published).values_list("pk", "text",
                                                                                                  "position"))
    with pytest.raises(EditError, match="publiée : elle ne peut plus être modifiée"):
        edit(staff_published, theme, objective(theme, 0), Constraint.objects.get(theme=theme))
    after = list(Objective.objects.filter(theme__section__version=staff_published).values_list("pk", "text",
                                                                                                 "position"))
    assert after == before
    assert Theme.objects.filter(pk=theme.pk).exists()


def test_a_correction_that_fails_half_way_leaves_nothing(school, monkeypatch):
    o = objective(school, 0)
    count = Constraint.objects.count()

    def boom(self, *args, **kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(Objective, "delete", boom)
    with pytest.raises(RuntimeError):
        objective_to_constraint(objective=o, tag="other")
    assert Constraint.objects.count() == count
    assert Objective.objects.filter(pk=o.pk).exists()


def test_a_split_that_fails_half_way_leaves_positions_unchanged(school, monkeypatch):
    o = objective(school, 0)
    before = list(Objective.objects.filter(theme=school).values_list("pk", "text", "position"))

    def boom(self, *args, **kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(Objective, "full_clean", boom)
    with pytest.raises(RuntimeError):
        objective_split(objective=o, at=10)
    assert list(Objective.objects.filter(theme=school).values_list("pk", "text", "position")) == before
