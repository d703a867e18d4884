"""Public pages, permalinks, 404s and downloads, on the seed annex imported and published (``ales_annex``)."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from quartiers.frameworks.exports import COLUMNS
from quartiers.frameworks.models import Objective
from quartiers.frameworks.selectors import version_to_framework
from tests.frameworks.conftest import public_store

DEMO_OBJECTIVES = 62


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def text_of(page: str) -> str:
    """The visible text, tags removed and spaces collapsed (« Code QPV QN03002M »)."""
    text = " ".join(re.sub(r"<[^>]+>", " ", page).replace("&#x27;", "'").replace("&quot;", '"').split())
    return re.sub(r"\s+([),.])", r"\1", re.sub(r"\(\s+", "(", text))


def assert_accessible_layout(page: str) -> None:
    assert "{#" not in page and "{%" not in page and "{{" not in page, "template syntax leaked into the page"
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
CITIZENSHIP = "Favoriser le développement de la participation citoyenne."
SPORT = "Développer l'accès et la diversification des pratiques sportives et encourager la fréquentation"


# --- Home ----------------------------------------------------------------------------------------------------


def test_home_lists_the_contract_its_neighbourhoods_and_downloads(client, ales_annex):
    page = html(client.get(reverse("core:home")))
    text = text_of(page)

    assert_accessible_layout(page)
    assert "Quartiers publie, quartier par quartier, les priorités des contrats de ville" in text
    assert "Contrat de ville de l'arrondissement d'Alès" in text
    for code, name in [("QN03001I", "Alès"), ("QN03016M", "La Grand-Combe"), ("QN03002M", "Anduze"),
                       ("QN03014M", "Saint-Ambroix")]:
        assert code in text and f'href="/quartiers/{code}/">{name}</a>' in page
    assert "Branoux-les-Taillades, La Grand-Combe, Les Salles-du-Gardon" in text
    assert "Anduze Centre Ville QN03002M Anduze 7 15" in text  # short name, official name, code, commune, counts
    assert 'id="recherche-objectifs"' in page and 'action="/recherche/"' in page
    for url in ("/contrats/ales/referentiel.json", "/contrats/ales/referentiel.csv",
                "/contrats/ales/referentiel-tableur.csv"):
        assert f'href="{url}"' in page


def test_home_without_data_says_so(client, db):
    assert "Aucun contrat de ville" in html(client.get("/"))


def test_home_runs_a_bounded_number_of_queries(client, public_demo_archived, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        html(client.get("/"))


# --- Neighbourhood page --------------------------------------------------------------------------------------


def test_neighbourhood_page_shows_codes_communes_themes_and_objectives(client, ales_annex):
    page = html(client.get(reverse("frameworks:neighbourhood", args=["QN03002M"])))
    text = text_of(page)

    assert_accessible_layout(page)
    assert re.search(r"<h1[^>]*>\s*Anduze\s*</h1>", page)
    assert "Nom officiel Centre Ville" in text
    assert "Code officiel (QPV 2024) QN03002M" in text
    assert "Anduze (code INSEE 30010)" in text
    assert 'href="/contrats/ales/">Contrat de ville de l&#x27;arrondissement d&#x27;Alès</a>' in page
    themes = re.findall(r'<h2 id="theme-\d+-titre">([^<]+)</h2>', page)
    assert len(themes) == 7 and "Lien social" in themes and "Santé / Prévention de la délinquance" in themes
    assert page.count('class="q-objective') == 15
    assert re.search(r"<h3[^>]*>Rendre acteurs les habitants et lutter contre l&#x27;isolement</h3>", page)
    assert "<li>actions d&#x27;« aller vers » les personnes isolées, de manière coordonnée" in page  # action types
    assert "Aller-vers</p>" in page  # a constraint badge …
    assert "actions d&#x27;« aller vers » les personnes isolées</span>" in page  # … and its sentence
    assert "Horaires décalés (soirées, week-ends, vacances)</p>" in page
    assert "Annexe, ligne 103" in text and "Annexe, lignes 90 à 91" in text
    key = key_of(ISOLATION, "QN03002M")
    assert f'id="objectif-{key}"' in page
    assert f'href="/quartiers/QN03002M/objectifs/{key}/"' in page
    assert '<a class="fr-breadcrumb__link" aria-current="page">Anduze</a>' in page


def test_theme_constraints_show_as_badges_with_their_sentence(client, ales_annex):
    page = html(client.get("/quartiers/QN03001I/"))

    assert "Hors temps scolaire</p>" in page
    assert "Les actions proposées doivent être menées hors-temps scolaire.</span>" in page
    assert "Près Saint Jean - Cévennes - Tamaris - Cauvel-la Royale - Rochebelle - Centre ville" in page
    assert "Alès (code INSEE 30007)" in text_of(page)


def test_a_neighbourhood_over_three_communes_lists_them_with_their_insee_codes(client, ales_annex):
    text = text_of(html(client.get("/quartiers/QN03016M/")))

    assert ("Communes Branoux-les-Taillades (code INSEE 30051), La Grand-Combe (code INSEE 30132), "
            "Les Salles-du-Gardon (code INSEE 30307)") in text


def test_neighbourhood_code_is_case_insensitive(client, ales_annex):
    assert "Centre Ville" in html(client.get("/quartiers/qn03002m/"))


def test_neighbourhood_without_published_framework_is_still_described(client, public_contract):
    text = text_of(html(client.get("/quartiers/QN03002M/")))

    assert "Ce contrat n’a pas encore publié de référentiel pour ce quartier." in text and "QN03002M" in text


def test_neighbourhood_page_runs_a_bounded_number_of_queries(client, public_demo_archived,
                                                             django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        html(client.get("/quartiers/QN03002M/"))
    with django_assert_max_num_queries(10):
        html(client.get("/quartiers/QN03016M/versions/1/"))


# --- Objective permalinks -------------------------------------------------------------------------------------


def test_objective_page_gives_its_theme_neighbourhood_version_and_a_link_to_copy(client, ales_annex):
    key = key_of(ISOLATION, "QN03002M")
    page = html(client.get(f"/quartiers/QN03002M/objectifs/{key}/"))
    text = text_of(page)

    assert_accessible_layout(page)
    assert re.search(r"<h1[^>]*>Rendre acteurs les habitants et lutter contre l&#x27;isolement</h1>", page)
    assert "Thème Lien social" in text
    assert "Quartier Anduze — Centre Ville (QN03002M)" in text
    assert "Version 1 (en vigueur)" in text
    assert "annexe-1-projets-de-quartiers-ales.txt, ligne 103" in text
    assert "Aller-vers</p>" in page
    assert "Copier le lien" in text
    assert f'value="http://testserver/quartiers/QN03002M/objectifs/{key}/"' in page
    assert f'href="/quartiers/QN03002M/#objectif-{key}"' in page


def test_the_same_text_in_two_neighbourhoods_has_one_permalink_in_each(client, ales_annex):
    sport = Objective.objects.filter(label__startswith=SPORT, theme__canonical_theme="youth")
    keys = set(sport.values_list("key", flat=True))

    assert len(keys) == 1 and sport.count() == 2
    key = keys.pop()
    assert "La Grand-Combe" in html(client.get(f"/quartiers/QN03016M/objectifs/{key}/"))
    assert "Anduze" in html(client.get(f"/quartiers/QN03002M/objectifs/{key}/"))
    assert client.get(f"/quartiers/QN03001I/objectifs/{key}/").status_code == 404


def test_a_permalink_outlives_its_objective_and_says_it_is_archived(client, public_demo_archived):
    key = Objective.objects.filter(label=CITIZENSHIP, theme__section__neighbourhood__code="QN03002M")[0].key
    page = html(client.get(f"/quartiers/QN03002M/objectifs/{key}/"))

    assert "version 1, archivée" in text_of(page)
    assert CITIZENSHIP not in text_of(html(client.get("/quartiers/QN03002M/")))
    assert "Favoriser la mobilité des habitants du QPV" in text_of(html(client.get("/quartiers/QN03002M/")))


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
def test_unknown_codes_keys_and_versions_give_the_french_404_page(client, ales_annex, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_an_objective_key_from_another_neighbourhood_is_unknown(client, ales_annex):
    key = key_of(ISOLATION, "QN03002M")

    assert client.get(f"/quartiers/QN03001I/objectifs/{key}/").status_code == 404


# --- Contract and versions ------------------------------------------------------------------------------------


def test_contract_page_lists_neighbourhoods_and_versions(client, public_demo_archived):
    page = html(client.get("/contrats/ales/"))
    text = text_of(page)

    assert_accessible_layout(page)
    assert "Contrat de ville de l'arrondissement d'Alès" in text and "Code du contrat (ANCT) CN03001I" in text
    assert page.count('class="fr-card ') == 4
    assert "QN03002M · 7 thèmes · 15 objectifs" in text
    assert re.search(r'href="/contrats/ales/versions/2/">Version 2</a>\s*<p class="fr-badge[^"]*">En vigueur', page)
    assert re.search(r'href="/contrats/ales/versions/1/">Version 1</a>\s*<p class="fr-badge[^"]*">Archivée', page)


def test_an_archived_version_stays_readable_with_a_notice(client, public_demo_archived):
    page = html(client.get("/contrats/ales/versions/1/"))

    assert_accessible_layout(page)
    assert "Cette version est archivée" in page
    assert 'href="/contrats/ales/versions/2/"' in page
    assert page.count('class="q-objective') == DEMO_OBJECTIVES
    assert CITIZENSHIP in text_of(page)
    neighbourhood = html(client.get("/quartiers/QN03002M/versions/1/"))
    assert "Version archivée" in neighbourhood and CITIZENSHIP in text_of(neighbourhood)
    assert "Cette version est archivée" not in html(client.get("/contrats/ales/versions/2/"))


def test_drafts_are_never_public(client, ales_annex):
    version = ales_annex.framework_versions.get()
    public_store(ales_annex, {"neighbourhoods": []} | _as_dict(version), name="brouillon.txt", publish=False)

    assert client.get("/contrats/ales/versions/2/").status_code == 404
    assert client.get("/contrats/ales/versions/2/referentiel.json").status_code == 404
    assert client.get("/quartiers/QN03002M/versions/2/").status_code == 404
    assert "Version 2" not in html(client.get("/contrats/ales/"))


def _as_dict(version) -> dict:
    from quartiers.engine.framework import framework_to_dict

    return framework_to_dict(version_to_framework(version))


# --- Search page ----------------------------------------------------------------------------------------------


def test_search_page_groups_highlights_and_counts(client, ales_annex):
    page = html(client.get("/recherche/", {"q": "jeune"}))
    text = text_of(page)

    assert_accessible_layout(page)
    assert "25 objectifs trouvés dans 4 quartiers" in text
    assert re.findall(r'<h2 class="fr-h3" id="groupe-\d+">\s*<a href="/quartiers/(\w+)/">', page) == [
        "QN03001I", "QN03016M", "QN03002M", "QN03014M"]
    assert "<mark>jeunes</mark>" in page and "<mark>jeune</mark>" in page
    assert "7 objectifs</span>" in page  # Anduze's group


def test_search_page_filters(client, ales_annex):
    page = html(client.get("/recherche/", {"q": "jeunes", "quartier": "QN03002M", "theme": "health"}))
    text = text_of(page)

    assert "2 objectifs trouvés" in text and "quartier QN03002M, thème « Santé et prévention »" in text
    assert '<option value="QN03002M" selected>Anduze (QN03002M)</option>' in page
    assert '<option value="health" selected>Santé et prévention</option>' in page


def test_search_page_without_result_suggests_other_searches(client, ales_annex):
    page = html(client.get("/recherche/", {"q": "piscine olympique"}))

    assert "Aucun résultat" in page
    assert 'href="/recherche/?q=piscine"' in page and 'href="/recherche/?q=jeunes"' in page


def test_search_page_escapes_what_is_typed(client, ales_annex):
    page = html(client.get("/recherche/", {"q": "<script>alert('x')</script> %_\""}))

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_search_page_cuts_a_very_long_query(client, ales_annex):
    text = text_of(html(client.get("/recherche/", {"q": "isolement " * 1000})))

    assert "1 objectif trouvé" in text


def test_search_page_refuses_an_unknown_neighbourhood_politely(client, ales_annex):
    page = html(client.get("/recherche/", {"q": "jeunes", "quartier": "QN99999Z"}))

    assert "fr-select-group--error" in page and "Aucun résultat" not in page


def test_search_page_with_an_empty_query_asks_for_words(client, ales_annex):
    assert "Saisissez un ou plusieurs mots" in html(client.get("/recherche/", {"q": ""}))
    assert "trop courants" in html(client.get("/recherche/", {"q": "de la"}))
    assert "Aucun résultat" not in html(client.get("/recherche/"))


def test_search_page_runs_a_bounded_number_of_queries(client, ales_annex, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        html(client.get("/recherche/", {"q": "jeunes santé", "theme": "youth"}))


# --- Downloads ------------------------------------------------------------------------------------------------


def test_json_download_has_the_framework_shape_with_contract_version_and_codes(client, ales_annex):
    response = client.get("/contrats/ales/referentiel.json")
    data = json.loads(response.content)

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="quartiers-ales-referentiel-v1.json"'
    assert {"title", "source", "neighbourhoods", "contract", "version"} <= set(data)
    assert data["contract"]["slug"] == "ales" and data["contract"]["code"] == "CN03001I"
    assert data["version"]["number"] == 1 and data["version"]["status"] == "published"
    assert [n["qpv_code"] for n in data["neighbourhoods"]] == ["QN03001I", "QN03016M", "QN03002M", "QN03014M"]
    anduze = data["neighbourhoods"][2]
    assert anduze["code"] == "QN03002M" and anduze["official_name"] == "Centre Ville"
    assert anduze["communes"] == [{"name": "Anduze", "insee_code": "30010"}]
    objectives = [o for n in data["neighbourhoods"] for t in n["themes"] for o in t["objectives"]]
    assert len(objectives) == DEMO_OBJECTIVES
    assert {"text", "label", "action_types", "constraints", "source_lines", "key"} <= set(objectives[0])
    assert "warnings" not in data


def test_csv_download_has_one_row_per_objective(client, ales_annex):
    response = client.get("/contrats/ales/referentiel.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))

    assert not response.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="quartiers-ales-referentiel-v1.csv"'
    assert tuple(rows[0]) == COLUMNS and len(rows) == DEMO_OBJECTIVES
    assert [sum(r["code_qpv"] == code for r in rows) for code in ("QN03001I", "QN03016M", "QN03002M", "QN03014M")
            ] == [18, 16, 15, 13]
    row = next(r for r in rows if r["objectif_intitule"] == ISOLATION)
    assert row["code_qpv"] == "QN03002M" and row["quartier"] == "Centre Ville" and row["communes"] == "Anduze"
    assert row["theme"] == "Lien social" and row["theme_reference"] == "Lien social et accès aux droits"
    assert row["types_action"].startswith("actions d'« aller vers » les personnes isolées, de manière coordonnée")
    assert " | initiatives visant à mettre en œuvre" in row["types_action"]
    assert row["contraintes"] == "Aller-vers : actions d'« aller vers » les personnes isolées"
    assert row["lignes_source"] == "103" and row["version"] == "1" and len(row["objectif_cle"]) == 12
    parents = next(r for r in rows if r["objectif_intitule"].startswith("Accompagner les parents dans le suivi"))
    assert parents["contraintes"].startswith(
        "Hors temps scolaire : Les actions proposées doivent être menées hors-temps scolaire. | ")


def test_spreadsheet_csv_uses_semicolons_and_a_byte_order_mark(client, ales_annex):
    response = client.get("/contrats/ales/referentiel-tableur.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    assert response.content.startswith(b"\xef\xbb\xbfcode_qpv;quartier;")
    assert response["Content-Disposition"] == 'attachment; filename="quartiers-ales-referentiel-v1-tableur.csv"'
    assert tuple(rows[0]) == COLUMNS and len(rows) == DEMO_OBJECTIVES
    assert "Branoux-les-Taillades, La Grand-Combe, Les Salles-du-Gardon" in {r["communes"] for r in rows}


def test_archived_versions_can_be_downloaded_at_their_own_url(client, public_demo_archived):
    data = json.loads(client.get("/contrats/ales/versions/1/referentiel.json").content)
    current = json.loads(client.get("/contrats/ales/referentiel.json").content)
    archived_csv = client.get("/contrats/ales/versions/1/referentiel-tableur.csv")

    assert data["version"]["number"] == 1 and data["version"]["status"] == "archived"
    assert current["version"]["number"] == 2
    assert archived_csv["Content-Disposition"] == 'attachment; filename="quartiers-ales-referentiel-v1-tableur.csv"'


def test_downloads_run_a_bounded_number_of_queries(client, ales_annex, django_assert_max_num_queries):
    for url in ("/contrats/ales/referentiel.json", "/contrats/ales/referentiel-tableur.csv"):
        with django_assert_max_num_queries(8):
            client.get(url)
