"""What the applicant sees of the review on their application's page: requests for information to answer, and
the decisions once notified. Each panel is its own template, rendered with the application and the user."""

from django import template

from quartiers.applications.models import Application, Status
from quartiers.reviews.models import Decision
from quartiers.reviews.perms import can_answer_info

register = template.Library()


@register.inclusion_tag("reviews/applicant/_info_requests.html", takes_context=True)
def applicant_info_requests(context, application):
    request = context.get("request")
    return {"application": application, "request": request, "info_requests": list(application.info_requests.all()),
            "can_answer": request is not None and can_answer_info(request.user, application)}


@register.inclusion_tag("reviews/applicant/_decisions.html", takes_context=True)
def applicant_decisions(context, application):
    return {"application": application, "request": context.get("request"),
            "decisions": [d for d in application.decisions.select_related("funder") if d.notified_at]}


# --- the status the applicant reads ------------------------------------------------------------------------------
# « votée » / « refusée » say what the committee decided: the applicant reads them once every decision is notified
# (the e-mail and the letter), « en cours d'instruction » until then; the history hides the moves to and from them.

DECISION_STATUSES = (Status.DECIDED, Status.REFUSED)
UNDER_REVIEW = "en cours d'instruction"


def unnotified_application_ids(applications) -> set[int]:
    """The ids, among ``applications`` (one or many), of the decided/refused ones with a decision not notified yet;
    one query whatever their number, none when no application is decided or refused."""
    if isinstance(applications, Application):
        applications = [applications]
    ids = [a.pk for a in applications or () if a.status in DECISION_STATUSES]
    if not ids:
        return set()
    return set(Decision.objects.filter(application__in=ids, notified_at__isnull=True)
               .values_list("application_id", flat=True).distinct())


def applicant_status_label(application, unnotified: set[int]) -> str:
    """The status as the applicant reads it: « en cours d'instruction » while a decision is not notified."""
    if application.status in DECISION_STATUSES and application.pk in unnotified:
        return UNDER_REVIEW
    return application.get_status_display()


@register.simple_tag
def applicant_unnotified(applications) -> set[int]:
    """``{% applicant_unnotified applications as unnotified %}``: see ``unnotified_application_ids`` (``None`` for
    a reader who sees the real status: nothing is hidden)."""
    return unnotified_application_ids(applications)


@register.filter
def applicant_status(application, unnotified) -> str:
    """``{{ application|applicant_status:unnotified }}``: see ``applicant_status_label``."""
    return applicant_status_label(application, unnotified or set())


@register.filter
def applicant_transitions(transitions, unnotified) -> list:
    """``{{ transitions|applicant_transitions:unnotified }}``: the history without the moves to and from « votée » /
    « refusée » of an application whose decisions are not all notified yet."""
    unnotified = unnotified or set()
    return [t for t in transitions if t.application_id not in unnotified
            or (t.to_status not in DECISION_STATUSES and t.from_status not in DECISION_STATUSES)]
