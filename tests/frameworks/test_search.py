"""French search across the published objectives. The same expectations hold on SQLite and on PostgreSQL."""

import pytest
from django.db import connection

from quartiers.frameworks.search import highlight, objectives_search, query_terms, stem

# Labels of the objectives of the ``public_published`` fixture, short enough to read in a test.
ISOLATION = "Rendre acteurs les habitants et lutter contre l'isolement"
LIVING_TOGETHER = "Favoriser le vivre ensemble"
PARENTS = "Accompagner les parents dans le suivi de la scolarité de leurs enfants"
SPORT = ("Développer l'accès et la diversification des pratiques sportives et encourager la fréquentation des lieux, "
         "équipements et évènements sportifs du territoire")
EXPRESSION = "Favoriser l'expression des jeunes, restaurer l'estime de soi et la confiance en soi"
ASSOCIATIONS = "Améliorer l'accessibilité à l'offre associative locale à destination des jeunes du QPV"
TEENAGERS = ("Soutenir les activités spécifiquement dédiées aux publics adolescent et jeune, en soirée, weekends, "
             "durant les vacances scolaires, en horaires décalés")
MENTAL_HEALTH = ("Prévenir la souffrance psycho-sociale et la prise en charge des problématiques de santé mentale, "
                 "notamment des enfants et des jeunes, par le renforcement de l'offre de soutien psychologique et "
                 "l'accompagnement des familles")
FOOD = "Promouvoir une alimentation de qualité accessible à tous et lutter contre la précarité alimentaire"
LEISURE = "Développer l'offre de loisirs pour les jeunes"
ACHIEVEMENT = "Valoriser les parcours de réussite et l'exemplarité"
CITIZENSHIP = "Favoriser le développement de la participation citoyenne"


def labels(results) -> dict[str, set[str]]:
    """Labels found, per neighbourhood (the order of objectives inside a group follows the rank)."""
    return {g.title: {h.objective.label for h in g.hits} for g in results.groups}


# query → labels expected per neighbourhood, in the order of the framework. Asserted on both databases.
EXPECTED = {
    # plural and singular share their stem
    "jeune": {
        "La Grand-Combe": {EXPRESSION},
        "Anduze": {ASSOCIATIONS, TEENAGERS, MENTAL_HEALTH},
        "Saint-Ambroix": {LEISURE},
    },
    "jeunes": {
        "La Grand-Combe": {EXPRESSION},
        "Anduze": {ASSOCIATIONS, TEENAGERS, MENTAL_HEALTH},
        "Saint-Ambroix": {LEISURE},
    },
    # accents and case do not matter
    "ecole": {"Alès": {PARENTS}},
    "ÉCOLES": {"Alès": {PARENTS}},
    "sante mentale": {"Anduze": {MENTAL_HEALTH}},
    # stems: « isolement » and « isolées » are told apart by the French stemmer (isol / isole)
    "isolement": {"Anduze": {ISOLATION}},
    "personnes isolées": {"La Grand-Combe": {LIVING_TOGETHER}, "Anduze": {ISOLATION}},
    "personne isolee": {"La Grand-Combe": {LIVING_TOGETHER}, "Anduze": {ISOLATION}},
    # every word must be found (« sportives » and « pratique » in the same objective)
    "pratique sportive": {"La Grand-Combe": {SPORT}, "Anduze": {SPORT}},
    "pratiques sportives santé": {},
    # a theme title counts: « Santé » is the title of Saint-Ambroix's health theme
    "santé alimentation": {"Saint-Ambroix": {FOOD}},
    # the conditions of a whole theme count: Alès' education theme is « hors-temps scolaire »
    "hors temps scolaire": {"Alès": {ACHIEVEMENT, PARENTS}},
    # « œ » is read as « oe »
    "oeuvre": {"Anduze": {ISOLATION}},
    # words joined by a hyphen or an apostrophe are found separately
    "psycho-sociale": {"Anduze": {MENTAL_HEALTH}},
    "l'isolement": {"Anduze": {ISOLATION}},
    "citoyenne participation": {"Anduze": {CITIZENSHIP}},
    "introuvable": {},
}


@pytest.mark.parametrize("query", list(EXPECTED))
def test_french_queries_find_the_same_objectives_on_every_database(public_published, query):
    results = objectives_search(query=query)

    assert labels(results) == EXPECTED[query]
    assert results.count == sum(len(v) for v in EXPECTED[query].values())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares PostgreSQL with the Python fallback")
@pytest.mark.parametrize("query", [*EXPECTED, "familles", "actions", "loisirs jeunesse", "Citoyenneté", "quartier",
                                   "scolaire", "mobilité", "santé", "habitants", "aller vers", "2030", "QPV", "un e artiste", "sport",
                                   "socio educatifs", "femmes hommes", "été", "les"])
def test_postgresql_and_python_fallback_agree(public_published, query):
    on_postgresql = objectives_search(query=query)
    in_python = objectives_search(query=query, in_python=True)

    assert on_postgresql.backend == "postgresql" and in_python.backend == "python"
    assert labels(on_postgresql) == labels(in_python)


def test_results_are_grouped_by_neighbourhood_in_the_order_of_the_framework(public_published):
    results = objectives_search(query="jeunes")

    assert [g.title for g in results.groups] == ["La Grand-Combe", "Anduze", "Saint-Ambroix"]
    assert [g.neighbourhood.code for g in results.groups] == ["QN03016M", "QN03002M", "QN03014M"]
    assert results.count == 5


def test_the_objective_whose_label_matches_comes_first_in_its_group(public_published):
    results = objectives_search(query="jeunes", neighbourhood="QN03002M")

    assert results.groups[0].hits[0].objective.label == ASSOCIATIONS


def test_matched_words_are_highlighted_in_every_form(public_published):
    results = objectives_search(query="jeune")
    hit = results.groups[0].hits[0]

    assert "<mark>jeunes</mark>" in hit.label_html
    assert str(highlight("Les Écoles et l'école", query_terms("ecole"))) == (
        "Les <mark>Écoles</mark> et l&#x27;<mark>école</mark>"
    )


def test_highlighting_escapes_the_text():
    assert str(highlight("<b>jeunes</b> & co", query_terms("jeune"))) == "&lt;b&gt;<mark>jeunes</mark>&lt;/b&gt; &amp; co"


def test_empty_query_searches_nothing(public_published):
    for query in ("", "   ", "%_", "'\"", "---"):
        results = objectives_search(query=query)
        assert not results.searched and results.count == 0


def test_stop_words_alone_find_nothing_and_say_so(public_published):
    results = objectives_search(query="de la")

    assert results.only_stop_words and results.count == 0


def test_special_characters_are_harmless(public_published):
    for query in ("%", "_", "jeu%", "jeunes_", "'; drop table frameworks_objective; --", '"jeunes"', "<script>",
                  "jeunes & (santé | !emploi)", "isolement:*", "\\", "\x00jeunes"):
        results = objectives_search(query=query)
        assert results.count >= 0
    assert labels(objectives_search(query='"jeunes" <b>')) == labels(objectives_search(query="jeunes b"))


def test_a_very_long_query_is_cut_to_its_first_words(public_published):
    results = objectives_search(query="jeunes " * 2000)

    assert results.terms == ["jeun"]
    assert labels(results) == EXPECTED["jeunes"]
    assert len(objectives_search(query="x" * 100_000).query) == 200


def test_filters_by_neighbourhood_and_canonical_theme(public_published):
    assert labels(objectives_search(query="jeunes", neighbourhood="QN03002M")) == {
        "Anduze": {ASSOCIATIONS, TEENAGERS, MENTAL_HEALTH}
    }
    assert labels(objectives_search(query="jeunes", theme="health")) == {"Anduze": {MENTAL_HEALTH}}
    assert labels(objectives_search(query="jeunes", neighbourhood="qn03014m", theme="youth")) == {
        "Saint-Ambroix": {LEISURE}
    }


def test_filters_without_words_list_every_objective_they_select(public_published):
    results = objectives_search(theme="health")

    assert labels(results) == {"Anduze": {MENTAL_HEALTH}, "Saint-Ambroix": {FOOD}}
    assert objectives_search(neighbourhood="QN03002M").count == 6


def test_unknown_filters_find_nothing_or_are_ignored(public_published):
    assert objectives_search(query="jeunes", neighbourhood="QN99999Z").count == 0
    assert objectives_search(query="jeunes", theme="inconnu").count == 5


def test_only_the_published_version_is_searched(public_archived):
    archived, published = public_archived

    assert objectives_search(query="participation citoyenne").count == 0  # only in the archived version
    results = objectives_search(query="mobilité géographique")
    assert {h.objective.theme.section.version_id for g in results.groups for h in g.hits} == {published.pk}


def test_no_result_offers_other_searches(public_published):
    results = objectives_search(query="jeunes zzz", neighbourhood="QN03002M")

    suggestions = [s["q"] for s in results.suggestions()]
    assert results.count == 0
    assert suggestions[:3] == ["jeunes zzz", "jeunes", "zzz"]
    assert "emploi" in suggestions


def test_stems_follow_postgresql_french_configuration():
    assert stem("Jeunes") == stem("jeune") == "jeun"
    assert stem("écoles") == stem("ecole")
    assert stem("de") == "" and stem("été") != ""  # stop words are compared once unaccented, as in PostgreSQL
    assert query_terms("de jeunes et des jeunes") == ["jeun"]
    assert query_terms("les") == ["le"]  # « les » is not in PostgreSQL's French stop words


def test_search_runs_a_bounded_number_of_queries(public_published, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        objectives_search(query="jeunes santé")


# --- On the demo: the seed annex as imported ---------------------------------------------------------------

# query → number of objectives found per neighbourhood, in the order of the annex. Asserted on both databases.
DEMO_EXPECTED = {
    "jeune": {"Alès": 4, "La Grand-Combe": 6, "Anduze": 7, "Saint-Ambroix": 8},
    "isolement": {"Anduze": 1},
    "ecole": {"Alès": 1, "La Grand-Combe": 1},
    "personnes isolées": {"La Grand-Combe": 1, "Anduze": 1},
    "santé mentale": {"Anduze": 1, "Saint-Ambroix": 1},
    "mobilité": {"Alès": 1, "La Grand-Combe": 3, "Saint-Ambroix": 1},
    "logement": {"Alès": 1, "Anduze": 1, "Saint-Ambroix": 1},
    "hors temps scolaire": {"Alès": 4, "La Grand-Combe": 1},
    "parentalité": {"Alès": 2, "La Grand-Combe": 1},
    "emploi des jeunes": {"Alès": 1, "Saint-Ambroix": 1},
    "temps long": {"Alès": 2, "La Grand-Combe": 2, "Anduze": 1},
    "harcelement": {"Alès": 1},
}


@pytest.mark.parametrize("query", list(DEMO_EXPECTED))
def test_demo_queries_find_the_same_objectives_on_every_database(ales_annex, query):
    results = objectives_search(query=query)

    assert {g.title: len(g.hits) for g in results.groups} == DEMO_EXPECTED[query]
    assert list({g.title: None for g in results.groups}) == list(DEMO_EXPECTED[query])


def test_demo_isolation_is_anduzes_objective_about_isolated_people(ales_annex):
    (group,) = objectives_search(query="isolement").groups

    assert group.neighbourhood.code == "QN03002M"
    assert group.hits[0].objective.label == ISOLATION


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares PostgreSQL with the Python fallback")
def test_demo_postgresql_and_python_fallback_agree_on_many_queries(ales_annex):
    from quartiers.frameworks.models import Objective

    # Distinct words of the annex's labels (every third one, to keep the test short), one query each.
    words = sorted({w for label in Objective.objects.values_list("label", flat=True) for w in label.split()})
    queries = [*DEMO_EXPECTED, *words[::3]]
    disagreements = [q for q in queries
                     if labels(objectives_search(query=q)) != labels(objectives_search(query=q, in_python=True))]

    assert disagreements == []
