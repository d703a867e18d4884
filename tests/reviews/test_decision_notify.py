"""Closing a session notifies the decisions of that session only, the e-mail lists only what the applicant may
read, and the e-mails leave after the commit: a rolled-back close sends nothing, a failed sending neither rolls
back the others nor passes its decisions as notified."""

from smtplib import SMTPRecipientsRefused

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import reverse

from quartiers.reviews.committee.services import agenda_add, decision_record, session_close
from quartiers.reviews.models import CommitteeSession, Decision, Outcome, SessionStatus
from tests.reviews.test_committee_data import fast_password_hasher, world  # noqa: F401

pytestmark = pytest.mark.django_db
REFUSED_ADDRESS = "rochebelle@example.org"


class RefusingBackend(EmailBackend):
    """The outbox of the tests, with an SMTP server that refuses one address (as a real one can)."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED_ADDRESS in message.to:
                raise SMTPRecipientsRefused({REFUSED_ADDRESS: (550, b"mailbox unavailable")})
        return super().send_messages(messages)


@pytest.fixture
def two_sessions(world):  # noqa: F811
    """Anduze: the State grants in the first session, the agglomération refuses in a second one, still open;
    Alès: the State refuses in the first session."""
    w = world
    agenda_add(session=w.session)
    decision_record(session=w.session, application=w.anduze, funder=w.etat, by=w.lead, outcome=Outcome.GRANTED,
                    amount="6000")
    decision_record(session=w.session, application=w.ales, funder=w.etat, by=w.lead, outcome=Outcome.REFUSED,
                    reason="Action hors des priorités du quartier.")
    w.other_session = CommitteeSession.objects.create(call=w.call, title="Comité complémentaire de mars 2027",
                                                      date=w.session.date.replace(month=3))
    agenda_add(session=w.other_session, application_ids=[w.anduze.pk])
    decision_record(session=w.other_session, application=w.anduze, funder=w.agglo, by=w.lead,
                    outcome=Outcome.REFUSED, reason="Enveloppe jeunesse déjà engagée.")
    return w


def test_closing_notifies_only_the_decisions_of_the_session(client, two_sessions,
                                                             django_capture_on_commit_callbacks):
    w = two_sessions
    client.force_login(w.lead)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("reviews:session_close", args=[w.session.pk]), follow=True)
    assert "2 porteur(s) de projet notifié(s) par courriel." in r.content.decode()
    assert Decision.objects.get(application=w.anduze, funder=w.etat).notified_at is not None
    assert Decision.objects.get(application=w.anduze, funder=w.agglo).notified_at is None  # other, open session
    [anduze_mail] = [m for m in mail.outbox if "ALES-2027-0002" in m.subject]
    assert "subvention accordée de 6\u202f000,00\xa0€" in anduze_mail.body
    assert "Alès Agglomération" not in anduze_mail.body and "Enveloppe jeunesse" not in anduze_mail.body
    # the applicant reads the notified decision only, and the status stays under review
    client.force_login(w.applicant)
    page = client.get(reverse("applications:receipt", args=[w.anduze.pk])).content.decode()
    assert "État : en cours d&#x27;instruction." in page and "Enveloppe jeunesse" not in page
    # closing the second session notifies the rest, with both decisions in the e-mail
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert session_close(session=w.other_session, by=w.lead) == 1
    [second] = mail.outbox
    assert "Alès Agglomération : demande refusée" in second.body and "6\u202f000,00" in second.body


def test_a_rolled_back_close_sends_nothing(two_sessions, django_capture_on_commit_callbacks):
    w = two_sessions
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            session_close(session=w.session, by=w.lead)
            raise RuntimeError("the database refused the commit")
    assert mail.outbox == []
    w.session.refresh_from_db()
    assert w.session.status == SessionStatus.OPEN
    assert not Decision.objects.filter(notified_at__isnull=False).exists()


def test_a_failed_email_does_not_undo_the_others(client, two_sessions, settings,
                                                 django_capture_on_commit_callbacks):
    w = two_sessions
    settings.EMAIL_BACKEND = "tests.reviews.test_decision_notify.RefusingBackend"
    client.force_login(w.lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("reviews:session_close", args=[w.session.pk])).status_code == 302
    w.session.refresh_from_db()
    assert w.session.status == SessionStatus.CLOSED
    assert [m.subject[-14:] for m in mail.outbox] == ["ALES-2027-0002"]  # Anduze's left, Alès's failed
    assert Decision.objects.get(application=w.anduze, funder=w.etat).notified_at is not None
    assert Decision.objects.get(application=w.ales).notified_at is None  # not told: to be notified again
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:notify", args=[w.ales.pk]))
    assert [m.subject[-14:] for m in mail.outbox] == ["ALES-2027-0002", "ALES-2027-0001"]
    assert Decision.objects.get(application=w.ales).notified_at is not None
