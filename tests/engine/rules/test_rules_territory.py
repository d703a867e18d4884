"""Neighbourhoods of the action and objectives of the neighbourhood projects."""

from quartiers.engine.rules import ObjectiveClaim

ANDUZE_YOUTH = ("Soutenir les activités spécifiquement dédiées aux publics adolescent et jeune, en soirée, weekends, "
                "durant les vacances scolaires, en horaires décalés.")
ALES_PARENTS = ("Accompagner les parents dans le suivi de la scolarité de leurs enfants : actions de soutien à la "
                "parentalité en lien avec les acteurs socio-éducatifs et les écoles, médiation écoles/familles.")
SPORT = ("Développer l'accès et la diversification des pratiques sportives et encourager la fréquentation des lieux, "
         "équipements et évènements sportifs du territoire.")


def test_no_neighbourhood_is_blocking(anduze, h):
    findings = h.run(anduze, neighbourhoods=())
    assert "NO_NEIGHBOURHOOD" in h.codes(findings)


def test_neighbourhood_by_name_is_resolved(anduze, h):
    for ref in ("Anduze", "anduze", "Centre-ville", "qn03002m"):
        assert h.run(anduze, neighbourhoods=(ref,)) == [], ref


def test_unknown_neighbourhood_name_is_blocking(anduze, h):
    findings = h.run(anduze, neighbourhoods=("Pissevin",))
    assert ("NEIGHBOURHOOD_UNKNOWN", "neighbourhoods[0]") in [(f.code, f.field) for f in findings]


def test_neighbourhood_outside_the_call_is_blocking(anduze, h):
    findings = h.run(anduze, neighbourhoods=("QN03002M", "QN03008M"))
    hits = [f for f in findings if f.code == "NEIGHBOURHOOD_NOT_IN_CALL"]
    assert [f.field for f in hits] == ["neighbourhoods[1]"]
    assert "QN03008M" in hits[0].message


def test_call_without_neighbourhood_list_accepts_any(anduze, h):
    open_call = h.with_call(anduze, neighbourhood_codes=())
    assert "NEIGHBOURHOOD_NOT_IN_CALL" not in h.codes(h.run(open_call, neighbourhoods=("QN03002M", "QN03008M")))


def test_no_objective_is_blocking(anduze, h):
    findings = h.run(anduze, claimed_objectives=())
    assert [(f.code, f.field) for f in findings] == [("NO_OBJECTIVE", "claimed_objectives")]


def test_objective_by_key_is_found(anduze, h):
    key = next(o.key for o in anduze.framework.objectives if o.text == ANDUZE_YOUTH)
    assert h.run(anduze, claimed_objectives=(ObjectiveClaim(key=key),)) == []


def test_objective_by_label_or_start_of_text_is_found(anduze, h):
    assert h.run(anduze, claimed_objectives=(ObjectiveClaim(text=ANDUZE_YOUTH[:60]),)) == []
    label = next(o.label for o in anduze.framework.objectives if o.text == ANDUZE_YOUTH)
    assert h.run(anduze, claimed_objectives=(ObjectiveClaim(text=label),)) == []


def test_unknown_objective_is_blocking(anduze, h):
    findings = h.run(anduze, claimed_objectives=(ObjectiveClaim(text="Construire une piscine olympique"),))
    assert [(f.code, f.field) for f in findings] == [("OBJECTIVE_UNKNOWN", "claimed_objectives[0]")]


def test_objective_of_another_neighbourhood_is_blocking(anduze, h):
    findings = h.run(anduze, claimed_objectives=(ObjectiveClaim(text=ALES_PARENTS),))
    hits = [f for f in findings if f.code == "OBJECTIVE_NOT_IN_NEIGHBOURHOOD"]
    assert len(hits) == 1
    assert "Prés Saint-Jean" in hits[0].message


def test_same_objective_text_in_two_neighbourhoods_counts_where_the_action_is(anduze, h):
    # This sport objective exists word for word in the Anduze project (and in La Grand-Combe's annex).
    assert h.run(anduze, claimed_objectives=(ObjectiveClaim(text=SPORT),)) == []


def test_claim_narrowed_to_another_neighbourhood_is_not_served(anduze, h):
    claim = ObjectiveClaim(text=ANDUZE_YOUTH, neighbourhood="Alès")
    assert "OBJECTIVE_NOT_IN_NEIGHBOURHOOD" in h.codes(h.run(anduze, claimed_objectives=(claim,)))


def test_weak_match_below_threshold_is_a_warning(anduze, h):
    findings = h.run(anduze, scorer=lambda application, objective: 0.19)
    assert [(f.code, f.severity, f.field) for f in findings] == [
        ("OBJECTIVE_WEAK_MATCH", "warning", "claimed_objectives[0]")]
    assert "0,19" in findings[0].message and "0,20" in findings[0].message


def test_weak_match_at_threshold_passes(anduze, h):
    assert h.run(anduze, scorer=lambda application, objective: 0.2) == []


def test_weak_match_is_silent_without_scorer_or_opinion(anduze, h):
    assert h.run(anduze, scorer=None) == []
    assert h.run(anduze, scorer=lambda application, objective: None) == []


def test_weak_match_threshold_is_a_setting(anduze, h):
    strict = h.with_settings(anduze, weak_match_threshold=0.5)
    assert h.codes(h.run(strict, scorer=lambda a, o: 0.4)) == ["OBJECTIVE_WEAK_MATCH"]


def test_scorer_receives_the_application_and_the_objective(anduze, h):
    seen = []

    def scorer(application, objective):
        seen.append((application.title, objective.text))
        return 0.9

    h.run(anduze, scorer=scorer)
    assert seen == [(anduze.application.title, ANDUZE_YOUTH)]


def test_ambiguous_neighbourhood_name_lists_the_candidates(anduze, h):
    # « Centre » is part of the Alès name (« … Centre-ville ») and of Anduze's « Centre-ville ».
    findings = [f for f in h.run(anduze, neighbourhoods=("centre",)) if f.code == "NEIGHBOURHOOD_UNKNOWN"]
    assert len(findings) == 1
    assert "ambigu" in findings[0].message and "Centre-ville" in findings[0].message
