"""Background jobs on the real database queue: e-mails enqueued after the commit and sent by `quartiers worker`,
retried against a real (local) SMTP server that drops the connection, given up when nothing listens; the periodic
jobs (closing the calls past their deadline, the reminders 7 days and 1 day before it); the matcher warm-up."""

import io
import logging
import socket
import socketserver
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from quartiers.applications.models import DeadlineReminder, ReminderKind
from quartiers.applications.services import deadline_reminders_send
from quartiers.calls.models import Call, CallStatus
from quartiers.common.tasks import mail_enqueue_on_commit, mail_is_transient, mail_retry_delay
from quartiers.core.management.commands.worker import periodic_jobs_run
from tests.factories import ApplicationFactory, CallFactory, administrator_of

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queue(settings):
    """The database backend, as in production; jobs wait in the task table until the worker runs them."""
    settings.TASKS = DATABASE_QUEUE
    settings.MAIL_RETRY_BASE_SECONDS = 0  # retries are due at once, so that one `worker --batch` runs them all
    return settings


def run_worker() -> str:
    out = io.StringIO()
    call_command("worker", "--batch", "--interval", "0", verbosity=0, stdout=out)
    return out.getvalue()


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to receive one message (RFC 5321: greeting, EHLO, MAIL, RCPT, DATA, QUIT)."""

    def handle(self):
        server = self.server
        server.connections += 1
        if server.connections <= server.drop_first:
            return  # accept and close at once: the client reads no greeting (SMTPServerDisconnected)
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                server.messages.append(data)
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server(queue):
    """A real SMTP server on the loopback that drops the first two connections, then accepts."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPHandler)
    server.daemon_threads = True
    server.connections, server.drop_first, server.messages = 0, 2, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    queue.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    queue.EMAIL_HOST, queue.EMAIL_PORT, queue.EMAIL_TIMEOUT = "127.0.0.1", server.server_address[1], 5
    queue.EMAIL_USE_TLS = queue.EMAIL_USE_SSL = False
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.mark.django_db(transaction=True)
def test_an_email_waits_for_the_commit_then_the_worker_sends_it(queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_enqueue_on_commit(subject="Jamais", body="Annulé avec la transaction.", recipients=["a@example.org"])
        raise RuntimeError("rolled back")
    assert not DBTaskResult.objects.exists()  # a rolled-back change enqueues nothing
    with transaction.atomic():
        mail_enqueue_on_commit(subject="Récépissé", body="Votre demande est déposée.", recipients=["a@example.org"])
        assert not DBTaskResult.objects.exists()  # not before the commit
    [job] = DBTaskResult.objects.all()
    assert job.status == "READY" and job.args_kwargs["kwargs"]["recipients"] == ["a@example.org"]
    assert mail.outbox == []  # queued, not sent: the web request does not wait for the SMTP server
    run_worker()
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    [message] = mail.outbox
    assert message.subject == "Récépissé" and message.to == ["a@example.org"]


@pytest.mark.django_db(transaction=True)
def test_a_dropped_smtp_connection_is_retried_until_the_message_leaves(smtp_server):
    mail_enqueue_on_commit(subject="Demande de compléments", body="Merci de préciser le budget.",
                           recipients=["porteur@example.org"])
    run_worker()
    jobs = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [j.status for j in jobs] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert [j.args_kwargs["kwargs"].get("attempt", 1) for j in jobs] == [1, 2, 3]
    assert jobs[0].exception_class_path == "smtplib.SMTPServerDisconnected"
    assert smtp_server.connections == 3
    [message] = smtp_server.messages
    assert b"Subject: =?utf-8?q?Demande_de_compl=C3=A9ments?=" in message and b"porteur@example.org" in message


@pytest.mark.django_db(transaction=True)
def test_a_mail_nobody_receives_is_given_up_after_the_last_attempt_and_kept(queue, caplog):
    with socket.socket() as probe:  # a port nothing listens on: every connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    queue.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    queue.EMAIL_HOST, queue.EMAIL_PORT, queue.MAIL_MAX_ATTEMPTS = "127.0.0.1", port, 3
    mail_enqueue_on_commit(subject="Invitation", body="Rejoignez la structure.", recipients=["b@example.org"])
    with caplog.at_level(logging.WARNING, logger="quartiers.mail"):
        run_worker()
    jobs = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [j.status for j in jobs] == ["FAILED"] * 3  # bounded: three attempts, then no more
    assert jobs[-1].exception_class_path == "quartiers.common.tasks.MailGivenUp"
    assert jobs[-1].args_kwargs["kwargs"]["body"] == "Rejoignez la structure."  # nothing lost: the message is kept
    given_up = [r for r in caplog.records if r.levelno == logging.ERROR and "given up" in r.getMessage()]
    assert len(given_up) == 1 and "b@example.org" in given_up[0].getMessage()


def test_retry_delays_grow_and_permanent_refusals_are_not_retried(settings):
    import smtplib

    settings.MAIL_RETRY_BASE_SECONDS = 30
    assert [mail_retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 120, 480, 1920]
    assert mail_is_transient(ConnectionRefusedError()) and mail_is_transient(smtplib.SMTPServerDisconnected())
    assert mail_is_transient(smtplib.SMTPDataError(451, b"try again later"))
    assert not mail_is_transient(smtplib.SMTPDataError(554, b"rejected"))
    assert not mail_is_transient(smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")}))


def test_the_worker_refuses_to_run_without_the_database_queue(settings):
    with pytest.raises(CommandError, match="TASKS_BACKEND=database"):
        call_command("worker", "--batch")


@pytest.mark.django_db
def test_the_periodic_jobs_close_the_calls_past_their_deadline():
    call = CallFactory()
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    outcomes = periodic_jobs_run()
    assert outcomes["close_calls_task"] == [call.slug]
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED
    assert call.transitions.filter(to_status=CallStatus.CLOSED, why="Date limite de dépôt atteinte").exists()
    assert periodic_jobs_run()["close_calls_task"] == []  # idempotent


@pytest.mark.django_db
def test_reminders_leave_7_days_then_1_day_before_the_deadline_once_each(django_capture_on_commit_callbacks,
                                                                           settings):
    settings.SITE_URL = "https://quartiers.example.fr"
    call = CallFactory()
    draft = ApplicationFactory(call=call, title="Les soirées du local jeunes")
    ApplicationFactory(call=call, submitted=True)  # deposited: no reminder
    closes = timezone.now() + timedelta(days=6, hours=23)
    Call.objects.filter(pk=call.pk).update(closes_at=closes)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_send(now=closes - timedelta(days=8)) == []  # too early
        [week] = deadline_reminders_send()
        assert deadline_reminders_send() == []  # once
    assert week.kind == ReminderKind.WEEK and week.application == draft
    [message] = mail.outbox
    assert message.to == [administrator_of(draft.organisation).email]
    assert call.title in message.subject and "se clôt dans 7 jours" in message.subject
    local = timezone.localtime(closes)
    assert f"{local:%H:%M}" in message.body and str(local.year) in message.body
    assert "Il reste 7 jours avant la date limite de dépôt" in message.body
    assert f"https://quartiers.example.fr/demandes/{draft.pk}/" in message.body
    assert "« Les soirées du local jeunes »" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        [day] = deadline_reminders_send(now=closes - timedelta(hours=20))
        assert deadline_reminders_send(now=closes - timedelta(hours=2)) == []
        assert deadline_reminders_send(now=closes + timedelta(minutes=1)) == []  # closed
    assert day.kind == ReminderKind.DAY
    assert "se clôt demain" in mail.outbox[1].subject and "C'est demain la date limite" in mail.outbox[1].body
    assert DeadlineReminder.objects.filter(application=draft).count() == 2 and len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_draft_met_on_the_last_day_gets_only_the_last_reminder(django_capture_on_commit_callbacks):
    call = CallFactory()
    draft = ApplicationFactory(call=call)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() + timedelta(hours=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert [r.kind for r in deadline_reminders_send()] == [ReminderKind.DAY]
        assert periodic_jobs_run()["deadline_reminders_task"] == 0
    assert list(DeadlineReminder.objects.filter(application=draft).values_list("kind", flat=True)) == ["1d"]
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_publishing_a_version_enqueues_the_warm_up_that_the_worker_runs(queue):
    from quartiers.frameworks import matching
    from tests.factories import ContractFactory, PublishedVersionFactory

    version = PublishedVersionFactory(contract=ContractFactory())
    [job] = DBTaskResult.objects.filter(task_path="quartiers.frameworks.tasks.warm_matcher_task")
    assert job.args_kwargs["kwargs"] == {"version_id": version.pk}
    matching._MATCHERS.pop(version.pk, None)
    run_worker()
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL" and job.return_value is True
    assert version.pk in matching._MATCHERS  # this process (the worker's) now has it


@pytest.mark.django_db(transaction=True)
def test_a_web_process_warms_the_latest_published_versions_at_start():
    from quartiers.core.management.commands.serve import warm_published_matchers
    from quartiers.frameworks import matching
    from tests.factories import NIMES_QPVS, ContractFactory, PublishedVersionFactory

    older = PublishedVersionFactory(contract=ContractFactory())
    newer = PublishedVersionFactory(contract=ContractFactory(qpvs=NIMES_QPVS))
    for version in (older, newer):
        matching._MATCHERS.pop(version.pk, None)
    warmed = []
    thread = threading.Thread(target=lambda: warmed.append(warm_published_matchers(1)))  # as after gunicorn's fork
    thread.start()
    thread.join(120)
    assert warmed == [1]  # bounded: only the most recently published one
    assert newer.pk in matching._MATCHERS and older.pk not in matching._MATCHERS
