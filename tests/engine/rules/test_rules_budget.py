"""Budget grid of the Cerfa 12156: balance, contributions in kind, public share, funders, requested amounts."""

from dataclasses import replace
from decimal import Decimal

import pytest

from quartiers.engine.rules import Budget, BudgetLine, FundingRequest, SubsidyLine

D = Decimal
STATE, TOWN, CAF = "30-ETAT-POLITIQUE-VILLE", "VILLE-ANDUZE", "CAF-30"


def budget(charges, income, subsidies):
    return Budget(charges=tuple(BudgetLine(c, D(a)) for c, a in charges.items()),
                  income=tuple(BudgetLine(c, D(a)) for c, a in income.items()),
                  subsidies=tuple(SubsidyLine(f, D(a)) for f, a in subsidies.items()))


def requests(subsidies):
    return tuple(FundingRequest(f, D(a)) for f, a in subsidies.items())


def run_budget(h, file, charges, income, subsidies, asked=None):
    return h.run(file, budget=budget(charges, income, subsidies),
                 requested=requests(subsidies if asked is None else asked))


def test_example_budget_is_balanced(anduze, h):
    b = anduze.application.budget
    assert b.total_charges == b.total_income == D("18000")


def test_unbalanced_budget_names_both_totals(anduze, h):
    findings = run_budget(h, anduze, {"64": "12500"}, {"75": "4000"}, {STATE: "5000", TOWN: "3000"})
    assert [(f.code, f.field) for f in findings] == [("BUDGET_UNBALANCED", "budget")]
    assert findings[0].message == ("Le budget n'est pas équilibré : 12\u202f500,00\u00a0€ de charges pour "
                                   "12\u202f000,00\u00a0€ de produits.")


def test_one_cent_off_is_unbalanced_and_exact_is_balanced(anduze, h):
    assert h.codes(run_budget(h, anduze, {"64": "10000.01"}, {"75": "3000"}, {STATE: "4000", TOWN: "3000"})) == [
        "BUDGET_UNBALANCED"]
    assert run_budget(h, anduze, {"64": "10000.00"}, {"75": "3000"}, {STATE: "4000", TOWN: "3000"}) == []


def test_contributions_in_kind_stay_out_of_the_totals_but_must_balance(anduze, h):
    ok = run_budget(h, anduze, {"64": "10000", "86": "2000"}, {"75": "3000", "87": "2000"}, {STATE: "4000", TOWN: "3000"})
    assert ok == []
    bad = run_budget(h, anduze, {"64": "10000", "86": "2000"}, {"75": "3000", "87": "1500"},
                     {STATE: "4000", TOWN: "3000"})
    assert [(f.code, f.field) for f in bad] == [("VOLUNTARY_CONTRIBUTIONS_UNBALANCED", "budget.charges.86")]
    assert "2\u202f000,00\u00a0€" in bad[0].message and "1\u202f500,00\u00a0€" in bad[0].message


def test_public_share_of_exactly_80_percent_passes(anduze, h):
    assert run_budget(h, anduze, {"64": "10000"}, {"75": "2000"}, {STATE: "5000", TOWN: "3000"}) == []


def test_public_share_of_80_01_percent_is_blocking(anduze, h):
    findings = run_budget(h, anduze, {"64": "10000"}, {"75": "1999"}, {STATE: "5001", TOWN: "3000"})
    assert [(f.code, f.field) for f in findings] == [("PUBLIC_FUNDING_SHARE_EXCEEDED", "budget.income.74")]
    assert "80,01\u00a0%" in findings[0].message and "80\u00a0%" in findings[0].message


def test_public_share_cap_is_a_setting(anduze, h):
    capped = h.with_settings(anduze, max_public_share=D("0.5"))
    findings = run_budget(h, capped, {"64": "10000"}, {"75": "4900"}, {STATE: "2100", TOWN: "3000"})
    assert h.codes(findings) == ["PUBLIC_FUNDING_SHARE_EXCEEDED"]
    assert run_budget(h, capped, {"64": "10000"}, {"75": "5000"}, {STATE: "2000", TOWN: "3000"}) == []


def test_contributions_in_kind_do_not_dilute_the_public_share(anduze, h):
    findings = run_budget(h, anduze, {"64": "10000", "86": "5000"}, {"75": "1000", "87": "5000"},
                          {STATE: "6000", TOWN: "3000"})
    assert h.codes(findings) == ["PUBLIC_FUNDING_SHARE_EXCEEDED"]


@pytest.mark.parametrize("where", ["charges", "income", "subsidy", "request"])
def test_negative_amount_is_blocking_and_named(anduze, h, where):
    charges, income, subsidies = {"64": "10000"}, {"75": "3000"}, {STATE: "4000", TOWN: "3000"}
    asked = dict(subsidies)
    field = {"charges": "budget.charges.61", "income": "budget.income.70", "subsidy": "budget.income.74[2].amount",
             "request": "requested[2].amount"}[where]
    if where == "charges":
        charges["61"] = "-100"
    elif where == "income":
        income["70"] = "-100"
    elif where == "subsidy":
        subsidies[CAF] = "-100"
    else:
        asked[CAF] = "-100"
    findings = [f for f in run_budget(h, anduze, charges, income, subsidies, asked) if f.code == "NEGATIVE_AMOUNT"]
    assert [f.field for f in findings] == [field]
    assert "-100,00\u00a0€" in findings[0].message


def test_empty_budget_is_blocking(anduze, h):
    findings = h.run(anduze, budget=Budget(), requested=())
    assert h.codes(findings) == ["BUDGET_EMPTY", "NO_FUNDING_REQUESTED"]


def test_implausible_budget_is_a_warning(anduze, h):
    findings = run_budget(h, anduze, {"64": "2000000.01"}, {"75": "600000.01"}, {STATE: "800000", TOWN: "600000"})
    assert [(f.code, f.severity) for f in findings if f.code == "BUDGET_TOO_LARGE"] == [("BUDGET_TOO_LARGE", "warning")]
    assert "BUDGET_TOO_LARGE" not in h.codes(run_budget(h, anduze, {"64": "2000000"}, {"75": "600000"},
                                                        {STATE: "800000", TOWN: "600000"}))


def test_funder_outside_the_call_is_blocking(anduze, h):
    findings = run_budget(h, anduze, {"64": "10000"}, {"75": "3000"}, {STATE: "4000", "30-REGION": "3000"},
                          asked={STATE: "4000"})
    assert [(f.code, f.field) for f in findings] == [("FUNDER_NOT_IN_CALL", "budget.income.74[1].funder")]


def test_request_to_a_funder_outside_the_call_is_blocking(anduze, h):
    findings = run_budget(h, anduze, {"64": "10000"}, {"75": "3000"}, {STATE: "4000", TOWN: "3000"},
                          asked={STATE: "4000", TOWN: "3000", "MECENE": "0"})
    assert ("FUNDER_NOT_IN_CALL", "requested[2].funder") in [(f.code, f.field) for f in findings]


def test_requested_amount_differing_from_line_74_is_blocking(anduze, h):
    findings = run_budget(h, anduze, {"64": "10000"}, {"75": "3000"}, {STATE: "4000", TOWN: "3000"},
                          asked={STATE: "4000.01", TOWN: "3000"})
    assert [(f.code, f.field) for f in findings] == [("REQUESTED_AMOUNTS_MISMATCH", "requested[0].amount")]
    assert "4\u202f000,01\u00a0€" in findings[0].message and "4\u202f000,00\u00a0€" in findings[0].message


def test_line_74_of_a_call_funder_without_request_is_a_mismatch(anduze, h):
    findings = run_budget(h, anduze, {"64": "10000"}, {"75": "3000"}, {STATE: "4000", TOWN: "3000"},
                          asked={STATE: "4000"})
    assert [(f.code, f.field) for f in findings] == [("REQUESTED_AMOUNTS_MISMATCH", "requested")]


def test_nothing_requested_is_blocking(anduze, h):
    findings = [f for f in h.run(anduze, requested=()) if f.code == "NO_FUNDING_REQUESTED"]
    assert len(findings) == 1


def test_single_funder_is_a_warning(anduze, h):
    capped = h.with_settings(anduze, max_public_share=D("1"))
    findings = run_budget(h, capped, {"64": "10000"}, {}, {STATE: "10000"})
    assert [(f.code, f.severity) for f in findings] == [("SINGLE_FUNDER", "warning")]


def test_one_funder_plus_own_resources_is_not_single(anduze, h):
    assert run_budget(h, anduze, {"64": "10000"}, {"75": "2000"}, {STATE: "8000"}) == []


def test_request_above_the_envelope_is_a_warning(anduze, h):
    findings = run_budget(h, anduze, {"64": "50000"}, {"75": "10000"}, {STATE: "24999.99", TOWN: "15000.01"})
    assert [(f.code, f.severity, f.field) for f in findings] == [
        ("REQUEST_EXCEEDS_ENVELOPE", "warning", "requested[1].amount")]
    assert run_budget(h, anduze, {"64": "50000"}, {"75": "10000"}, {STATE: "25000", TOWN: "15000"}) == []


def test_budget_totals():
    b = budget({"60": "100.10", "64": "900", "86": "50"}, {"70": "200", "87": "50"}, {STATE: "400.05", TOWN: "400"})
    assert b.total_charges == D("1000.10")
    assert b.total_income == D("1000.05")
    assert b.income_line("74") == D("800.05")
    assert replace(b, subsidies=()).total_income == D("200")
