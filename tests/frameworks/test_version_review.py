"""``version_review``: the read model of the staff review of an imported version, without touching the rows."""

from quartiers.frameworks.models import ImportNote
from quartiers.frameworks.selectors import version_review


def test_the_warning_goes_beside_the_objective_whose_lines_hold_it(staff_draft):
    review = version_review(staff_draft)
    (section,) = review.sections
    education, parenting = section.themes
    damaged = education.objective_list[2]
    assert damaged.label == "Lutter contre le décrochage scol@ire"  # the row's fields are read through
    assert [n.line for n in damaged.review_notes] == [9]
    assert review.unplaced_notes == [] and review.open_notes == 1
    (note,) = review.notes
    assert [number for number, _text, _marked in note.excerpt] == [7, 8, 9, 10, 11]
    assert [marked for _n, _t, marked in note.excerpt] == [False, False, True, False, False]
    assert [c.text for c in education.theme_constraints] == [
        "Les actions proposées doivent être menées hors-temps scolaire."]
    assert parenting.objective_list[0].excerpt[0][0] == 15
    assert review.themes == [(section, education), (section, parenting)]


def test_a_warning_outside_every_element_stays_unplaced_and_a_theme_line_goes_to_the_theme(staff_draft):
    ImportNote.objects.create(version=staff_draft, line=1, kind="damaged_text", message="Préambule ignoré", text="ANNEXE 1")
    ImportNote.objects.create(version=staff_draft, line=13, kind="damaged_text", message="Titre de thème", text="Parentalité")
    review = version_review(staff_draft)
    assert [n.line for n in review.unplaced_notes] == [1]
    parenting = review.sections[0].themes[1]
    assert [n.line for n in parenting.review_notes] == [13]
    assert not hasattr(staff_draft, "review_notes")  # nothing stuck on the model instances
