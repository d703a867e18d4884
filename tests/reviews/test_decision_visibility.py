"""Decisions do not leak before the applicant is notified: transitions name the session only (the amounts and the
corrections go to the review history), and the applicant reads « en cours d'instruction » on the receipt and the
dashboard, without the moves to « votée » / « refusée » in the history, until the decisions are notified."""

import pytest
from django.urls import reverse

from quartiers.applications.models import Application, Status
from quartiers.reviews.committee.services import decision_record, decisions_notify
from quartiers.reviews.models import Outcome, ReviewEvent
from tests.reviews.test_committee_data import fast_password_hasher, world  # noqa: F401
from tests.reviews.test_letter import decided  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrected(decided):  # noqa: F811
    """Anduze (granted 24 000 € by the State, refused by the agglomération): the session corrects the State's
    decision to a refusal."""
    w = decided
    decision_record(session=w.session, application=w.anduze, funder=w.etat, by=w.lead, outcome=Outcome.REFUSED,
                    reason="Cofinancement non acquis.")
    w.anduze.refresh_from_db()
    assert w.anduze.status == Status.REFUSED
    return w


def _history(page: str) -> str:
    return page[page.index("Historique"):]


def test_transitions_name_the_session_only(corrected):
    w = corrected
    whys = set(w.anduze.transitions.filter(to_status__in=[Status.DECIDED, Status.REVIEWED, Status.REFUSED])
               .exclude(why="").values_list("why", flat=True))
    assert whys <= {f"décision du comité « {w.session} »", "décision corrigée en séance"}
    assert "décision corrigée en séance" in whys
    events = list(ReviewEvent.objects.filter(application=w.anduze, kind="decision").values_list("what", flat=True))
    assert len(events) == 3
    assert "avant : État – Préfecture du Gard (BOP 147) : accordée 24\u202f000\xa0€" in events[-1]


def test_receipt_says_under_review_until_notified(client, corrected):
    w = corrected
    client.force_login(w.applicant)
    url = reverse("applications:receipt", args=[w.anduze.pk])
    page = client.get(url).content.decode()
    assert "État : en cours d&#x27;instruction." in page
    history = _history(page)
    for text in ("refusée", "votée", "24\u202f000", "accordée", "décision corrigée", "décision du comité"):
        assert text not in history, text
    decisions_notify(application=w.anduze, by=w.lead)
    page = client.get(url).content.decode()
    assert "État : refusée." in page
    history = _history(page)
    assert "instruite → refusée" in history and "décision corrigée en séance" in history
    assert "24\u202f000" not in history and "accordée" not in history


def test_staff_reads_the_real_status(client, corrected, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("applications:staff_detail", args=[corrected.anduze.pk])).content.decode()
    assert "État : refusée." in page


def test_dashboard_badge_and_flat_queries(client, corrected, django_assert_max_num_queries):
    w = corrected
    client.force_login(w.applicant)
    url = reverse("applications:dashboard")
    page = client.get(url).content.decode()
    assert "en cours d&#x27;instruction</p>" in page and ">refusée</p>" not in page
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    # more decided applications of the same organisation: the same number of queries
    for i in range(4):
        Application.objects.create(call=w.call, organisation=w.anduze.organisation, title=f"Projet {i}",
                                   reference=f"ALES-2027-01{i:02d}", status=Status.REFUSED,
                                   submitted_at=w.anduze.submitted_at)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count(">refusée</p>") == 4  # no decision, nothing pending: their status as is
    decisions_notify(application=w.anduze, by=w.lead)
    assert client.get(url).content.decode().count(">refusée</p>") == 5
