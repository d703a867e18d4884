"""E-mail through the task queue: every message leaves after the commit of what it tells, in a job of its own,
retried with a growing delay while the SMTP server is unreachable, and given up (logged, the job kept as failed in
the task table with the whole message) after ``settings.MAIL_MAX_ATTEMPTS`` attempts or at once when the server
refuses the message for good (a 5xx answer).

    mail_enqueue_on_commit(subject=…, body=…, recipients=[…])   # instead of send_mail(…)

A higher layer that must undo something when a message is given up defines its own task around ``mail_deliver``
(see ``quartiers.reviews.committee.tasks``).
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task
from django_tasks.base import Task

logger = logging.getLogger("quartiers.mail")


class MailGivenUp(Exception):
    """The message was not sent and will not be tried again."""


def mail_is_transient(exc: BaseException) -> bool:
    """May the same message go through later? A refused connection, a timeout, a dropped connection or a 4xx
    answer may; a 5xx answer (unknown mailbox, refused sender, bad authentication) will not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, OSError)  # socket errors, timeouts, SMTPServerDisconnected


def mail_retry_delay(attempt: int) -> timedelta:
    """How long to wait after failed attempt number ``attempt`` (1-based): base × 4^(attempt-1)."""
    return timedelta(seconds=settings.MAIL_RETRY_BASE_SECONDS * 4 ** (attempt - 1))


def mail_deliver(this_task: Task, *, subject: str, body: str, recipients: list[str], from_email: str | None,
                 attempt: int, **extra) -> int:
    """Send one message; on a transient failure enqueue ``this_task`` again (attempt + 1, after a delay when the
    backend can defer) and re-raise, so that this attempt is recorded as failed; past the last attempt, or on a
    permanent refusal, log and raise ``MailGivenUp``. ``extra`` is passed on to the next attempt."""
    try:
        return send_mail(subject, body, from_email, recipients)
    except Exception as exc:
        where = f"« {subject} » to {', '.join(recipients)}"
        if mail_is_transient(exc) and attempt < settings.MAIL_MAX_ATTEMPTS:
            delay = mail_retry_delay(attempt)
            retry = this_task
            if default_task_backend.supports_defer:
                retry = this_task.using(run_after=timezone.now() + delay)
            logger.warning("E-mail %s: attempt %d/%d failed (%s: %s), next attempt in %d s.", where, attempt,
                           settings.MAIL_MAX_ATTEMPTS, type(exc).__name__, exc, delay.total_seconds())
            retry.enqueue(subject=subject, body=body, recipients=recipients, from_email=from_email,
                          attempt=attempt + 1, **extra)
            raise
        logger.error("E-mail %s given up after %d attempt(s) (%s: %s); the message is kept in the failed task.",
                     where, attempt, type(exc).__name__, exc)
        raise MailGivenUp(f"{where}: {type(exc).__name__}: {exc}") from exc


@task()
def send_mail_task(*, subject: str, body: str, recipients: list[str], from_email: str | None = None,
                   attempt: int = 1) -> int:
    """Send one e-mail (see ``mail_deliver``); returns the number of messages sent (1)."""
    return mail_deliver(send_mail_task, subject=subject, body=body, recipients=recipients, from_email=from_email,
                        attempt=attempt)


def mail_enqueue_on_commit(*, subject: str, body: str, recipients: list[str], from_email: str | None = None,
                           mail_task: Task | None = None, **extra) -> None:
    """Enqueue the sending of one e-mail once the current transaction commits (at once outside a transaction):
    a rolled-back change sends nothing. ``mail_task`` (default ``send_mail_task``) receives ``extra`` too."""
    if not recipients:
        return
    kwargs = {"subject": subject, "body": body, "recipients": list(recipients), "from_email": from_email, **extra}
    chosen = mail_task or send_mail_task
    transaction.on_commit(lambda: chosen.enqueue(**kwargs), robust=True)
