"""The HTTP API: /api/v1/match and /api/v1/framework, OpenAPI at /api/docs, errors in French."""

import pytest

MATCH = "/api/v1/match"


def post(client, payload, **kwargs):
    return client.post(MATCH, payload, content_type="application/json", **kwargs)


def test_match_returns_ranked_objectives_with_evidence(client, ales_annex):
    response = post(client, {
        "neighbourhood": "Anduze",
        "title": "Visites de convivialité aux personnes âgées isolées",
        "description": "Des bénévoles rendent visite chaque semaine aux personnes âgées isolées du centre-ville.",
        "limit": 3,
    })
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "QN03002M"
    assert body["no_match"] is False
    assert len(body["matches"]) == 3
    best = body["matches"][0]
    assert best["objective"].startswith("Rendre acteurs les habitants et lutter contre l'isolement")
    assert 0 <= best["score"] <= 1
    assert any("isolées" in e["proposal_terms"] for e in best["evidence"])
    scores = [m["score"] for m in body["matches"]]
    assert scores == sorted(scores, reverse=True)


def test_match_is_deterministic(client, ales_annex):
    payload = {"neighbourhood": "QN03016M", "title": "Chantier éducatif", "description": "Des jeunes rénovent un local"}
    assert post(client, payload).json() == post(client, payload).json()


def test_match_says_when_nothing_fits(client, ales_annex):
    body = post(client, {
        "neighbourhood": "Alès",
        "title": "Dépistage du diabète",
        "description": "Journées de dépistage du diabète et de l'hypertension avec des médecins et infirmières.",
    }).json()
    assert body["no_match"] is True
    assert "seuil" in body["reason"]


@pytest.mark.parametrize(
    ("payload", "status", "fragment"),
    [
        ({"neighbourhood": "Nîmes", "title": "Aide aux devoirs le soir"}, 404, "Quartier inconnu"),
        ({"neighbourhood": "Anduze", "title": "Foot"}, 400, "trop courte"),
        ({"neighbourhood": "Anduze", "title": "x" * 301}, 422, "title : trop long"),
        ({"neighbourhood": "Anduze", "description": "y " * 600_000}, 422, "description : trop long"),
        ({"title": "Aide aux devoirs le soir"}, 422, "neighbourhood : obligatoire"),
        ({"neighbourhood": "Anduze", "title": "Aide aux devoirs", "limit": 500}, 422, "limit : hors des bornes"),
    ],
)
def test_bad_input_is_a_4xx_with_a_french_detail(client, ales_annex, payload, status, fragment):
    response = post(client, payload)
    assert response.status_code == status
    assert fragment in response.json()["detail"]


def test_malformed_json_is_a_400_in_french(client, ales_annex):
    response = client.post(MATCH, "{pas du json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON valide" in response.json()["detail"]


def test_english_or_markup_never_breaks_it(client, ales_annex):
    response = post(client, {"neighbourhood": "Anduze", "title": "<script>alert(1)</script> Homework help",
                             "description": "After-school homework club for teenagers in the town centre."})
    assert response.status_code == 200
    assert len(response.json()["matches"]) >= 3


@pytest.mark.django_db
def test_without_published_framework_the_api_says_so(client):
    response = post(client, {"neighbourhood": "Anduze", "title": "Aide aux devoirs le soir"})
    assert response.status_code == 404
    assert "Aucun référentiel" in response.json()["detail"]


def test_framework_endpoint_and_openapi(client, ales_annex):
    body = client.get("/api/v1/framework").json()
    assert body["contract"]["slug"] == "ales"
    assert sum(len(t["objectives"]) for n in body["neighbourhoods"] for t in n["themes"]) == 62
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/match" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_unknown_api_path_is_a_french_404(client, db):
    response = client.get("/api/v1/nexistepas")
    assert response.status_code == 404
