"""« Quelle priorité pour mon projet ? »: the public page over the matching engine."""

import pytest

from quartiers.frameworks.matching import highlight, proposal_problem

URL = "/quelle-priorite/"
ISOLATION = {
    "neighbourhood": "QN03002M",
    "title": "Visites de convivialité aux personnes âgées isolées",
    "description": "Des bénévoles rendent visite chaque semaine aux personnes âgées isolées du centre-ville "
                   "pour rompre la solitude et les orienter vers les services.",
    "audience": "seniors vivant seuls",
}


def test_highlight_marks_words_by_stem_and_escapes_the_rest():
    html = highlight("Les jeunes <b>du</b> quartier & leurs familles", {"jeun", "famill"})
    assert "<mark>jeunes</mark>" in html
    assert "<mark>familles</mark>" in html
    assert "&lt;b&gt;" in html and "&amp;" in html


def test_proposal_problem_asks_for_a_real_description():
    assert "nécessaire" in proposal_problem("", "")
    assert "trop courte" in proposal_problem("Foot", "")
    assert proposal_problem("Aide aux devoirs", "au centre social le soir") == ""


@pytest.mark.django_db
def test_page_without_a_published_framework_is_a_french_404(client):
    response = client.get(URL)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_page_lists_the_neighbourhoods_and_preselects_one(client, ales_annex):
    response = client.get(URL, {"quartier": "QN03002M"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Quelle priorité pour mon projet ?</h1>" in html
    for code in ("QN03001I", "QN03016M", "QN03002M", "QN03014M"):
        assert code in html
    assert 'value="QN03002M" selected' in html
    assert '<label class="fr-label" for="id_description">' in html


def test_post_ranks_the_objectives_with_evidence_highlighted(client, ales_annex):
    response = client.post(URL, ISOLATION)
    html = response.content.decode()
    assert response.status_code == 200
    first = html.index("<ol class=\"q-match-list\">")
    assert "lutter contre l&#x27;isolement" in html[first:first + 1500]
    assert "<mark>isolées</mark>" in html
    assert "Pourquoi :" in html


def test_htmx_request_gets_only_the_results(client, ales_annex):
    response = client.post(URL, ISOLATION, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="resultats"')
    assert "<h1>" not in html


def test_an_action_outside_the_priorities_says_so_and_points_elsewhere(client, ales_annex):
    # Alès's project has no health objective.
    response = client.post(URL, {
        "neighbourhood": "QN03001I",
        "title": "Dépistage du diabète",
        "description": "Journées de dépistage du diabète et de l'hypertension avec des médecins et infirmières, "
                       "et orientation vers le médecin traitant.",
        "audience": "habitants",
    })
    html = response.content.decode()
    assert "Aucune priorité de ce quartier ne correspond" in html
    elsewhere = html[html.index("trouverait sa place"):]
    # La Grand-Combe (dépistage, soin) and Saint-Ambroix (accès aux soins) have health objectives.
    assert "QN03016M" in elsewhere[:2000] and "QN03014M" in elsewhere[:2000]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"neighbourhood": "QN03002M", "title": "", "description": ""}, "un titre ou une description est nécessaire"),
        ({"neighbourhood": "QN03002M", "title": "Foot", "description": ""}, "trop courte"),
        ({"neighbourhood": "QN99999X", "title": "Aide aux devoirs", "description": "le soir au centre social"},
         "Ce quartier n&#x27;existe pas"),
        ({"neighbourhood": "", "title": "Aide aux devoirs", "description": "le soir"}, "Choisissez le quartier"),
        ({"neighbourhood": "QN03002M", "title": "t" * 301, "description": "x"}, "Le titre est trop long"),
    ],
)
def test_bad_input_gets_a_french_message_never_an_error(client, ales_annex, data, message):
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_markup_in_the_description_is_shown_as_text(client, ales_annex):
    response = client.post(URL, {**ISOLATION, "description": ISOLATION["description"] + " <script>alert(1)</script>"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "lutter contre l&#x27;isolement" in html


def test_a_megabyte_of_text_is_refused_with_the_limit(client, ales_annex):
    response = client.post(URL, {**ISOLATION, "description": "solidarité " * 100_000})
    assert response.status_code == 200
    assert "La description est trop longue" in response.content.decode()
