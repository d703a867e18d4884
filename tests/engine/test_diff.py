"""The pure diff between two frameworks."""

from quartiers.engine.diff import framework_diff, similarity, word_diff
from quartiers.engine.framework import Framework, Neighbourhood, Objective, Theme


def obj(text: str) -> Objective:
    return Objective(text=text, label=text.partition(":")[0])


def fw(*neighbourhoods: Neighbourhood) -> Framework:
    return Framework(neighbourhoods=neighbourhoods)


def quartier(*themes: Theme, name: str = "Centre ancien", code: str = "QN03002M") -> Neighbourhood:
    return Neighbourhood(name=name, code=code, themes=themes)


def theme(title: str, *texts: str, canonical: str = "other") -> Theme:
    return Theme(title=title, canonical_theme=canonical, objectives=tuple(obj(t) for t in texts))


A = "Valoriser les parcours de réussite et l'exemplarité."
B = "Accompagner les parents dans le suivi de la scolarité de leurs enfants : actions de soutien à la parentalité."
C = "Promouvoir les lieux d'accueil, d'écoute et d'échanges."
D = "Développer l'accès aux pratiques sportives et culturelles des jeunes du quartier."


def test_same_framework_is_unchanged():
    f = fw(quartier(theme("Éducation", A, B, canonical="education")))
    d = framework_diff(f, f)
    assert d.is_empty
    assert d.neighbourhoods[0].themes[0].unchanged == 2
    assert d.count("added") == d.count("removed") == d.count("modified") == 0


def test_added_removed_and_modified_objectives():
    old = fw(quartier(theme("Éducation", A, B, canonical="education")))
    new_b = B.replace("dans le suivi", "dans l'accompagnement")
    new = fw(quartier(theme("Éducation", new_b, C, canonical="education")))
    d = framework_diff(old, new)
    (t,) = d.neighbourhoods[0].themes
    assert t.status == "modified"
    by_status = {c.status: c for c in t.changes}
    assert set(by_status) == {"modified", "added", "removed"}
    assert by_status["modified"].old.text == B and by_status["modified"].new.text == new_b
    assert ("delete", "le suivi") in [(w.op, w.text) for w in by_status["modified"].words]
    assert ("insert", "l'accompagnement") in [(w.op, w.text) for w in by_status["modified"].words]
    assert by_status["added"].new.text == C
    assert by_status["removed"].old.text == A
    assert (d.count("added"), d.count("removed"), d.count("modified")) == (1, 1, 1)


def test_an_objective_moved_to_another_theme_is_moved_not_added():
    old = fw(quartier(theme("Éducation", A, B, canonical="education"), theme("Jeunesse", D, canonical="youth")))
    new = fw(quartier(theme("Éducation", B, canonical="education"), theme("Jeunesse", D, A, canonical="youth")))
    d = framework_diff(old, new)
    education, youth = d.neighbourhoods[0].themes
    assert education.changes == () and education.unchanged == 1
    (moved,) = youth.changes
    assert (moved.status, moved.old_theme, moved.new.text) == ("moved", "Éducation", A)


def test_themes_added_removed_and_renamed():
    old = fw(quartier(theme("Réussite scolaire", A, canonical="education"), theme("Parentalité", C, canonical="parenting")))
    new = fw(quartier(theme("Réussite scolaire et éducative", A, canonical="education"),
                      theme("Jeunesse", D, canonical="youth")))
    d = framework_diff(old, new)
    themes = {t.title: t for t in d.neighbourhoods[0].themes}
    renamed = themes["Réussite scolaire et éducative"]
    assert renamed.status == "modified" and renamed.renamed and renamed.old_title == "Réussite scolaire"
    assert renamed.unchanged == 1
    assert themes["Jeunesse"].status == "added" and themes["Jeunesse"].changes[0].status == "added"
    assert themes["Parentalité"].status == "removed" and themes["Parentalité"].changes[0].old.text == C


def test_neighbourhoods_matched_by_code_then_name():
    old = fw(quartier(theme("Éducation", A), name="Centre", code="QN03002M"), quartier(theme("X", B), name="Rochebelle", code=""))
    new = fw(quartier(theme("Éducation", A), name="Centre ancien", code="qn03002m"), quartier(theme("Y", C), name="Tamaris", code=""))
    d = framework_diff(old, new)
    statuses = [(n.name, n.status) for n in d.neighbourhoods]
    assert statuses == [("Centre ancien", "unchanged"), ("Tamaris", "added"), ("Rochebelle", "removed")]


def test_dissimilar_texts_are_not_paired():
    old = fw(quartier(theme("Éducation", A)))
    new = fw(quartier(theme("Éducation", D)))
    changes = framework_diff(old, new).neighbourhoods[0].themes[0].changes
    assert sorted(c.status for c in changes) == ["added", "removed"]


def test_word_diff_and_similarity():
    assert [(w.op, w.text) for w in word_diff("a b c d", "a x c d e")] == [
        ("equal", "a"), ("delete", "b"), ("insert", "x"), ("equal", "c d"), ("insert", "e")]
    assert similarity("Élève, École", "eleve ecole") == 1.0
    assert similarity("", "mot") == 0.0
