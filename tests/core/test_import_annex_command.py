"""`quartiers import-annex`: JSON on stdout (codes resolved), storage in a contract, French errors on stderr."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "demo" / "annexe-1-projets-de-quartiers-ales.txt"
QUARTIERS = Path(sys.executable).with_name("quartiers")


def counts(data: dict) -> tuple[int, int, int]:
    themes = [t for n in data["neighbourhoods"] for t in n["themes"]]
    return len(data["neighbourhoods"]), len(themes), sum(len(t["objectives"]) for t in themes)


def test_json_output_with_codes_and_warnings():
    out = io.StringIO()
    call_command("import_annex", str(SEED), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert counts(data) == (4, 22, 62)
    assert [n["code"] for n in data["neighbourhoods"]] == ["QN03001I", "QN03016M", "QN03002M", "QN03014M"]
    assert data["neighbourhoods"][1]["commune"] == "La Grand-Combe, Les Salles-du-Gardon, Branoux-les-Taillades"
    assert {"line": 135, "kind": "damaged_fragment"}.items() <= data["warnings"][1].items()
    objective = data["neighbourhoods"][2]["themes"][0]["objectives"][1]
    assert objective["source_lines"] == [90, 91]
    assert "é" in out.getvalue()  # ensure_ascii=False


def test_bad_file_is_a_french_command_error(tmp_path):
    empty = tmp_path / "vide.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="Le fichier est vide"):
        call_command("import_annex", str(empty), "--json", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Formats acceptés"):
        call_command("import_annex", str(tmp_path / "annexe.xls"), "--json", stdout=io.StringIO())
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_annex", str(tmp_path / "absente.txt"), "--json", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--json"):
        call_command("import_annex", str(SEED), stdout=io.StringIO())


@pytest.mark.django_db
def test_store_and_publish_in_a_contract():
    from quartiers.frameworks.models import FrameworkVersion
    from quartiers.territories.models import Contract

    contract = Contract.objects.create(slug="essai", name="Contrat d'essai")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_annex", str(SEED), "--contract", "essai", "--publish", stdout=out, stderr=err)
    assert out.getvalue().strip() == "1"
    assert "62 objectif(s)" in err.getvalue()
    version = FrameworkVersion.objects.get(contract=contract)
    assert (version.number, version.status, version.source_name) == (1, "published", SEED.name)
    assert version.source_text.split("\n")[134] == ":: actions de promotion de"
    call_command("import_annex", str(SEED), "--contract", "essai", stdout=out, stderr=io.StringIO())
    assert out.getvalue().split() == ["1", "2"]
    assert FrameworkVersion.objects.get(contract=contract, number=2).status == "draft"


@pytest.mark.django_db
def test_unknown_contract():
    with pytest.raises(CommandError, match="Contrat inconnu : « nulle-part »"):
        call_command("import_annex", str(SEED), "--contract", "nulle-part", stdout=io.StringIO())


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUARTIERS_VAR_DIR": str(tmp_path / "var")}
    return subprocess.run([str(QUARTIERS), "import-annex", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)


def test_console_script(tmp_path):
    done = _run("data/demo/annexe-1-projets-de-quartiers-ales.txt", "--json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert counts(data) == (4, 22, 62)
    assert any(w["kind"] == "damaged_fragment" and w["line"] == 135 for w in data["warnings"])

    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7 pas vraiment un pdf")
    done = _run(str(junk), "--json", tmp_path=tmp_path)
    assert done.returncode != 0
    assert done.stdout == ""
    assert "PDF est illisible ou endommagé" in done.stderr
    assert "Traceback" not in done.stderr
