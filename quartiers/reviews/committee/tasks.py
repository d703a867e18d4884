"""The decision e-mail as a job of the task queue: retried like every e-mail (``quartiers.common.tasks``); when it
is given up, its decisions go back to « not notified », so that « Notifier le porteur » sends it again and the
applicant does not read a decision no one told them."""

from django.utils.dateparse import parse_datetime
from django_tasks import task

from quartiers.common.tasks import MailGivenUp, mail_deliver
from quartiers.reviews.models import Decision


@task()
def send_decision_mail_task(*, subject: str, body: str, recipients: list[str], decision_ids: list[int], stamp: str,
                            from_email: str | None = None, attempt: int = 1) -> int:
    try:
        return mail_deliver(send_decision_mail_task, subject=subject, body=body, recipients=recipients,
                            from_email=from_email, attempt=attempt, decision_ids=decision_ids, stamp=stamp)
    except MailGivenUp:
        Decision.objects.filter(pk__in=decision_ids, notified_at=parse_datetime(stamp)).update(notified_at=None)
        raise
