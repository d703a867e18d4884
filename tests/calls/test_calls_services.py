from datetime import timedelta
from decimal import Decimal

import pytest
from calls_helpers import SIRET_AGGLO, SIRET_STATE, paris
from django.core.exceptions import ValidationError
from django.core.management import call_command

from quartiers.calls import services
from quartiers.calls.models import Call, CallFunder, CallStatus, CallTransition, Funder
from quartiers.calls.services import FunderLine

NOW = paris(2026, 9, 15, 10)


def _fields(version, **overrides):
    fields = dict(framework_version=version, slug="ales-2027", title="Appel à projets 2027", year=2027,
                  opens_at=paris(2026, 10, 1, 9), closes_at=paris(2027, 1, 15, 12),
                  required_documents=["statutes", "bank_details"])
    return {**fields, **overrides}


LINES = [FunderLine("etat_bop147", "Préfecture du Gard", "173 000 019 00013", Decimal("120000")),
         FunderLine("epci", "Alès Agglomération", SIRET_AGGLO, Decimal("80000"))]


def test_call_create_with_funders_defaults_to_the_version_neighbourhoods(calls_version, staff_user):
    call = services.call_create(contract=calls_version.contract, by=staff_user, funders=LINES,
                                **_fields(calls_version))
    assert call.status == CallStatus.DRAFT
    assert sorted(call.neighbourhoods.values_list("code", flat=True)) == ["QN03001I", "QN03002M"]
    assert [(cf.funder.kind, cf.funder.siret, cf.envelope) for cf in call.call_funders.order_by("envelope")] == [
        ("epci", SIRET_AGGLO, Decimal("80000")), ("etat_bop147", SIRET_STATE, Decimal("120000"))]
    assert call.transitions.get().to_status == CallStatus.DRAFT


def test_call_create_refuses_an_unpublished_version(calls_contract):
    from calls_helpers import CALLS_FRAMEWORK

    from quartiers.engine.framework import framework_from_dict
    from quartiers.frameworks.services import framework_store

    draft = framework_store(contract=calls_contract, framework=framework_from_dict(CALLS_FRAMEWORK),
                            source_name="a.txt", source_bytes=b"a", source_text="a")
    with pytest.raises(ValidationError) as excinfo:
        services.call_create(contract=calls_contract, **_fields(draft))
    assert "n'est pas publiée" in excinfo.value.message_dict["framework_version"][0]
    assert not Call.objects.exists()


def test_call_create_with_a_bad_siret_saves_nothing(calls_version):
    lines = [LINES[0], FunderLine("commune", "Ville d'Alès", "21300007000011", Decimal("1000"))]
    with pytest.raises(ValidationError) as excinfo:
        services.call_create(contract=calls_version.contract, funders=lines, **_fields(calls_version))
    assert "clé de contrôle" in excinfo.value.message_dict["funders-1-siret"][0]
    assert not Call.objects.exists() and not Funder.objects.exists()


def test_call_create_refuses_closing_before_opening_and_negative_envelopes(calls_version):
    with pytest.raises(ValidationError) as excinfo:
        services.call_create(contract=calls_version.contract,
                             **_fields(calls_version, closes_at=paris(2026, 9, 30, 9)))
    assert "closes_at" in excinfo.value.message_dict
    lines = [FunderLine("etat_bop147", "Préfecture du Gard", SIRET_STATE, Decimal("-5"))]
    with pytest.raises(ValidationError) as excinfo:
        services.call_create(contract=calls_version.contract, funders=lines, **_fields(calls_version))
    assert "négative" in excinfo.value.message_dict["funders-0-envelope"][0]
    assert not Call.objects.exists()


def test_call_update_replaces_funders_in_draft(calls_ready):
    services.call_update(call=calls_ready, funders=LINES[1:], title="Appel 2027 (version 2)")
    calls_ready.refresh_from_db()
    assert calls_ready.title == "Appel 2027 (version 2)"
    assert list(calls_ready.call_funders.values_list("funder__kind", "envelope")) == [("epci", Decimal("80000"))]
    assert Funder.objects.count() == 2  # the funder stays in the contract


def test_open_call_only_extends_its_deadline(calls_ready, staff_user):
    services.call_open(call=calls_ready, by=staff_user, now=NOW)
    later = paris(2027, 1, 31, 12)
    with pytest.raises(ValidationError) as excinfo:
        services.call_update(call=calls_ready, title="Autre titre")
    assert "seules ses dates peuvent encore être élargies" in excinfo.value.message_dict["title"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.call_update(call=calls_ready, opens_at=paris(2026, 10, 2, 9))
    assert "pas retardée" in excinfo.value.message_dict["opens_at"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.call_update(call=calls_ready, closes_at=paris(2027, 1, 10, 12))
    assert "pas avancée" in excinfo.value.message_dict["closes_at"][0]
    with pytest.raises(ValidationError):
        services.call_funder_set(call=calls_ready, funder=Funder.objects.first(), envelope=Decimal(1))
    # Sending back the same values with a later deadline is an extension.
    services.call_update(call=calls_ready, title=calls_ready.title, closes_at=later)
    calls_ready.refresh_from_db()
    assert calls_ready.closes_at == later
    assert calls_ready.transitions.last().why == "Clôture repoussée au 31/01/2027 12:00"
    services.call_update(call=calls_ready, opens_at=paris(2026, 9, 20, 9))
    assert calls_ready.transitions.last().why == "Ouverture avancée au 20/09/2026 09:00"


def test_open_refusals_name_every_problem(calls_draft):
    with pytest.raises(ValidationError) as excinfo:
        services.call_open(call=calls_draft, now=paris(2027, 2, 1))
    message = excinfo.value.messages[0]
    assert "aucun financeur n'a d'enveloppe" in message
    assert "la date de clôture est déjà passée" in message
    calls_draft.refresh_from_db()
    assert calls_draft.status == CallStatus.DRAFT
    assert not calls_draft.transitions.exists()


def test_open_then_close_records_transitions_and_refuses_other_moves(calls_ready, staff_user):
    services.call_open(call=calls_ready, by=staff_user, now=NOW, why="Lancement")
    with pytest.raises(ValidationError) as excinfo:
        services.call_open(call=calls_ready, now=NOW)
    assert "de « Ouvert » à « Ouvert »" in excinfo.value.messages[0]
    services.call_close(call=calls_ready, by=staff_user)
    with pytest.raises(ValidationError):
        services.call_close(call=calls_ready)
    with pytest.raises(ValidationError) as excinfo:
        services.call_update(call=calls_ready, title="Trop tard")
    assert "clos" in excinfo.value.messages[0]
    moves = list(CallTransition.objects.filter(call=calls_ready).values_list("from_status", "to_status", "by", "why"))
    assert moves == [("draft", "open", staff_user.pk, "Lancement"), ("open", "closed", staff_user.pk, "")]


def test_funder_create_refuses_duplicates_in_french(calls_funders):
    state = calls_funders[0]
    with pytest.raises(ValidationError) as excinfo:
        services.funder_create(contract=state.contract, kind=state.kind, name="Doublon", siret=SIRET_STATE)
    assert excinfo.value.messages


def test_call_funder_set_and_remove(calls_draft, calls_funders):
    cf = services.call_funder_set(call=calls_draft, funder=calls_funders[0], envelope=Decimal("10"))
    assert cf.envelope == Decimal("10")
    services.call_funder_set(call=calls_draft, funder=calls_funders[0], envelope=Decimal("20"))
    assert CallFunder.objects.get().envelope == Decimal("20")
    with pytest.raises(ValidationError):
        services.call_funder_set(call=calls_draft, funder=calls_funders[0], envelope=Decimal("-1"))
    services.call_funder_set(call=calls_draft, funder=calls_funders[0], envelope=None)
    assert not CallFunder.objects.exists()


def test_close_calls_command_closes_only_calls_past_their_deadline(calls_ready, capsys):
    services.call_open(call=calls_ready, now=NOW)
    call_command("close_calls", "--now", "2027-01-15T11:59:59+01:00")
    calls_ready.refresh_from_db()
    assert calls_ready.status == CallStatus.OPEN
    call_command("close_calls", "--now", "2027-01-15T12:00:00+01:00")
    calls_ready.refresh_from_db()
    assert calls_ready.status == CallStatus.CLOSED
    last = calls_ready.transitions.last()
    assert (last.from_status, last.to_status, last.by, last.why) == ("open", "closed", None,
                                                                     "Date limite de dépôt atteinte")
    assert "1 appel(s) clos." in capsys.readouterr().out
    call_command("close_calls", "--now", "2027-01-15T12:00:01+01:00")
    assert calls_ready.transitions.count() == 2  # draft → open, open → closed: nothing closed twice


def test_close_calls_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Date invalide"):
        call_command("close_calls", "--now", "demain")


def test_deadline_one_second_either_side_with_the_service(calls_ready):
    services.call_open(call=calls_ready, now=NOW)
    assert Call.objects.open_now(calls_ready.closes_at - timedelta(seconds=1)).exists()
    assert not Call.objects.open_now(calls_ready.closes_at).exists()


def test_unknown_rule_codes_and_documents_are_refused_by_the_service(calls_version):
    with pytest.raises(ValidationError) as excinfo:
        services.call_create(contract=calls_version.contract,
                             **_fields(calls_version, rule_settings={"NOT_A_RULE": {"enabled": False}},
                                       required_documents=["passport"]))
    assert excinfo.value.message_dict["rule_settings"] == ["Code de règle inconnu : NOT_A_RULE."]
    assert excinfo.value.message_dict["required_documents"] == ["Type de pièce inconnu : passport."]
    assert not Call.objects.exists()


def test_neighbourhoods_outside_the_version_are_refused(calls_version):
    from quartiers.territories.models import Neighbourhood
    from quartiers.territories.services import neighbourhoods_load

    neighbourhoods_load(codes=["QN03014M"], contract=calls_version.contract, short_names={"QN03014M": "Saint-Ambroix"})
    outside = Neighbourhood.objects.get(code="QN03014M")
    with pytest.raises(ValidationError) as excinfo:
        services.call_create(contract=calls_version.contract, neighbourhoods=[outside], **_fields(calls_version))
    assert "Saint-Ambroix" in excinfo.value.message_dict["neighbourhoods"][0]
    assert not Call.objects.exists()
