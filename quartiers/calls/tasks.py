"""Jobs of the calls app: closing the open calls whose deadline has passed (run every minute by
``quartiers worker``'s scheduler; ``quartiers close-calls`` does the same once, from cron)."""

from django_tasks import task

from quartiers.calls.services import calls_close_past_deadline


@task()
def close_calls_task() -> list[str]:
    """Close the calls past their deadline; returns their slugs (idempotent)."""
    return [call.slug for call in calls_close_past_deadline()]
