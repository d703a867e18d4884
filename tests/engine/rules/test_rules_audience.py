"""Beneficiaries: counts, QPV share against the call's threshold."""

from decimal import Decimal

from quartiers.engine.rules import AudienceGroup


def audience(total: int, qpv: int) -> tuple[AudienceGroup, ...]:
    return (AudienceGroup("female", "11-14", total // 2, qpv // 2),
            AudienceGroup("male", "11-14", total - total // 2, qpv - qpv // 2))


def test_qpv_share_of_49_percent_is_blocking(anduze, h):
    findings = h.run(anduze, audience=audience(100, 49))
    assert [(f.code, f.severity, f.field) for f in findings] == [("QPV_SHARE_TOO_LOW", "blocking", "audience")]
    assert "49\u00a0%" in findings[0].message and "49 sur 100" in findings[0].message
    assert "50\u00a0%" in findings[0].message


def test_qpv_share_of_50_percent_passes(anduze, h):
    assert h.run(anduze, audience=audience(100, 50)) == []


def test_qpv_share_just_below_half_is_blocking(anduze, h):
    findings = h.run(anduze, audience=audience(10000, 4999))
    assert "49,99\u00a0%" in findings[0].message


def test_qpv_threshold_is_a_setting(anduze, h):
    herault = h.with_settings(anduze, min_qpv_share=Decimal("0.6"))
    assert h.codes(h.run(herault, audience=audience(100, 59))) == ["QPV_SHARE_TOO_LOW"]
    assert h.run(herault, audience=audience(100, 60)) == []


def test_no_beneficiary_is_blocking(anduze, h):
    findings = h.run(anduze, audience=())
    assert [(f.code, f.field) for f in findings] == [("AUDIENCE_MISSING", "audience")]


def test_more_qpv_residents_than_beneficiaries_is_blocking(anduze, h):
    groups = (AudienceGroup("female", "15-17", 10, 11), AudienceGroup("male", "15-17", 30, 20))
    findings = h.run(anduze, audience=groups)
    assert [(f.code, f.field) for f in findings] == [("AUDIENCE_INCONSISTENT", "audience[0].qpv_count")]
    assert "femmes" in findings[0].message


def test_cost_per_beneficiary_is_off_by_default_and_informs_when_on(anduze, h):
    from quartiers.engine.rules import RuleSetting

    assert "COST_PER_BENEFICIARY" not in h.codes(h.run(anduze))
    on = h.with_settings(anduze, rules={"COST_PER_BENEFICIARY": RuleSetting(enabled=True)})
    findings = h.run(on)
    assert [(f.code, f.severity) for f in findings] == [("COST_PER_BENEFICIARY", "info")]
    assert "360,00\u00a0€" in findings[0].message  # 18 000 € for 50 beneficiaries
