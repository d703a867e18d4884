from datetime import date, time, timedelta

import pytest
from django import forms as django_forms

from quartiers.calls.forms import CallForm, ExtendForm, FrenchDecimalField, paris_datetime


def test_paris_datetime_refuses_the_hour_skipped_in_spring():
    with pytest.raises(django_forms.ValidationError, match="passage à l'heure d'été"):
        paris_datetime(date(2027, 3, 28), time(2, 30))
    assert paris_datetime(date(2027, 3, 28), time(3, 0)).utcoffset() == timedelta(hours=2)


def test_paris_datetime_takes_summer_time_for_the_hour_repeated_in_autumn():
    assert paris_datetime(date(2026, 10, 25), time(2, 30)).utcoffset() == timedelta(hours=2)
    assert paris_datetime(date(2026, 10, 25), time(3, 30)).utcoffset() == timedelta(hours=1)


def test_extend_form_names_the_time_field_on_a_skipped_hour():
    form = ExtendForm(data={"closes_on": "2027-03-28", "closes_time": "02:15"})
    assert not form.is_valid()
    assert form.errors["closes_time"] == ["Cette heure n'existe pas ce jour-là à Paris (passage à l'heure d'été)."]


@pytest.mark.parametrize("typed,value", [("80 000,50", "80000.50"), ("80\u202f000,50 €", "80000.50"),
                                         ("1200", "1200")])
def test_french_amounts(typed, value):
    from decimal import Decimal

    assert FrenchDecimalField(decimal_places=2).clean(typed) == Decimal(value)


def test_call_form_has_one_row_per_rule_with_french_titles(db):
    from quartiers.engine.rules.checks import RULES

    form = CallForm()
    rows = form.rule_rows()
    assert [r["rule"].code for r in rows] == [r.code for r in RULES]
    assert rows[0]["enabled"].label == "Activer la règle « SIRET valide (14 chiffres, clé de Luhn, exception La Poste) »"
    cost = next(r for r in rows if r["rule"].code == "COST_PER_BENEFICIARY")
    assert form.initial["rule_COST_PER_BENEFICIARY_enabled"] is False and cost["default"] == "information"
