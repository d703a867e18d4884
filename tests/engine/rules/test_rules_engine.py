"""The table of rules, the call's settings, determinism, the formatting of values and the documentation."""

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from quartiers.engine.rules import RULES, RuleSetting, check_application, format_euros, format_percent, is_admissible
from quartiers.engine.rules.checks import RULES_BY_CODE

DOCS = Path(__file__).resolve().parents[3] / "docs" / "rules.md"


def test_rule_codes_are_unique_and_upper_snake_case():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes)) == len(RULES_BY_CODE)
    assert all(c.replace("_", "").isalpha() and c.isupper() for c in codes)


def test_the_rules_asked_for_exist():
    asked = {"SIRET_INVALID", "RNA_INVALID", "CER_MISSING", "DEADLINE_PASSED", "CALL_NOT_OPEN",
             "NEIGHBOURHOOD_NOT_IN_CALL", "NO_OBJECTIVE", "OBJECTIVE_NOT_IN_NEIGHBOURHOOD", "OBJECTIVE_WEAK_MATCH",
             "CONSTRAINT_VIOLATED", "QPV_SHARE_TOO_LOW", "BUDGET_UNBALANCED", "VOLUNTARY_CONTRIBUTIONS_UNBALANCED",
             "NEGATIVE_AMOUNT", "PUBLIC_FUNDING_SHARE_EXCEEDED", "FUNDER_NOT_IN_CALL", "REQUESTED_AMOUNTS_MISMATCH",
             "SINGLE_FUNDER", "ACTION_OUTSIDE_CALL_YEAR", "DOCUMENT_MISSING", "PREVIOUS_REPORT_MISSING"}
    assert asked <= set(RULES_BY_CODE)


def test_every_rule_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for rule in RULES:
        assert f"`{rule.code}`" in text, rule.code


def test_a_rule_can_be_switched_off(ales, h):
    off = h.with_settings(ales, rules={"CONSTRAINT_VIOLATED": RuleSetting(enabled=False)})
    assert h.run(off) == []


def test_a_rule_severity_can_be_raised(h):
    late = h.load("anduze-part-qpv-et-financement")
    strict = h.with_settings(late, rules={"SINGLE_FUNDER": RuleSetting(severity="blocking")})
    assert [f.severity for f in h.run(strict) if f.code == "SINGLE_FUNDER"] == ["blocking"]


def test_findings_are_deterministic(h):
    file = h.load("anduze-dossier-incomplet")
    first = h.run(file)
    assert all(h.run(file) == first for _ in range(3))
    order = [r.code for r in RULES]
    positions = [order.index(f.code) for f in first]
    assert positions == sorted(positions)


def test_admissible_means_no_blocking_finding(anduze, h):
    assert is_admissible(h.run(anduze))
    assert not is_admissible(h.run(h.load("ales-depot-hors-delai")))


def test_now_must_be_aware(anduze):
    with pytest.raises(ValueError):
        check_application(anduze.application, call=anduze.call, framework=anduze.framework,
                          organisation=anduze.organisation, now=datetime(2026, 12, 1, 12, 0))


def test_document_missing_names_each_document(anduze, h):
    findings = h.run(anduze, documents=("statutes",))
    assert [(f.code, f.field) for f in findings] == [("DOCUMENT_MISSING", "documents.board_list"),
                                                     ("DOCUMENT_MISSING", "documents.bank_details")]
    assert "relevé d'identité bancaire" in findings[1].message


def test_renewal_needs_the_last_report(anduze, h):
    assert h.codes(h.run(anduze, renewal=True)) == ["PREVIOUS_REPORT_MISSING"]
    assert h.run(anduze, renewal=True, previous_report_provided=True) == []
    docs = (*anduze.application.documents, "financial_report")
    assert h.run(anduze, renewal=True, documents=docs) == []


def test_required_fields_are_named(anduze, h):
    findings = h.run(anduze, title=" ", need="", objectives="", description="", means="", places=())
    assert [f.field for f in findings] == ["title", "need", "objectives", "description", "means", "places"]
    assert all(f.code == "REQUIRED_FIELD_MISSING" for f in findings)


def test_missing_legal_name_is_named(anduze, h):
    findings = h.run(h.with_org(anduze, legal_name=""))
    assert [(f.code, f.field) for f in findings] == [("REQUIRED_FIELD_MISSING", "organisation.legal_name")]


def test_indicator_without_target_is_a_warning(anduze, h):
    from quartiers.engine.rules import Indicator

    findings = h.run(anduze, indicators=(Indicator("Jeunes accueillis", ""),))
    assert [(f.code, f.severity) for f in findings] == [("INDICATOR_MISSING", "warning")]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12500"), "12\u202f500,00\u00a0€"),
        (Decimal("0.5"), "0,50\u00a0€"),
        (Decimal("999.995"), "1\u202f000,00\u00a0€"),
        (Decimal("-1234567.8"), "-1\u202f234\u202f567,80\u00a0€"),
        (Decimal("100"), "100,00\u00a0€"),
    ],
)
def test_euros_are_written_the_french_way(value, text):
    assert format_euros(value) == text


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(Decimal("0.5"), "50\u00a0%"), (Decimal("0.8001"), "80,01\u00a0%"), (Decimal("0.4999"), "49,99\u00a0%"),
     (Decimal(1), "100\u00a0%")],
)
def test_percentages_are_written_the_french_way(ratio, text):
    assert format_percent(ratio) == text


ANNEX = Path(__file__).resolve().parents[3] / "data" / "demo" / "annexe-1-projets-de-quartiers-ales.txt"
EXAMPLE_FILES = sorted(p for p in (DOCS.parent / "schemas" / "examples").glob("*.json")
                       if not p.name.endswith(".expected.json"))


@pytest.fixture(scope="module")
def imported_framework():
    from quartiers.engine import importer

    reference = importer.load_qpv_reference(ANNEX.parents[1] / "reference" / "qpv_2024_france.csv")
    return importer.import_annex_path(ANNEX, reference=reference).framework


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_examples_give_the_same_codes_with_the_whole_imported_annex(h, imported_framework, path):
    """The examples embed an extract of the annex; the full annex, as imported, must give the same findings."""
    import json
    from dataclasses import replace

    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    file = replace(h.load(path.stem), framework=imported_framework)
    assert h.codes(h.run(file)) == expected


def test_input_dataclasses_are_frozen_and_hashable(anduze):
    import dataclasses

    assert hash(anduze.call) == hash(dataclasses.replace(anduze.call))
    assert hash(anduze.application) and hash(anduze.organisation)
    with pytest.raises(dataclasses.FrozenInstanceError):
        anduze.application.title = "autre"  # type: ignore[misc]
