"""The form ↔ content translation: French amounts, counts, slots and the anchors of findings."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import QueryDict

from quartiers.applications.cerfa import content_from_post, field_anchor, parse_amount
from quartiers.engine.framework import Framework
from quartiers.engine.rules import Funder


@pytest.mark.parametrize("raw, expected", [("1 250,50", Decimal("1250.50")), ("1\u202f250 €", Decimal("1250")),
                                            ("", None), ("-300", Decimal("-300")), ("12.5", Decimal("12.5"))])
def test_parse_amount_reads_french_amounts(raw, expected):
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw", ["12,345", "douze", "1.2.3"])
def test_parse_amount_refuses_the_rest(raw):
    with pytest.raises(ValueError):
        parse_amount(raw)


def test_content_from_post_builds_budget_audience_and_slots():
    post = QueryDict(mutable=True)
    post.update({"title": " Atelier ", "charge-60": "1 000", "charge-64": "abc", "subsidy-etat:1": "500,00",
                 "aud-female-6-10": "3", "aud-female-6-10-qpv": "2", "slot-0-kind": "evening",
                 "slot-0-weekday": "friday", "slot-0-start": "18:00", "slot-0-end": "25h", "cer_attested": "1"})
    funders = (Funder(code="etat:1", kind="etat_bop147", name="État"),)
    content, errors = content_from_post(post, funders=funders, framework=Framework(neighbourhoods=()), previous={},
                                        can_sign=True, signer_name="Nadia Benali", today=date(2026, 11, 26))
    assert content["title"] == "Atelier"
    assert content["budget"]["charges"] == {"60": "1000"}
    assert content["budget"]["income"]["74"] == [{"funder": "etat:1", "amount": "500.00"}]
    assert content["requested"] == [{"funder": "etat:1", "amount": "500.00"}]
    assert content["audience"] == [{"sex": "female", "age_band": "6-10", "count": 3, "qpv_count": 2}]
    assert content["schedule"] == [{"kind": "evening", "weekday": "friday", "start": "18:00"}]
    assert set(errors) == {"charge-64", "slot-0-end"}
    assert content["cer"] == {"attested": True, "signatory": "Nadia Benali", "signed_on": "2026-11-26"}


@pytest.mark.parametrize("field, anchor", [("schedule[2]", "slot-2"), ("budget.charges.60", "id_charge-60"),
                                           ("budget.income.74", "ligne-74"), ("budget.income.74[1].amount", "ligne-74"), ("requested[0].amount", "budget"), ("documents.statutes", "pieces"),
                                           ("claimed_objectives[0]", "objectifs"), ("title", "id_title"),
                                           ("cer.attested", "attestation"), ("organisation.siret", "structure")])
def test_findings_link_to_their_field(field, anchor):
    assert field_anchor(field) == anchor
