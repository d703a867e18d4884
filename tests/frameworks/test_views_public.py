"""Public pages, permalinks, 404s and downloads, read from the published framework."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from quartiers.frameworks.exports import COLUMNS
from quartiers.frameworks.models import Objective
from tests.frameworks.conftest import PUBLIC_FRAMEWORK, PUBLIC_OBJECTIVES, public_store


def _importer_ready() -> bool:
    try:
        from quartiers.engine.importer import import_annex_bytes  # noqa: F401
    except ImportError:
        return False
    return True


needs_importer = pytest.mark.skipif(not _importer_ready(), reason="the annex importer is not there yet")


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def text_of(page: str) -> str:
    """The visible text, tags removed and spaces collapsed (« Code QPV QN03002M »)."""
    text = " ".join(re.sub(r"<[^>]+>", " ", page).replace("&#x27;", "'").replace("&quot;", '"').split())
    return re.sub(r"\s+([),.])", r"\1", re.sub(r"\(\s+", "(", text))


def assert_accessible_layout(page: str) -> None:
    assert page.count("<h1") == 1
    for target in ("content", "header-navigation", "recherche-objectifs", "footer"):
        assert f'id="{target}"' in page, target
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "duplicate ids"
    for field_id in re.findall(r'<(?:input|select)[^>]*\sid="([^"]+)"', page):
        assert f'for="{field_id}"' in page, f"no label for {field_id}"


def key_of(label: str, code: str) -> str:
    return Objective.objects.get(label=label, theme__section__neighbourhood__code=code,
                                 theme__section__version__status="published").key


ISOLATION = "Rendre acteurs les habitants et lutter contre l'isolement"
CITIZENSHIP = "Favoriser le développement de la participation citoyenne"


# --- Home ----------------------------------------------------------------------------------------------------


def test_home_lists_the_contract_its_neighbourhoods_and_downloads(client, public_published):
    page = html(client.get(reverse("frameworks:home")))
    text = text_of(page)

    assert_accessible_layout(page)
    assert "Contrat de ville de l'arrondissement d'Alès" in text
    for code, name in [("QN03001I", "Alès"), ("QN03016M", "La Grand-Combe"), ("QN03002M", "Anduze"),
                       ("QN03014M", "Saint-Ambroix")]:
        assert code in text and f'href="/quartiers/{code}/">{name}</a>' in page
    assert "Branoux-les-Taillades, La Grand-Combe, Les Salles-du-Gardon" in text
    assert "Anduze Centre Ville QN03002M Anduze 3 6" in text  # short name, official name, code, commune, counts
    assert 'id="recherche-objectifs"' in page and 'action="/recherche/"' in page
    for url in ("/contrats/ales/referentiel.json", "/contrats/ales/referentiel.csv",
                "/contrats/ales/referentiel-tableur.csv"):
        assert f'href="{url}"' in page


def test_home_without_data_says_so(client, db):
    assert "Aucun contrat de ville" in html(client.get("/"))


def test_home_runs_a_bounded_number_of_queries(client, public_archived, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/")


# --- Neighbourhood page --------------------------------------------------------------------------------------


def test_neighbourhood_page_shows_codes_communes_themes_and_objectives(client, public_published):
    page = html(client.get(reverse("frameworks:neighbourhood", args=["QN03002M"])))
    text = text_of(page)

    assert_accessible_layout(page)
    assert re.search(r"<h1[^>]*>\s*Anduze\s*</h1>", page)
    assert "Nom officiel Centre Ville" in text
    assert "Code officiel (QPV 2024) QN03002M" in text
    assert "Anduze (code INSEE 30010)" in text
    assert 'href="/contrats/ales/">Contrat de ville de l&#x27;arrondissement d&#x27;Alès</a>' in page
    for theme in ("Accompagnement de la jeunesse", "Lien social", "Santé / Prévention de la délinquance"):
        assert re.search(rf"<h2[^>]*>{re.escape(theme)}</h2>", page), theme
    assert page.count('class="q-objective') == 6
    assert re.search(r"<h3[^>]*>Rendre acteurs les habitants et lutter contre l&#x27;isolement</h3>", page)
    assert "<li>actions d&#x27;« aller vers » les personnes isolées</li>" in page  # action types as a list
    assert "Horaires décalés (soirées, week-ends, vacances)</p>" in page  # constraint badge …
    assert "en soirée, weekends, durant les vacances scolaires, en horaires décalés</span>" in page  # … its sentence
    assert "Annexe, ligne 104" in text and "Annexe, lignes 91 à 92" in text
    key = key_of(ISOLATION, "QN03002M")
    assert f'id="objectif-{key}"' in page
    assert f'href="/quartiers/QN03002M/objectifs/{key}/"' in page
    assert '<a class="fr-breadcrumb__link" aria-current="page">Anduze</a>' in page


def test_theme_constraints_show_as_badges_with_their_sentence(client, public_published):
    page = html(client.get("/quartiers/QN03001I/"))

    assert "Hors temps scolaire</p>" in page
    assert "Les actions proposées doivent être menées hors-temps scolaire.</span>" in page


def test_neighbourhood_code_is_case_insensitive(client, public_published):
    assert "Centre Ville" in html(client.get("/quartiers/qn03002m/"))


def test_neighbourhood_without_published_framework_is_still_described(client, public_contract):
    text = text_of(html(client.get("/quartiers/QN03002M/")))

    assert "Aucun référentiel publié" in text and "QN03002M" in text


def test_neighbourhood_page_runs_a_bounded_number_of_queries(client, public_archived, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        html(client.get("/quartiers/QN03002M/"))


# --- Objective permalinks -------------------------------------------------------------------------------------


def test_objective_page_gives_its_theme_neighbourhood_version_and_a_link_to_copy(client, public_published):
    key = key_of(ISOLATION, "QN03002M")
    page = html(client.get(f"/quartiers/QN03002M/objectifs/{key}/"))
    text = text_of(page)

    assert_accessible_layout(page)
    assert re.search(r"<h1[^>]*>Rendre acteurs les habitants et lutter contre l&#x27;isolement</h1>", page)
    assert "Thème Lien social" in text
    assert "Quartier Anduze — Centre Ville (QN03002M)" in text
    assert "Version 1 (en vigueur)" in text
    assert "Copier le lien" in text
    assert f'value="http://testserver/quartiers/QN03002M/objectifs/{key}/"' in page
    assert f'href="/quartiers/QN03002M/#objectif-{key}"' in page


def test_the_same_text_in_two_neighbourhoods_has_one_permalink_in_each(client, public_published):
    sport = Objective.objects.filter(label__startswith="Développer l'accès et la diversification des pratiques sportives")
    keys = set(sport.values_list("key", flat=True))

    assert len(keys) == 1 and sport.count() == 2
    key = keys.pop()
    assert "La Grand-Combe" in html(client.get(f"/quartiers/QN03016M/objectifs/{key}/"))
    assert "Anduze" in html(client.get(f"/quartiers/QN03002M/objectifs/{key}/"))
    assert client.get(f"/quartiers/QN03001I/objectifs/{key}/").status_code == 404


def test_a_permalink_outlives_its_objective_and_says_it_is_archived(client, public_archived):
    key = Objective.objects.get(label=CITIZENSHIP).key
    page = html(client.get(f"/quartiers/QN03002M/objectifs/{key}/"))

    assert "version 1, archivée" in text_of(page)
    assert CITIZENSHIP not in html(client.get("/quartiers/QN03002M/"))


@pytest.mark.parametrize("url", [
    "/quartiers/QN99999Z/",
    "/quartiers/QN03002M/objectifs/000000000000/",
    "/quartiers/QN99999Z/objectifs/000000000000/",
    "/quartiers/QN03002M/versions/9/",
    "/contrats/inconnu/",
    "/contrats/ales/versions/9/",
    "/contrats/inconnu/referentiel.json",
    "/contrats/ales/versions/9/referentiel.csv",
])
def test_unknown_codes_keys_and_versions_give_the_french_404_page(client, public_published, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_an_objective_key_from_another_neighbourhood_is_unknown(client, public_published):
    key = key_of(ISOLATION, "QN03002M")

    assert client.get(f"/quartiers/QN03001I/objectifs/{key}/").status_code == 404


# --- Contract and versions ------------------------------------------------------------------------------------


def test_contract_page_lists_neighbourhoods_and_versions(client, public_archived):
    page = html(client.get("/contrats/ales/"))
    text = text_of(page)

    assert_accessible_layout(page)
    assert "Contrat de ville de l'arrondissement d'Alès" in text
    assert page.count('class="fr-card ') == 4
    assert "QN03002M · 3 thèmes · 6 objectifs" in text
    assert re.search(r'href="/contrats/ales/versions/2/">Version 2</a>\s*<p class="fr-badge[^"]*">En vigueur', page)
    assert re.search(r'href="/contrats/ales/versions/1/">Version 1</a>\s*<p class="fr-badge[^"]*">Archivée', page)


def test_an_archived_version_stays_readable_with_a_notice(client, public_archived):
    page = html(client.get("/contrats/ales/versions/1/"))

    assert_accessible_layout(page)
    assert "Cette version est archivée" in page
    assert 'href="/contrats/ales/versions/2/"' in page
    assert CITIZENSHIP in text_of(page)
    neighbourhood = html(client.get("/quartiers/QN03002M/versions/1/"))
    assert "Version archivée" in neighbourhood and CITIZENSHIP in text_of(neighbourhood)
    assert "Cette version est archivée" not in html(client.get("/contrats/ales/versions/2/"))


def test_drafts_are_never_public(client, public_published):
    public_store(public_published.contract, PUBLIC_FRAMEWORK, name="brouillon.txt", publish=False)

    assert client.get("/contrats/ales/versions/2/").status_code == 404
    assert client.get("/contrats/ales/versions/2/referentiel.json").status_code == 404
    assert client.get("/quartiers/QN03002M/versions/2/").status_code == 404
    assert "Version 2" not in html(client.get("/contrats/ales/"))


# --- Search page ----------------------------------------------------------------------------------------------


def test_search_page_groups_highlights_and_counts(client, public_published):
    page = html(client.get("/recherche/", {"q": "jeune"}))
    text = text_of(page)

    assert_accessible_layout(page)
    assert "5 objectifs trouvés dans 3 quartiers" in text
    assert re.findall(r'<h2 class="fr-h3" id="groupe-\d+">\s*<a href="/quartiers/(\w+)/">', page) == [
        "QN03016M", "QN03002M", "QN03014M"]
    assert "<mark>jeunes</mark>" in page and "<mark>jeune</mark>" in page


def test_search_page_filters(client, public_published):
    text = text_of(html(client.get("/recherche/", {"q": "jeunes", "quartier": "QN03002M", "theme": "health"})))

    assert "1 objectif trouvé" in text and "thème « Santé et prévention »" in text


def test_search_page_without_result_suggests_other_searches(client, public_published):
    page = html(client.get("/recherche/", {"q": "piscine olympique"}))

    assert "Aucun résultat" in page
    assert 'href="/recherche/?q=piscine"' in page and 'href="/recherche/?q=jeunes"' in page


def test_search_page_escapes_what_is_typed(client, public_published):
    page = html(client.get("/recherche/", {"q": "<script>alert('x')</script> %_\""}))

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_search_page_with_an_empty_query_asks_for_words(client, public_published):
    assert "Saisissez un ou plusieurs mots" in html(client.get("/recherche/", {"q": ""}))
    assert "trop courants" in html(client.get("/recherche/", {"q": "de la"}))
    assert "Aucun résultat" not in html(client.get("/recherche/"))


def test_search_page_runs_a_bounded_number_of_queries(client, public_published, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        html(client.get("/recherche/", {"q": "jeunes santé", "theme": "youth"}))


# --- Downloads ------------------------------------------------------------------------------------------------


def test_json_download_has_the_framework_shape_with_contract_version_and_codes(client, public_published):
    response = client.get("/contrats/ales/referentiel.json")
    data = json.loads(response.content)

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="quartiers-ales-referentiel-v1.json"'
    assert {"title", "source", "neighbourhoods", "contract", "version"} <= set(data)
    assert data["contract"]["slug"] == "ales" and data["version"]["number"] == 1
    assert [n["qpv_code"] for n in data["neighbourhoods"]] == ["QN03001I", "QN03016M", "QN03002M", "QN03014M"]
    anduze = data["neighbourhoods"][2]
    assert anduze["code"] == "QN03002M" and anduze["official_name"] == "Centre Ville"
    assert anduze["communes"] == [{"name": "Anduze", "insee_code": "30010"}]
    objectives = [o for n in data["neighbourhoods"] for t in n["themes"] for o in t["objectives"]]
    assert len(objectives) == PUBLIC_OBJECTIVES
    assert {"text", "label", "action_types", "constraints", "source_lines", "key"} <= set(objectives[0])
    assert "warnings" not in data


def test_csv_download_has_one_row_per_objective(client, public_published):
    response = client.get("/contrats/ales/referentiel.csv")
    body = response.content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))

    assert not response.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Disposition"] == 'attachment; filename="quartiers-ales-referentiel-v1.csv"'
    assert tuple(rows[0]) == COLUMNS and len(rows) == PUBLIC_OBJECTIVES
    row = next(r for r in rows if r["objectif_intitule"] == ISOLATION)
    assert row["code_qpv"] == "QN03002M" and row["quartier"] == "Centre Ville" and row["communes"] == "Anduze"
    assert row["theme"] == "Lien social" and row["theme_reference"] == "Lien social et accès aux droits"
    assert row["types_action"].startswith("actions d'« aller vers » les personnes isolées | initiatives")
    assert row["lignes_source"] == "104" and row["version"] == "1" and len(row["objectif_cle"]) == 12
    parents = next(r for r in rows if r["objectif_intitule"].startswith("Accompagner les parents"))
    assert parents["contraintes"] == "Hors temps scolaire : Les actions proposées doivent être menées hors-temps scolaire."


def test_spreadsheet_csv_uses_semicolons_and_a_byte_order_mark(client, public_published):
    response = client.get("/contrats/ales/referentiel-tableur.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Disposition"] == 'attachment; filename="quartiers-ales-referentiel-v1-tableur.csv"'
    assert tuple(rows[0]) == COLUMNS and len(rows) == PUBLIC_OBJECTIVES
    assert {r["communes"] for r in rows} >= {"Branoux-les-Taillades, La Grand-Combe, Les Salles-du-Gardon"}


def test_archived_versions_can_be_downloaded_at_their_own_url(client, public_archived):
    data = json.loads(client.get("/contrats/ales/versions/1/referentiel.json").content)
    current = json.loads(client.get("/contrats/ales/referentiel.json").content)

    assert data["version"] == {**data["version"], "number": 1, "status": "archived"}
    assert current["version"]["number"] == 2


def test_downloads_run_a_bounded_number_of_queries(client, public_published, django_assert_max_num_queries):
    for url in ("/contrats/ales/referentiel.json", "/contrats/ales/referentiel-tableur.csv"):
        with django_assert_max_num_queries(8):
            client.get(url)


# --- With the demo (the seed annex imported by ``quartiers demo``) ---------------------------------------------


@needs_importer
def test_demo_pages_and_downloads(client, demo_data):
    home = text_of(html(client.get("/")))
    for code in ("QN03001I", "QN03016M", "QN03002M", "QN03014M"):
        assert code in home
    rows = list(csv.DictReader(io.StringIO(client.get("/contrats/ales/referentiel.csv").content.decode())))
    assert len(rows) == 62 and tuple(rows[0]) == COLUMNS
    tableur = client.get("/contrats/ales/referentiel-tableur.csv").content.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(tableur), delimiter=";"))) == 62
    data = json.loads(client.get("/contrats/ales/referentiel.json").content)
    assert sum(len(t["objectives"]) for n in data["neighbourhoods"] for t in n["themes"]) == 62
    anduze = text_of(html(client.get("/quartiers/QN03002M/")))
    assert "Rendre acteurs les habitants et lutter contre l'isolement" in anduze
    assert "Anduze (code INSEE 30010)" in anduze
    assert "Hors temps scolaire" in html(client.get("/quartiers/QN03001I/"))
    found = html(client.get("/recherche/", {"q": "isolement"}))
    assert "Rendre acteurs les habitants et lutter contre l&#x27;<mark>isolement</mark>" in found
