"""What the applicant reads of the review (registered with ``applications.applicant_view`` when Django starts).

« votée » / « refusée » say what the committee decided: the applicant reads them once every decision is notified
(the e-mail and the letter), « en cours d'instruction » until then; the history hides the moves to and from them.
"""

from __future__ import annotations

from collections.abc import Sequence

from quartiers.applications.applicant_view import ApplicantView, ReviewSide
from quartiers.applications.models import Application
from quartiers.reviews.models import Decision
from quartiers.reviews.perms import DECISION_STATUSES, can_answer_info

UNDER_REVIEW = "en cours d'instruction"


def unnotified_application_ids(applications: Sequence[Application]) -> set[int]:
    """The ids, among ``applications``, of the decided/refused ones with a decision not notified yet; one query
    whatever their number, none when no application is decided or refused."""
    ids = [a.pk for a in applications if a.status in DECISION_STATUSES]
    if not ids:
        return set()
    return set(Decision.objects.filter(application__in=ids, notified_at__isnull=True)
               .values_list("application_id", flat=True).distinct())


def _label(application: Application, unnotified: set[int]) -> str:
    if application.status in DECISION_STATUSES and application.pk in unnotified:
        return UNDER_REVIEW
    return application.get_status_display()


def status_labels(applications: Sequence[Application]) -> dict[int, str]:
    """The status of each application as its applicant reads it."""
    unnotified = unnotified_application_ids(applications)
    return {a.pk: _label(a, unnotified) for a in applications}


def applicant_view(application: Application, reader) -> ApplicantView:
    """The receipt's review part: the status and history without undisclosed decisions, the notified decisions,
    the requests for information and whether ``reader`` may answer them."""
    unnotified = unnotified_application_ids([application])
    transitions = [t for t in application.transitions.select_related("by")
                   if application.pk not in unnotified
                   or (t.to_status not in DECISION_STATUSES and t.from_status not in DECISION_STATUSES)]
    return ApplicantView(
        status_label=_label(application, unnotified), transitions=transitions,
        decisions=[d for d in application.decisions.select_related("funder") if d.notified_at],
        info_requests=list(application.info_requests.all()),
        can_answer_info=can_answer_info(reader, application))


REVIEW_SIDE = ReviewSide(view=applicant_view, status_labels=status_labels)
