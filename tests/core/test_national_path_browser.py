"""Issue #10's path on a fresh database, as a new platform would take it, then checked in a real browser:
`quartiers demo`, `quartiers load-reference`, `quartiers contract-create CN03002I`, an annex for one of Nîmes's QPV
imported with `quartiers import-annex FILE --contract SLUG --publish`. Then the API and the public pages answer for
Alès's QPV and for Nîmes's QPV each from its own contract's framework, and the national home lists both contracts."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

NIMES_ANNEX = """ANNEXE 1

PROJETS DE QUARTIERS – QPV DE NÎMES MÉTROPOLE

Projet de quartier / Commune de Nîmes Quartier prioritaire « Pissevin - Valdegour »

Cadre de vie et renouvellement urbain

- Accompagner les habitants pendant les travaux du renouvellement urbain : information, relogement, mémoire du quartier.
- Améliorer la propreté et la gestion des déchets avec les bailleurs et les habitants.

Culture et pratiques artistiques

- Développer les pratiques musicales des enfants et des jeunes dans les équipements du quartier.
"""


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_demo_reference_new_contract_annex_then_api_and_pages(page: Page, live_server, transactional_db, tmp_path):
    _run("demo", "--no-migrate", "--no-warmup", "--no-review-demo")
    _run("load_reference", "--no-migrate", "--quiet")
    slug = _run("contract_create", "CN03002I").strip().splitlines()[-1].strip()
    assert slug == "ca-de-nimes-metropole"
    annex = tmp_path / "annexe-nimes.txt"
    annex.write_text(NIMES_ANNEX, encoding="utf-8")
    _run("import_annex", str(annex), "--contract", slug, "--publish")

    # The API answers each QPV from its own contract's framework.
    api = page.request
    ales = api.post(live_server.url + "/api/v1/match", data={
        "neighbourhood": "QN03001I", "title": "Aide aux devoirs",
        "description": "Accompagnement à la scolarité des collégiens après la classe, soutien scolaire."}).json()
    nimes = api.post(live_server.url + "/api/v1/match", data={
        "neighbourhood": "QN03003M", "title": "Atelier de musique",
        "description": "Pratiques musicales des enfants du quartier dans la maison de quartier."}).json()
    assert ales["code"] == "QN03001I" and ales["matches"], ales
    assert nimes["code"] == "QN03003M" and nimes["matches"], nimes
    assert "musicales" in nimes["matches"][0]["label"] + nimes["matches"][0]["objective"]
    assert all("musicales" not in m["label"] for m in ales["matches"])
    listed = api.get(live_server.url + "/api/v1/contracts").json()
    slugs = {c["slug"] for c in (listed["contracts"] if isinstance(listed, dict) else listed)}
    assert {"ales", slug} <= slugs
    nimes_framework = api.get(live_server.url + f"/api/v1/contracts/{slug}/framework").json()
    assert [n["code"] for n in nimes_framework["neighbourhoods"]] == ["QN03003M"]

    # The national home lists both contracts and finds Nîmes's QPV by a folded name.
    page.goto(live_server.url + "/")
    table = page.get_by_role("table", name=re.compile("Contrats de ville et état"))
    expect(table.get_by_role("link", name=re.compile("Alès"))).to_be_visible()
    expect(table.get_by_role("link", name="CA de Nîmes Métropole")).to_be_visible()
    page.get_by_label(re.compile("^Nom ou code")).fill("pissevin valdegour")
    page.get_by_role("button", name="Trouver").click()
    page.get_by_role("link", name=re.compile("Pissevin")).first.click()

    # Nîmes's QPV page reads Nîmes's framework; Alès's reads Alès's.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pissevin")
    expect(page.get_by_role("heading", level=3, name=re.compile("pratiques musicales"))).to_be_visible()
    expect(page.locator("#content").get_by_role("link", name="CA de Nîmes Métropole")).to_be_visible()
    page.goto(live_server.url + "/quartiers/QN03001I/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alès")
    expect(page.get_by_text("pratiques musicales")).to_have_count(0)
    expect(page.get_by_role("heading", level=2, name="Réussite scolaire et éducative")).to_be_visible()

    # A QPV of a contract this instance does not run still has its page.
    page.goto(live_server.url + "/quartiers/QN03010M/")
    expect(page.get_by_text("pas encore ouvert sur cette plateforme")).to_be_visible()
