"""Bad amounts and ids posted to the committee pages get a French message naming the field, never a server error:
« 5.000 » is ambiguous (not 5 €), huge amounts are refused before any rounding, huge ids are ignored."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from quartiers.reviews.committee.services import CommitteeError, agenda_add, decision_record
from quartiers.reviews.committee.validation import parse_amount
from quartiers.reviews.models import Decision, Outcome
from tests.reviews.test_committee_data import fast_password_hasher, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_agenda(world):  # noqa: F811
    agenda_add(session=world.session)
    return world


def _post_amount(client, w, amount):
    p = f"d{w.ales.pk}-{w.etat.pk}-"
    return client.post(reverse("reviews:decide", args=[w.session.pk, w.ales.pk]),
                       {"funder": w.etat.pk, p + "outcome": "granted", p + "amount": amount,
                        p + "payment_terms": "unique"})


@pytest.mark.parametrize("text, value", [("5 000", Decimal("5000")), ("5000,50", Decimal("5000.50")),
                                         ("5000.5", Decimal("5000.5")), ("5\u202f000 €", Decimal("5000"))])
def test_parse_amount_reads_french_and_plain_numbers(text, value):
    assert parse_amount(text) == value


def test_a_dot_with_three_digits_is_ambiguous(on_agenda):
    w = on_agenda
    with pytest.raises(CommitteeError) as exc:
        decision_record(session=w.session, application=w.ales, funder=w.etat, by=w.lead, outcome=Outcome.GRANTED,
                        amount="5.000")
    assert exc.value.errors["amount"] == ("Montant accordé : « 5.000 » est ambigu ; écrivez 5 000 ou 5000,00.")
    assert not Decision.objects.exists()


@pytest.mark.parametrize("amount, message", [
    ("1e400", "Montant accordé : écrivez un nombre d'euros"),
    ("123456789012345678901234567890", "Montant accordé : au plus 9 999 999 999,99 €."),
    ("10000000000", "Montant accordé : au plus 9 999 999 999,99 €."),
    ("5.000", "Montant accordé : « 5.000 » est ambigu"),
    ("12,345", "Montant accordé : écrivez un nombre d'euros"),
])
def test_bad_amounts_on_the_page_name_the_field(client, on_agenda, amount, message):
    w = on_agenda
    client.force_login(w.lead)
    r = _post_amount(client, w, amount)
    assert r.status_code == 400
    assert message in html.unescape(r.content.decode())
    assert not Decision.objects.exists()


def test_the_largest_amount_is_recorded(client, on_agenda):
    w = on_agenda
    client.force_login(w.lead)
    assert _post_amount(client, w, "9 999 999 999,99").status_code == 302
    assert Decision.objects.get().amount == Decimal("9999999999.99")


@pytest.mark.parametrize("ids", [["99999999999999999999999"], ["²"], ["-1"], ["abc"]])
def test_agenda_ignores_ids_beyond_any_key(client, on_agenda, ids):
    w = on_agenda
    client.force_login(w.lead)
    r = client.post(reverse("reviews:agenda", args=[w.session.pk]), {"action": "add", "applications": ids},
                    follow=True)
    assert r.status_code == 200
    assert "Dossiers à ajouter : cochez au moins un dossier." in r.content.decode()
    assert not w.session.items.filter(application=w.late).exists()
    r = client.post(reverse("reviews:agenda", args=[w.session.pk]),
                    {"action": "add", "applications": [*ids, str(w.late.pk)]})
    assert r.status_code == 302
    assert w.session.items.filter(application=w.late).exists()


@pytest.mark.parametrize("action", ["up", "remove"])
def test_agenda_item_beyond_any_key(client, on_agenda, action):
    w = on_agenda
    client.force_login(w.lead)
    r = client.post(reverse("reviews:agenda", args=[w.session.pk]),
                    {"action": action, "item": "99999999999999999999999"}, follow=True)
    assert r.status_code == 200
    assert "Action inconnue sur l&#x27;ordre du jour." in r.content.decode()


def test_decide_with_a_funder_beyond_any_key(client, on_agenda):
    w = on_agenda
    client.force_login(w.lead)
    r = client.post(reverse("reviews:decide", args=[w.session.pk, w.ales.pk]), {"funder": "9" * 30})
    assert r.status_code == 404
