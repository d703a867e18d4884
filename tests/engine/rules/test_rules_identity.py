"""SIRET, RNA, legal form, CER and signature delegation."""

import pytest


def test_the_admissible_example_has_no_finding(anduze, h):
    assert h.run(anduze) == []


@pytest.mark.parametrize("siret", ["81234567600017", "812 345 676 00017", "812\u00a0345\u00a0676\u00a000017"])
def test_valid_siret_passes(anduze, h, siret):
    assert "SIRET_INVALID" not in h.codes(h.run(h.with_org(anduze, siret=siret)))


@pytest.mark.parametrize(
    ("siret", "words"),
    [
        ("81234567600018", "Luhn"),
        ("8123456760001", "14 chiffres ; il en compte 13"),
        ("8123456760001A", "que des chiffres"),
        ("", "n'est pas renseigné"),
    ],
)
def test_invalid_siret_is_blocking_with_a_precise_message(anduze, h, siret, words):
    findings = [f for f in h.run(h.with_org(anduze, siret=siret)) if f.code == "SIRET_INVALID"]
    assert len(findings) == 1
    assert findings[0].severity == "blocking"
    assert findings[0].field == "organisation.siret"
    assert words in findings[0].message


def test_la_poste_siret_needs_a_digit_sum_multiple_of_five(anduze, h):
    # 3+5+6+4+9+8+3+7 = 45: a multiple of 5, although the Luhn key fails.
    good, bad = "35600000049837", "35600000049838"
    assert "SIRET_INVALID" not in h.codes(h.run(h.with_org(anduze, siret=good)))
    findings = [f for f in h.run(h.with_org(anduze, siret=bad)) if f.code == "SIRET_INVALID"]
    assert len(findings) == 1
    assert "La Poste" in findings[0].message and "(46)" in findings[0].message


def test_la_poste_head_office_uses_luhn(anduze, h):
    assert "SIRET_INVALID" not in h.codes(h.run(h.with_org(anduze, siret="35600000000048")))


@pytest.mark.parametrize("rna", ["W302004512", "w302004512", "W 302 004 512"])
def test_valid_rna_passes(anduze, h, rna):
    assert "RNA_INVALID" not in h.codes(h.run(h.with_org(anduze, rna=rna)))


@pytest.mark.parametrize("rna", ["W30200451", "W3020045123", "302004512", "X302004512", "W30-200-451"])
def test_malformed_rna_is_blocking(anduze, h, rna):
    findings = [f for f in h.run(h.with_org(anduze, rna=rna)) if f.code == "RNA_INVALID"]
    assert [f.severity for f in findings] == ["blocking"]
    assert "W suivi de 9 chiffres" in findings[0].message


def test_rna_with_letters_after_w_is_only_a_warning(anduze, h):
    findings = [f for f in h.run(h.with_org(anduze, rna="W2A1002345")) if f.code == "RNA_INVALID"]
    assert [f.severity for f in findings] == ["warning"]


def test_association_without_rna_is_blocking(anduze, h):
    findings = [f for f in h.run(h.with_org(anduze, rna="")) if f.code == "RNA_INVALID"]
    assert [f.severity for f in findings] == ["blocking"]


@pytest.mark.parametrize("form", ["commune", "ccas", "foundation", "social_landlord", "school"])
def test_non_associations_may_leave_rna_empty(anduze, h, form):
    assert "RNA_INVALID" not in h.codes(h.run(h.with_org(anduze, rna="", legal_form=form)))


def test_alsace_moselle_association_gives_its_register_number(anduze, h):
    org = h.with_org(anduze, legal_form="local_law_association", rna="Tribunal judiciaire de Strasbourg, vol. 82 n° 123")
    assert "RNA_INVALID" not in h.codes(h.run(org))
    empty = h.with_org(anduze, legal_form="local_law_association", rna="")
    findings = [f for f in h.run(empty) if f.code == "RNA_INVALID"]
    assert len(findings) == 1 and "registre" in findings[0].message


def test_register_number_for_a_plain_association_hints_at_local_law(anduze, h):
    findings = [f for f in h.run(h.with_org(anduze, rna="Vol. 82 n° 123")) if f.code == "RNA_INVALID"]
    assert len(findings) == 1 and "droit local" in findings[0].message


def test_companies_and_religious_associations_are_not_admitted_by_default(anduze, h):
    for form in ("company", "religious_association"):
        findings = [f for f in h.run(h.with_org(anduze, legal_form=form, rna="")) if f.code == "LEGAL_FORM_NOT_ALLOWED"]
        assert len(findings) == 1 and findings[0].field == "organisation.legal_form"


def test_a_call_may_admit_associations_only(anduze, h):
    only = h.with_settings(anduze, allowed_legal_forms=("association",))
    assert "LEGAL_FORM_NOT_ALLOWED" not in h.codes(h.run(only))
    commune = h.with_org(only, legal_form="commune", rna="")
    assert "LEGAL_FORM_NOT_ALLOWED" in h.codes(h.run(commune))


def test_cer_not_attested_is_blocking(anduze, h):
    from quartiers.engine.rules import CerAttestation

    findings = h.run(anduze, cer=CerAttestation(attested=False, signatory="Nadia Benali"))
    assert [(f.code, f.severity, f.field) for f in findings] == [("CER_MISSING", "blocking", "cer.attested")]


def test_cer_needs_a_signatory_and_a_date(anduze, h):
    from quartiers.engine.rules import CerAttestation

    findings = h.run(anduze, cer=CerAttestation(attested=True))
    assert [(f.code, f.field) for f in findings if f.code == "CER_MISSING"] == [
        ("CER_MISSING", "cer.signatory"), ("CER_MISSING", "cer.signed_on")]


def test_signatory_other_than_the_legal_representative_needs_a_delegation(anduze, h):
    from dataclasses import replace

    other = replace(anduze.application.cer, signatory="Paul Durand")
    findings = [f for f in h.run(anduze, cer=other) if f.code == "SIGNATURE_DELEGATION_MISSING"]
    assert [f.severity for f in findings] == ["warning"]
    with_doc = h.run(anduze, cer=other, documents=(*anduze.application.documents, "signature_delegation"))
    assert "SIGNATURE_DELEGATION_MISSING" not in h.codes(with_doc)
    # Same person, other case and accents: no delegation needed.
    same = replace(anduze.application.cer, signatory="NADIA BENALI")
    assert "SIGNATURE_DELEGATION_MISSING" not in h.codes(h.run(anduze, cer=same))
