"""Jobs of the applications app: the reminders before a call's deadline (run every minute by ``quartiers
worker``'s scheduler)."""

from django_tasks import task

from quartiers.applications.services import deadline_reminders_send


@task()
def deadline_reminders_task() -> int:
    """Send the reminders due now (each once); returns how many left."""
    return len(deadline_reminders_send())
