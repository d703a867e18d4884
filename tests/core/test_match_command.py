"""`quartiers match`: the JSONL contract, with a framework file and with the published framework of the database."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from eval.seed import load_seed
from quartiers.engine.framework import framework_to_dict


@pytest.fixture(scope="module")
def framework_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("fw") / "framework.json"
    path.write_text(json.dumps(framework_to_dict(load_seed()[0]), ensure_ascii=False), encoding="utf-8")
    return path


def _run(tmp_path, lines, *args):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("match", "--input", str(src), "--json", "--cache-dir", str(tmp_path / "cache"), *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_match_with_a_framework_file(tmp_path, framework_file):
    good = {"id": "A", "neighbourhood": "Saint Ambroix", "title": "Épicerie solidaire",
            "description": "Épicerie solidaire et ateliers cuisine pour les familles modestes.", "audience": "familles"}
    health = {"id": "B", "neighbourhood": "Alès", "title": "Dépistage",
              "description": "Dépistage du diabète et vaccination avec le centre de santé.", "audience": "adultes"}
    out = _run(tmp_path, [
        json.dumps(good, ensure_ascii=False),
        json.dumps(health, ensure_ascii=False),
        "{pas du json",
        json.dumps({"id": "D", "neighbourhood": "Nîmes", "title": "Sport", "description": "Football"}),
        json.dumps({"id": "E", "neighbourhood": "Anduze", "title": "", "description": "  "}),
        "",
    ], "--framework", str(framework_file))
    assert [o["id"] for o in out] == ["A", "B", None, "D", "E"]
    a, b, bad_json, unknown, empty = out
    assert a["no_match"] is False
    assert a["matches"][0]["objective"].startswith("Promouvoir une alimentation de qualité")
    assert a["matches"][0]["theme"] == "Santé"
    assert 0 <= a["matches"][-1]["score"] <= a["matches"][0]["score"] <= 1
    assert a["matches"][0]["evidence"] and {"kind", "fragment", "proposal_terms"} <= set(a["matches"][0]["evidence"][0])
    assert b["no_match"] is True and len(b["matches"]) >= 3 and "reason" in b
    assert "JSON invalide" in bad_json["error"]
    assert "Quartier inconnu" in unknown["error"]
    assert "Proposition vide" in empty["error"]


def test_unreadable_input_is_an_error(tmp_path, framework_file):
    with pytest.raises(CommandError, match="Lecture impossible"):
        call_command("match", "--input", str(tmp_path / "absent.jsonl"), "--json", "--framework", str(framework_file))


def test_match_with_the_published_framework(tmp_path, ales_annex):
    line = {"id": "X", "neighbourhood": "QN03002M", "title": "Permanence psychologue",
            "description": "Une psychologue reçoit les jeunes en souffrance et leurs familles.", "audience": "jeunes"}
    out = _run(tmp_path, [json.dumps(line, ensure_ascii=False)])
    assert out[0]["no_match"] is False
    assert "santé mentale" in out[0]["matches"][0]["objective"]


def test_no_published_framework_is_a_clear_error(tmp_path, db):
    src = tmp_path / "in.jsonl"
    src.write_text("{}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Aucun référentiel publié"):
        call_command("match", "--input", str(src), "--json")
