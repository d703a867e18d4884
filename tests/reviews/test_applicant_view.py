"""``applications.applicant_view``: the applicant's pages read the review side through the reader it registers,
without importing it (the layers: reviews > applications)."""

import pytest

from quartiers.applications import applicant_view as av
from quartiers.applications.models import Status
from quartiers.reviews.applicant.selectors import REVIEW_SIDE
from quartiers.reviews.committee.services import decisions_notify
from tests.reviews.test_committee_data import fast_password_hasher, world  # noqa: F401
from tests.reviews.test_letter import decided  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_review_side_is_registered_when_django_starts():
    assert av._review_side == [REVIEW_SIDE]


def test_decisions_stay_undisclosed_until_notified(decided):  # noqa: F811
    w = decided
    w.anduze.refresh_from_db()
    view = av.applicant_view(w.anduze, w.applicant)
    assert w.anduze.status in (Status.DECIDED, Status.REFUSED)
    assert view.status_label == "en cours d'instruction" and view.decisions == []
    assert all(Status.DECIDED not in (t.to_status, t.from_status) for t in view.transitions)
    assert dict((a.pk, label) for a, label in av.applicant_statuses([w.anduze]))[w.anduze.pk] == view.status_label
    decisions_notify(application=w.anduze, by=w.lead)
    view = av.applicant_view(w.anduze, w.applicant)
    assert view.status_label == w.anduze.get_status_display()
    assert {d.funder_id for d in view.decisions} == {d.funder_id for d in w.anduze.decisions.all()}
    assert any(t.to_status == w.anduze.status for t in view.transitions)


def test_without_a_review_side_the_status_and_every_move_are_read_as_they_are(decided, monkeypatch):  # noqa: F811
    w = decided
    monkeypatch.setattr(av, "_review_side", [])
    view = av.applicant_view(w.anduze, w.applicant)
    assert view.status_label == w.anduze.get_status_display() and view.decisions == [] and not view.can_answer_info
    assert [t.pk for t in view.transitions] == list(w.anduze.transitions.values_list("pk", flat=True))


def test_the_statuses_of_many_applications_take_one_query(decided, django_assert_num_queries):  # noqa: F811
    w = decided
    applications = list(w.anduze.call.applications.all())
    with django_assert_num_queries(1):
        rows = av.applicant_statuses(applications)
    assert len(rows) == len(applications)
