from datetime import date
from decimal import Decimal

import pytest

from quartiers.applications.models import Status
from quartiers.programme.selectors import funders_by_siret, granted_decisions, programme, programme_rows
from tests.programme.programme_helpers import SIRET_STATE, make_application


def _line(rows, reference, funder_name):
    [row] = [r for r in rows if r.reference == reference and r.funder_name == funder_name]
    return row


def test_one_line_per_action_and_funder(prog_data):
    rows = programme_rows(prog_data["call"])
    assert [(r.reference, r.funder_name) for r in rows] == [
        ("2027-001", "Alès Agglomération"),
        ("2027-001", "Commune d'Anduze"),  # not asked, but decided: its line is there
        ("2027-001", "Préfecture du Gard (BOP 147)"),
        ("2027-002", "Préfecture du Gard (BOP 147)"),
        ("2027-003", "Alès Agglomération"),
    ]  # withdrawn, inadmissible and draft applications are left out


def test_line_content(prog_data):
    rows = programme_rows(prog_data["call"])
    state = _line(rows, "2027-001", "Préfecture du Gard (BOP 147)")
    assert (state.organisation, state.siret, state.rna) == ("Association Cévennes Jeunesse", "81324567700014",
                                                            "W301000123")
    assert state.title == "Les soirées et samedis du local jeunes"
    assert state.neighbourhoods == "QN03002M"
    assert (state.theme, state.objective) == ("Jeunesse", "Accueillir les adolescents le soir")
    assert state.kind == "nouvelle" and state.total_budget == Decimal("60000")
    assert (state.requested, state.proposed, state.granted) == (Decimal("30000"), Decimal("25000"), Decimal("25000"))
    assert state.opinion == "favorable avec un montant modifié"
    assert state.decided_on == date(2027, 3, 15) and state.convention is True
    assert (state.beneficiaries, state.beneficiaries_qpv, state.status_label) == (40, 30, "votée")
    assert state.funder_siret == SIRET_STATE

    agglo = _line(rows, "2027-001", "Alès Agglomération")
    assert agglo.proposed == Decimal("10000")  # favourable without an amount: the requested amount
    assert agglo.granted == Decimal("8000") and agglo.convention is False

    commune = _line(rows, "2027-001", "Commune d'Anduze")
    assert commune.requested is None and commune.opinion == "" and commune.granted == Decimal("2000")

    refused = _line(rows, "2027-002", "Préfecture du Gard (BOP 147)")
    assert refused.granted == Decimal(0) and refused.convention is False and refused.proposed is None
    assert refused.kind == "renouvellement" and refused.neighbourhoods == "QN03001I, QN03002M"
    assert (refused.theme, refused.objective) == ("", "non confirmé")

    pending = _line(rows, "2027-003", "Alès Agglomération")
    assert pending.opinion == "réservé" and pending.proposed is None
    assert pending.granted is None and pending.decided_on is None and pending.convention is None


def test_totals_overall_and_per_funder(prog_data):
    data = programme(prog_data["call"])
    assert (data.total.requested, data.total.proposed, data.total.granted) == (
        Decimal("50500"), Decimal("35000"), Decimal("35000"))
    assert (data.total.lines, data.total.grants, data.total.conventions) == (5, 3, 1)
    per = {t.name: (t.lines, t.requested, t.proposed, t.granted) for _f, t in data.per_funder}
    assert per == {
        "Alès Agglomération": (2, Decimal("14500"), Decimal("10000"), Decimal("8000")),
        "Commune d'Anduze": (1, Decimal(0), Decimal(0), Decimal("2000")),
        "Préfecture du Gard (BOP 147)": (2, Decimal("36000"), Decimal("25000"), Decimal("25000")),
    }
    assert [f.name for f, _t in data.per_funder] == list(per)


def test_filter_by_funder_and_status(prog_data):
    call, agglo = prog_data["call"], prog_data["agglo"]
    rows = programme_rows(call, funder=agglo)
    assert [(r.reference, r.funder_name) for r in rows] == [("2027-001", "Alès Agglomération"),
                                                            ("2027-003", "Alès Agglomération")]
    assert [r.reference for r in programme_rows(call, status=Status.REFUSED)] == ["2027-002"]
    assert programme(call, funder=agglo, status=Status.REVIEWED).total.requested == Decimal("4500")
    with pytest.raises(ValueError):
        programme(call, status=Status.WITHDRAWN)


def test_request_without_a_known_funder_keeps_its_code(prog_data, prog_orgs):
    from quartiers.applications.models import FundingRequest

    app = make_application(prog_data["call"], prog_orgs[1], 7, Status.SUBMITTED)
    FundingRequest.objects.create(application=app, funder_code="caf:78", amount=Decimal("1500"))
    [row] = [r for r in programme_rows(prog_data["call"]) if r.reference == "2027-007"]
    assert (row.funder_name, row.funder_id, row.requested) == ("caf:78", None, Decimal("1500"))


def test_scdl_selectors(prog_data):
    call = prog_data["call"]
    assert funders_by_siret(call, "173 000 019 00013") == [prog_data["state"]]
    assert funders_by_siret(call, "00000000000000") == []
    grants = granted_decisions(call, [prog_data["state"]])
    assert [(d.application.reference, d.amount) for d in grants] == [("2027-001", Decimal("25000"))]
    assert granted_decisions(call, [prog_data["agglo"]], threshold=Decimal("23000")) == []


def test_query_count_does_not_grow_with_applications(prog_data, prog_orgs, django_assert_max_num_queries):
    call, state, agglo = prog_data["call"], prog_data["state"], prog_data["agglo"]
    for n in range(10, 70):
        make_application(call, prog_orgs[n % 2], n, Status.REVIEWED, requests=[(state, "1000"), (agglo, "500")])
    with django_assert_max_num_queries(6):
        data = programme(call)
    assert data.total.lines == 5 + 120
