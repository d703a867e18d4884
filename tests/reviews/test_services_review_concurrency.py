"""Two reviewers save the same assessment at the same instant from the same version: one save, one clear refusal
naming the other person, nothing overwritten (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection, connections

from quartiers.reviews.models import Assessment, Opinion
from quartiers.reviews.review.services import AssessmentConflict, admissibility_set, assessment_save
from tests.reviews.test_review_support import *  # noqa: F403 - the fixtures (call, organisation, roles, submitted…)
from tests.reviews.test_review_support import funder_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_saves_of_one_version_give_one_save_and_one_refusal(submitted, roles, call):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are only real on PostgreSQL")
    admissibility_set(application=submitted, user=roles["lead"], admissible=True)
    etat = funder_of(call, "etat_bop147")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def reviewer(name, opinion):
        try:
            barrier.wait()
            assessment_save(application=submitted, funder=etat, user=roles[name], version=0, opinion=opinion,
                            comment=f"avis de {name}")
            outcomes[name] = "saved"
        except AssessmentConflict as exc:
            outcomes[name] = str(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reviewer, args=("reviewer", Opinion.FAVOURABLE)),
               threading.Thread(target=reviewer, args=("reviewer_etat", Opinion.UNFAVOURABLE))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(v == "saved" for v in outcomes.values()) == [False, True]
    winner = next(k for k, v in outcomes.items() if v == "saved")
    loser_message = next(v for v in outcomes.values() if v != "saved")
    row = Assessment.objects.get(application=submitted, funder=etat)
    assert row.version == 1 and row.comment == f"avis de {winner}" and row.updated_by == roles[winner]
    assert f"Cet avis a été modifié par {roles[winner].get_full_name()} à " in loser_message
