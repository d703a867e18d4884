from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from calls_helpers import PARIS, SIRET_STATE, paris
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from quartiers.calls.models import (
    ALLOWED_TRANSITIONS,
    Call,
    CallFunder,
    CallStatus,
    Funder,
    call_is_accepting,
    validate_siret,
)


@pytest.mark.parametrize("siret", ["17300001900013", "173 000 019 00013", "356 000 000 00048"])
def test_valid_sirets_including_la_poste(siret):
    validate_siret(siret)


@pytest.mark.parametrize("siret,message", [
    ("17300001400017", "clé de contrôle"),
    ("1730000190001", "14 chiffres"),
    ("1730000190001A", "14 chiffres"),
    ("35600000000049", "clé de contrôle"),
])
def test_invalid_sirets_are_refused_in_french(siret, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_siret(siret)
    assert message in excinfo.value.messages[0]


def test_funder_is_unique_per_contract_kind_and_siret(calls_funders):
    state = calls_funders[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Funder.objects.create(contract=state.contract, kind=state.kind, name="Doublon", siret=SIRET_STATE)
    assert str(state) == "Préfecture du Gard (État (BOP 147 « Politique de la ville »))"
    assert state.code == f"etat_bop147:{SIRET_STATE}"
    assert state.siret_display == "173 000 019 00013"


def test_the_database_refuses_a_call_closing_before_it_opens(calls_draft):
    calls_draft.closes_at = calls_draft.opens_at - timedelta(seconds=1)
    with pytest.raises(ValidationError) as excinfo:
        calls_draft.full_clean()
    assert "closes_at" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        calls_draft.save()


def test_the_database_refuses_a_negative_envelope(calls_draft, calls_funders):
    with pytest.raises(IntegrityError), transaction.atomic():
        CallFunder.objects.create(call=calls_draft, funder=calls_funders[0], envelope=Decimal("-1"))


def test_unknown_documents_and_rule_codes_are_refused(calls_draft):
    calls_draft.required_documents = ["statutes", "passport"]
    calls_draft.rule_settings = {"NOPE": {"enabled": True}, "SIRET_INVALID": {"severity": "fatal"}}
    with pytest.raises(ValidationError) as excinfo:
        calls_draft.full_clean()
    errors = excinfo.value.message_dict
    assert errors["required_documents"] == ["Type de pièce inconnu : passport."]
    assert errors["rule_settings"] == ["Code de règle inconnu : NOPE."]


def test_transition_table_only_goes_forward():
    assert ALLOWED_TRANSITIONS[CallStatus.DRAFT] == {CallStatus.OPEN}
    assert ALLOWED_TRANSITIONS[CallStatus.OPEN] == {CallStatus.CLOSED}
    assert ALLOWED_TRANSITIONS[CallStatus.CLOSED] == set()


def test_querysets_open_now_and_visible(calls_draft):
    inside = paris(2026, 12, 1, 10)
    assert not Call.objects.open_now(inside).exists()
    assert not Call.objects.visible().exists()
    Call.objects.filter(pk=calls_draft.pk).update(status=CallStatus.OPEN)
    assert list(Call.objects.open_now(inside)) == [calls_draft]
    assert not Call.objects.open_now(paris(2027, 1, 15, 12)).exists()
    assert list(Call.objects.past_deadline(paris(2027, 1, 15, 12))) == [calls_draft]
    assert list(Call.objects.visible()) == [calls_draft]
    calls_draft.refresh_from_db()
    assert str(calls_draft) == "Appel à projets 2027 (ouvert)"


def test_call_is_accepting_one_second_around_the_deadline(calls_draft):
    calls_draft.status = CallStatus.OPEN
    deadline = paris(2027, 1, 15, 12)
    assert call_is_accepting(calls_draft, deadline - timedelta(seconds=1))
    assert not call_is_accepting(calls_draft, deadline)
    assert not call_is_accepting(calls_draft, deadline + timedelta(seconds=1))
    assert not call_is_accepting(calls_draft, paris(2026, 10, 1, 8, 59, 59))
    assert call_is_accepting(calls_draft, paris(2026, 10, 1, 9))
    calls_draft.status = CallStatus.DRAFT
    assert not call_is_accepting(calls_draft, deadline - timedelta(seconds=1))


def test_call_is_accepting_around_the_dst_change(calls_draft):
    """Summer time ends on 25 Oct 2026 at 3:00 (→ 2:00): a deadline at 2:30 Paris happens twice; the first
    occurrence (fold=0, UTC+2) is the one the staff typed."""
    from datetime import datetime

    deadline = paris(2026, 10, 25, 2, 30)
    assert deadline.utcoffset() == timedelta(hours=2)
    calls_draft.status = CallStatus.OPEN
    calls_draft.closes_at = deadline
    assert call_is_accepting(calls_draft, datetime(2026, 10, 25, 0, 29, 59, tzinfo=UTC))
    assert not call_is_accepting(calls_draft, datetime(2026, 10, 25, 0, 30, 0, tzinfo=UTC))
    # One hour later, at 2:30 Paris in winter time, the call is long closed.
    assert not call_is_accepting(calls_draft, datetime(2026, 10, 25, 2, 30, tzinfo=PARIS).replace(fold=1))


def test_call_is_accepting_refuses_naive_datetimes(calls_draft):
    from datetime import datetime

    with pytest.raises(ValueError):
        call_is_accepting(calls_draft, datetime(2026, 12, 1, 10))
