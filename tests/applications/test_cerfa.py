"""The form ↔ content translation: French amounts, counts, slots and the anchors of findings."""

from decimal import Decimal

import pytest
from django.http import QueryDict

from quartiers.applications.cerfa import (
    attestation_from_post,
    content_from_post,
    field_anchor,
    form_state,
    parse_amount,
)
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
    content, errors = content_from_post(post, funders=funders, framework=Framework(neighbourhoods=()))
    assert content["title"] == "Atelier"
    assert content["budget"]["charges"] == {"60": "1000"}
    assert content["budget"]["income"]["74"] == [{"funder": "etat:1", "amount": "500.00"}]
    assert content["requested"] == [{"funder": "etat:1", "amount": "500.00"}]
    assert content["audience"] == [{"sex": "female", "age_band": "6-10", "count": 3, "qpv_count": 2}]
    assert content["schedule"] == [{"kind": "evening", "weekday": "friday", "start": "18:00"}]
    assert set(errors) == {"charge-64", "slot-0-end"}
    assert "cer" not in content  # who signs is the service's rule (tests/applications/test_attestation.py)
    assert attestation_from_post(post) is True


@pytest.mark.parametrize("field, anchor", [("schedule[2]", "slot-2"), ("budget.charges.60", "id_charge-60"),
                                           ("budget.income.74", "ligne-74"), ("budget.income.74[1].amount", "ligne-74"), ("requested[0].amount", "budget"), ("documents.statutes", "pieces"),
                                           ("claimed_objectives[0]", "objectifs"), ("title", "id_title"),
                                           ("cer.attested", "attestation"), ("organisation.siret", "structure")])
def test_findings_link_to_their_field(field, anchor):
    assert field_anchor(field) == anchor


@pytest.mark.parametrize("field, anchor", [("places", "id_places"), ("places[1]", "id_places"),
                                           ("previous_report_provided", "id_previous_report_provided"),
                                           ("start_date", "id_start_date"), ("budget.income.70", "id_income-70"),
                                           ("budget", "budget"), ("budget.charges.6", "budget"),
                                           ("neighbourhoods[0]", "quartiers"), ("audience[1].count", "beneficiaires"),
                                           ("indicators[0].name", "indicateurs"), ("submitted_at", "structure"),
                                           ("cer.signatory", "attestation")])
def test_every_section_of_the_form_has_its_anchor(field, anchor):
    assert field_anchor(field) == anchor


def _as_post(state) -> QueryDict:
    """What the browser posts back for the inputs ``form_state`` shows."""
    post = QueryDict(mutable=True)
    for name, value in state["values"].items():
        post[name] = value
    post.setlist("neighbourhoods", state["neighbourhoods"])
    post.setlist("objective", sorted(state["claimed"]))
    post["renewal"] = "1" if state["renewal"] else "0"
    if state["previous_report_provided"]:
        post["previous_report_provided"] = "1"
    for row in state["audience_rows"]:
        for cell in row["cells"]:
            post[cell["name"]], post[cell["qpv_name"]] = str(cell["value"]), str(cell["qpv_value"])
    for row in state["slot_rows"]:
        for k in ("kind", "weekday", "start", "end", "label"):
            post[f"slot-{row['i']}-{k}"] = row[k]
    for row in state["indicator_rows"]:
        post[f"ind-{row['i']}-name"], post[f"ind-{row['i']}-target"] = row["name"], row["target"]
    for row in (*state["charge_rows"], *state["income_rows"], *state["subsidy_rows"]):
        post[row["name"]] = row["value"]
    post["charge-86"], post["income-87"] = state["charge86"], state["income87"]
    return post


@pytest.mark.django_db
def test_what_the_form_shows_posts_back_to_the_same_content(call):
    """Every section round-trips: content → inputs (``form_state``) → POST → the same content."""
    from quartiers.calls.selectors import call_to_engine
    from quartiers.frameworks.matching import matcher_for
    from tests.applications.factories import YOUTH, anduze_post, objective_value

    funders = call_to_engine(call).funders
    framework = matcher_for(call.framework_version).framework
    first = QueryDict(mutable=True)
    for key, value in anduze_post(call, objective=objective_value(call, YOUTH), **{"ind-1-name": "Sorties",
                                  "ind-1-target": "6", "slot-0-label": "Local", "income-87": "3000"}).items():
        first.setlist(key, value if isinstance(value, list) else [value])
    content, errors = content_from_post(first, funders=funders, framework=framework)
    assert errors == {}
    assert content["claimed_objectives"] and content["indicators"] and content["audience"] and content["schedule"]
    state = form_state(content, funders=funders)
    again, errors = content_from_post(_as_post(state), funders=funders, framework=framework)
    assert errors == {}
    assert again == content
    echoed = form_state(content, funders=funders, post=first)  # a refused POST shows what was typed
    assert echoed["values"]["title"] == first["title"]
    assert echoed["charge_rows"][0]["value"] == first.get(echoed["charge_rows"][0]["name"], "")


def test_each_section_reports_its_own_errors_in_french():
    post = QueryDict(mutable=True)
    post.update({"start_date": "31/02/2027", "aud-male-6-10": "trois", "slot-2-kind": "evening",
                 "slot-2-start": "midi", "charge-61": "1.234", "income-70": "x", "subsidy-etat:1": "beaucoup"})
    funders = (Funder(code="etat:1", kind="etat_bop147", name="État"),)
    content, errors = content_from_post(post, funders=funders, framework=Framework(neighbourhoods=()))
    assert errors == {
        "start_date": "Date invalide : utilisez le format jj/mm/aaaa.",
        "aud-male-6-10": "Indiquez un nombre entier de personnes.",
        "slot-2-start": "Heure invalide : utilisez le format hh:mm.",
        "charge-61": "Montant invalide : écrivez par exemple 1 250,00.",
        "income-70": "Montant invalide : écrivez par exemple 1 250,00.",
        "subsidy-etat:1": "Montant invalide : écrivez par exemple 1 250,00.",
    }
    assert list(errors) == ["start_date", "aud-male-6-10", "slot-2-start", "charge-61", "income-70", "subsidy-etat:1"]
    assert content["start_date"] is None and content["schedule"] == [{"kind": "evening"}]
    assert content["budget"] == {"charges": {}, "income": {}} and content["requested"] == []
