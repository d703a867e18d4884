"""The shared French formats: euros (with and without zero cents), spreadsheet amounts, dates, safe text."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from quartiers.common import formats
from quartiers.engine.rules import format_euros

NB, NNB = "\u00a0", "\u202f"


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("12500"), f"12{NNB}500,00{NB}€"),
    (12500, f"12{NNB}500,00{NB}€"),
    ("12500.5", f"12{NNB}500,50{NB}€"),
    (Decimal("0.5"), f"0,50{NB}€"),
    (Decimal("999.995"), f"1{NNB}000,00{NB}€"),  # half up to the cent
    (Decimal("0.004"), f"0,00{NB}€"),
    (Decimal("-1234567.8"), f"-1{NNB}234{NNB}567,80{NB}€"),
    (Decimal("100"), f"100,00{NB}€"),
])
def test_euros_always_write_the_cents_by_default(value, text):
    assert formats.euros(value) == text


def test_euros_are_the_engines_format():
    for value in (Decimal("0"), Decimal("12500"), Decimal("-3.456"), Decimal("1234567.891")):
        assert formats.euros(value) == format_euros(value)


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("120000"), f"120{NNB}000{NB}€"),
    (Decimal("80000.50"), f"80{NNB}000,50{NB}€"),
    (Decimal("80000.001"), f"80{NNB}000{NB}€"),
    (Decimal("-6500"), f"-6{NNB}500{NB}€"),
    (Decimal("999.995"), f"1{NNB}000{NB}€"),
    (0, f"0{NB}€"),
])
def test_euros_without_zero_cents(value, text):
    assert formats.euros(value, cents=False) == text


@pytest.mark.parametrize("cents", [True, False])
def test_euros_of_nothing_is_empty_and_of_text_is_the_text(cents):
    assert formats.euros(None, cents=cents) == ""
    assert formats.euros("", cents=cents) == ""
    assert formats.euros("à préciser", cents=cents) == "à préciser"


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("6500"), "6500,00"), (Decimal("1234567.891"), "1234567,89"), (Decimal("0.005"), "0,01"),
    (Decimal("-12.5"), "-12,50"), (4000, "4000,00"), (None, ""), ("", ""),
])
def test_spreadsheet_amounts_have_a_decimal_comma_and_no_grouping(value, text):
    assert formats.spreadsheet_amount(value) == text


def test_percent_and_decimal():
    assert formats.percent(Decimal("0.5")) == f"50{NB}%"
    assert formats.percent(Decimal("0.125")) == f"12,5{NB}%"
    assert formats.percent(None) == ""
    assert formats.decimal_fr(Decimal("0.200")) == "0,2"
    assert formats.decimal_fr("") == ""


@pytest.mark.parametrize(("value", "text"), [
    (date(2026, 10, 1), "1er octobre 2026"), (date(2027, 1, 15), "15 janvier 2027"),
    (date(2027, 8, 2), "2 août 2027"), (None, ""),
])
def test_french_dates(value, text):
    assert formats.french_date(value) == text


def test_french_datetimes_are_in_paris_time():
    # 11:00 UTC in winter is noon in Paris; 23:30 UTC on 30 September is already 1 October in Paris.
    assert formats.french_datetime(datetime(2027, 1, 15, 11, 0, tzinfo=UTC)) == f"15 janvier 2027 à 12{NB}h{NB}00"
    assert formats.french_date(datetime(2026, 9, 30, 23, 30, tzinfo=UTC)) == "1er octobre 2026"
    assert formats.french_datetime(None) == ""


@pytest.mark.parametrize(("value", "text"), [
    ("2027-01-11", "11/01/2027"), (date(2027, 1, 11), "11/01/2027"), ("à préciser", "à préciser"),
    ("", "—"), (None, "—"),
])
def test_short_dates(value, text):
    assert formats.short_date(value) == text


@pytest.mark.parametrize(("value", "text"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+33 6", "'+33 6"), ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=b", "a=b"), ("Atelier -1", "Atelier -1"), ("", ""),
])
def test_safe_text_keeps_a_formula_as_text(value, text):
    assert formats.safe_text(value) == text


def test_the_convention_note_is_the_sentence_of_the_pages():
    assert formats.CONVENTION_NOTE == "convention obligatoire (plus de 23 000 €)"
