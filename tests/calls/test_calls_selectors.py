from decimal import Decimal

from calls_helpers import SIRET_AGGLO, SIRET_STATE, paris

from quartiers.calls import services
from quartiers.calls.models import Call
from quartiers.calls.selectors import call_summary, call_to_engine, calls_open
from quartiers.engine import rules
from quartiers.frameworks.selectors import version_to_framework


def test_call_to_engine_round_trip(calls_ready):
    calls_ready.rule_settings = {"SINGLE_FUNDER": {"enabled": False}, "INDICATOR_MISSING": {"severity": "blocking"}}
    calls_ready.required_documents = ["statutes", "bank_details"]
    calls_ready.min_qpv_share = Decimal("0.6")
    calls_ready.save()
    call = call_to_engine(calls_ready)
    assert call.year == 2027 and call.title == "Appel à projets 2027"
    assert call.closes_at == paris(2027, 1, 15, 12)
    assert [(f.code, f.kind, f.envelope) for f in call.funders] == [
        (f"epci:{SIRET_AGGLO}", "epci", Decimal("80000.50")),
        (f"etat_bop147:{SIRET_STATE}", "etat_bop147", Decimal("120000.00")),
    ]
    assert call.neighbourhood_codes == ("QN03001I", "QN03002M")
    assert call.required_documents == ("statutes", "bank_details")
    assert call.settings.min_qpv_share == Decimal("0.6")
    assert call.settings.setting("SINGLE_FUNDER").enabled is False
    assert call.settings.setting("INDICATOR_MISSING").severity == "blocking"
    assert call.settings.setting("SIRET_INVALID") == rules.RuleSetting()


def test_call_to_engine_feeds_check_application(calls_ready):
    call = call_to_engine(calls_ready)
    state = call.funders[1].code
    application = rules.Application(
        title="Aide aux devoirs", neighbourhoods=("QN03001I",),
        budget=rules.Budget(charges=(rules.BudgetLine("64", Decimal("10000")),),
                            subsidies=(rules.SubsidyLine(state, Decimal("6000")),),
                            income=(rules.BudgetLine("75", Decimal("4000")),)),
        requested=(rules.FundingRequest(state, Decimal("6000")),),
        documents=("statutes",),
        submitted_at=paris(2026, 12, 1, 10),
    )
    organisation = rules.Organisation(legal_name="Association Tamaris", siret="35600000000048")
    findings = rules.check_application(application, call=call,
                                       framework=version_to_framework(calls_ready.framework_version),
                                       organisation=organisation, now=paris(2026, 12, 1, 10))
    codes = {f.code for f in findings}
    assert "FUNDER_NOT_IN_CALL" not in codes and "NEIGHBOURHOOD_NOT_IN_CALL" not in codes
    assert "DEADLINE_PASSED" not in codes and "BUDGET_UNBALANCED" not in codes


def test_calls_open_and_summary(calls_ready, django_assert_max_num_queries):
    services.call_open(call=calls_ready, now=paris(2026, 9, 1))
    with django_assert_max_num_queries(4):
        [call] = list(calls_open(paris(2026, 12, 1)))
        summary = call_summary(call)
    assert summary.envelopes_total == Decimal("200000.50")
    assert summary.funders_count == 2 and summary.neighbourhoods_count == 2
    assert summary.by_kind == {"etat_bop147": Decimal("120000.00"), "epci": Decimal("80000.50")}
    assert not calls_open(paris(2027, 1, 15, 12)).exists()
    assert Call.objects.count() == 1
