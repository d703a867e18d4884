"""`quartiers check-application`: every example of docs/schemas/examples gives its expected codes."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "schemas" / "examples"
EXAMPLE_FILES = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".expected.json"))
QUARTIERS = Path(sys.executable).with_name("quartiers")


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_application", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_there_are_at_least_six_examples_each_with_expected_codes():
    assert len(EXAMPLE_FILES) >= 6
    for path in EXAMPLE_FILES:
        assert path.with_name(path.stem + ".expected.json").exists(), path.name


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_gives_its_expected_codes(path):
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    code, out, err = run(str(path), "--json")
    assert code == 0, err
    findings = json.loads(out)
    assert [f["code"] for f in findings] == expected
    for f in findings:
        assert set(f) == {"code", "severity", "message", "field"}
        assert f["severity"] in {"blocking", "warning", "info"}
        assert f["message"] and f["field"]


def test_admissible_example_has_no_finding_and_text_output_says_so():
    code, out, _ = run(str(EXAMPLES / "anduze-jeunesse-recevable.json"))
    assert code == 0
    assert "aucun constat" in out


def test_text_output_lists_findings_in_french():
    code, out, _ = run(str(EXAMPLES / "ales-lecture-temps-scolaire.json"))
    assert code == 0
    assert "[bloquant] CONSTRAINT_VIOLATED (schedule[0])" in out
    assert "mardi 10h00–12h00" in out


def test_json_output_keeps_accents():
    _, out, _ = run(str(EXAMPLES / "saint-ambroix-budget-desequilibre.json"), "--json")
    assert "équilibré" in out
    assert "12\u202f500,00\u00a0€" in out


def test_exit_code_is_zero_with_blocking_findings_and_one_with_fail_on_blocking():
    path = str(EXAMPLES / "saint-ambroix-budget-desequilibre.json")
    assert run(path, "--json")[0] == 0
    assert run(path, "--json", "--fail-on-blocking")[0] == 1
    assert run(str(EXAMPLES / "anduze-jeunesse-recevable.json"), "--fail-on-blocking")[0] == 0


def test_malformed_json_is_a_french_error_on_stderr(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"call": ', encoding="utf-8")
    code, out, err = run(str(bad), "--json")
    assert code == 2
    assert out == ""
    assert "JSON invalide" in err


def test_format_error_names_the_field(tmp_path):
    data = json.loads((EXAMPLES / "anduze-jeunesse-recevable.json").read_text(encoding="utf-8"))
    data["application"]["start_date"] = "08/01/2027"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(str(bad), "--json")
    assert code == 2
    assert "application.start_date" in err
    assert "AAAA-MM-JJ" in err


def test_missing_file_is_a_french_error(tmp_path):
    code, _, err = run(str(tmp_path / "absent.json"))
    assert code == 2
    assert "introuvable" in err


def test_framework_option_wins_over_the_embedded_one(tmp_path):
    data = json.loads((EXAMPLES / "ales-lecture-temps-scolaire.json").read_text(encoding="utf-8"))
    framework = data.pop("framework")
    # Without its constraint, the Alès education theme accepts school-time slots.
    framework["neighbourhoods"][0]["themes"][0]["constraints"] = []
    app, fw = tmp_path / "app.json", tmp_path / "fw.json"
    app.write_text(json.dumps(data), encoding="utf-8")
    fw.write_text(json.dumps(framework), encoding="utf-8")
    code, out, err = run(str(app), "--json", "--framework", str(fw))
    assert code == 0, err
    assert json.loads(out) == []


def test_bad_framework_file_is_an_error(tmp_path):
    fw = tmp_path / "fw.json"
    fw.write_text('{"neighbourhoods": [{"themes": []}]}', encoding="utf-8")
    code, _, err = run(str(EXAMPLES / "anduze-jeunesse-recevable.json"), "--framework", str(fw))
    assert code == 2
    assert "neighbourhoods[0].name" in err


@pytest.mark.django_db
def test_without_framework_uses_the_published_one(tmp_path):
    from quartiers.engine.rules.io import load_framework
    from quartiers.frameworks.services import framework_store, version_publish
    from quartiers.territories.models import Contract
    from quartiers.territories.services import neighbourhoods_load

    data = json.loads((EXAMPLES / "ales-lecture-temps-scolaire.json").read_text(encoding="utf-8"))
    framework = load_framework(data.pop("framework"))
    contract = Contract.objects.create(slug="ales", name="Contrat de ville de l'arrondissement d'Alès")
    qpvs = {"QN03001I": "Alès", "QN03016M": "La Grand-Combe", "QN03002M": "Anduze", "QN03014M": "Saint-Ambroix"}
    neighbourhoods_load(codes=qpvs, contract=contract, short_names=qpvs)
    version = framework_store(contract=contract, framework=framework, source_name="annexe.txt", source_bytes=b"x")
    version_publish(version=version)
    app = tmp_path / "app.json"
    app.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(str(app), "--json")
    assert code == 0, err
    assert [f["code"] for f in json.loads(out)] == ["CONSTRAINT_VIOLATED"]


@pytest.mark.django_db
def test_without_any_framework_the_command_says_how_to_give_one(tmp_path):
    data = json.loads((EXAMPLES / "anduze-jeunesse-recevable.json").read_text(encoding="utf-8"))
    del data["framework"]
    app = tmp_path / "app.json"
    app.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(str(app), "--json")
    assert code == 2
    assert "--framework" in err


def test_console_script_maps_check_application():
    assert QUARTIERS.exists(), "make install installs the quartiers console script"
    proc = subprocess.run(
        [str(QUARTIERS), "check-application", str(EXAMPLES / "ales-lecture-temps-scolaire.json"), "--json"],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert [f["code"] for f in json.loads(proc.stdout)] == ["CONSTRAINT_VIOLATED"]


def test_now_option_stands_for_the_submission_time_when_there_is_none(tmp_path):
    data = json.loads((EXAMPLES / "anduze-jeunesse-recevable.json").read_text(encoding="utf-8"))
    del data["application"]["submitted_at"]
    app = tmp_path / "app.json"
    app.write_text(json.dumps(data), encoding="utf-8")
    assert json.loads(run(str(app), "--json", "--now", "2026-12-15T23:59:59+01:00")[1]) == []
    code, out, _ = run(str(app), "--json", "--now", "2026-12-16T00:00:00")  # naive: Paris time
    assert code == 0
    assert [f["code"] for f in json.loads(out)] == ["DEADLINE_PASSED"]
    assert json.loads(run(str(app), "--json", "--now", "2026-12-15T23:59:59")[1]) == []
    code, _, err = run(str(app), "--json", "--now", "demain")
    assert code == 2 and "--now" in err


def test_reads_the_application_from_standard_input(monkeypatch):
    text = (EXAMPLES / "saint-ambroix-budget-desequilibre.json").read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code, out, _ = run("-", "--json")
    assert code == 0
    assert [f["code"] for f in json.loads(out)] == ["BUDGET_UNBALANCED"]
