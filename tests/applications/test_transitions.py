"""``application_transition``: the one way an application changes status, allowed moves only, one row each."""

import pytest

from quartiers.applications.models import ALLOWED_TRANSITIONS, ApplicationTransition, Role, Status
from quartiers.applications.services import ApplicationError, application_create, application_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(call, organisation):
    return application_create(call=call, organisation=organisation,
                              user=organisation.memberships.get(role=Role.ADMINISTRATOR).user)


def test_an_allowed_move_sets_the_status_and_writes_one_row_with_who_and_why(draft, organisation):
    user = organisation.memberships.get(role=Role.SIGNATORY).user
    before = ApplicationTransition.objects.filter(application=draft).count()
    assert Status.SUBMITTED in ALLOWED_TRANSITIONS[Status.DRAFT]
    application_transition(application=draft, to=Status.SUBMITTED, by=user, why="dépôt par le porteur")
    assert draft.status == Status.SUBMITTED
    rows = list(ApplicationTransition.objects.filter(application=draft).order_by("pk"))
    assert len(rows) == before + 1
    last = rows[-1]
    assert (last.from_status, last.to_status, last.by, last.why) == (
        Status.DRAFT, Status.SUBMITTED, user, "dépôt par le porteur")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT  # the caller saves the instance with its other changes


def test_a_move_the_table_does_not_allow_is_refused_in_french_and_writes_nothing(draft, organisation):
    user = organisation.memberships.get(role=Role.SIGNATORY).user
    assert Status.DECIDED not in ALLOWED_TRANSITIONS[Status.DRAFT]
    before = ApplicationTransition.objects.filter(application=draft).count()
    with pytest.raises(ApplicationError) as exc:
        application_transition(application=draft, to=Status.DECIDED, by=user)
    assert str(exc.value) == (f"Cette demande ne peut pas passer de l'état « {Status.DRAFT.label} » à l'état "
                              f"« {Status.DECIDED.label} ».")
    assert draft.status == Status.DRAFT
    assert ApplicationTransition.objects.filter(application=draft).count() == before
