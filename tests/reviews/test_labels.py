"""Confirmed matches kept as labelled data: the export and the engine's agreement with the reviewers."""

import json

import pytest
from django.core.management import CommandError, call_command

from quartiers.calls.models import Call
from quartiers.reviews.models import ConfirmedMatch
from quartiers.reviews.review.labels import engine_agreement, labelled_cases
from tests.factories import ApplicationFactory, CallFactory, ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(settings):
    """The call « ales-2027 » with four applications whose objective a reviewer confirmed (two instruites, one
    votée, one refusée) and a submitted one, not yet confirmed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call = CallFactory(contract=ContractFactory(slug="ales"), slug="ales-2027")
    for trait in ("reviewed", "reviewed", "decided", "refused", "submitted"):
        ApplicationFactory(call=call, **{trait: True})
    return call


def test_every_confirmed_match_of_the_call_is_a_labelled_case(confirmed):
    call = Call.objects.get(slug="ales-2027")
    cases = labelled_cases(call)
    confirmed = ConfirmedMatch.objects.filter(application__call=call, is_primary=True)
    assert len(cases) == confirmed.count() > 0
    by_id = {c["id"]: c for c in cases}
    row = confirmed.select_related("application", "objective").first()
    case = by_id[row.application.reference]
    assert case["neighbourhood"] == row.neighbourhood_code
    assert case["title"] == row.application.title
    assert case["gold"]["objective_key"] == row.objective_key
    assert case["gold"]["objective"] == row.objective.text
    assert row.application.content["description"] in case["description"]


def test_agreement_counts_the_engine_ranks_recorded_at_confirmation(confirmed):
    call = Call.objects.get(slug="ales-2027")
    rows = list(ConfirmedMatch.objects.filter(application__call=call, is_primary=True).order_by("pk"))
    assert len(rows) >= 3
    ranks = [1, 2, 5] + [None] * (len(rows) - 3)  # None: chosen in the full list, not among the suggestions
    for row, rank in zip(rows, ranks, strict=True):
        row.suggested_rank = rank
        row.save()
    a = engine_agreement(call)
    assert (a.confirmed, a.suggested, a.first, a.top3) == (len(rows), 3, 1, 2)
    assert a.first_share == pytest.approx(1 / 3)


def test_command_writes_jsonl_and_says_how_often_the_engine_was_right(confirmed, tmp_path, capsys):
    out = tmp_path / "labels.jsonl"
    call_command("export_labels", "--call", "ales-2027", "-o", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(line)["gold"]["objective_key"] for line in lines)
    assert "rattachement(s) confirmé(s)" in capsys.readouterr().err


def test_command_names_an_unknown_call_in_french(db, tmp_path):
    with pytest.raises(CommandError, match="Appel à projets inconnu : « nulle-part »"):
        call_command("export_labels", "--call", "nulle-part", "-o", str(tmp_path / "x.jsonl"))
