"""What the applicant reads of the review of their applications: the status as they may read it, the history, the
decisions once notified and the requests for information to answer.

The review side is a higher layer (``quartiers.reviews``): it registers its reader here when Django starts
(``ReviewsConfig.ready``), so the applicant's pages read it without importing it. Without a review side, the
applicant reads the status and every move as they are, and no decision or request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from quartiers.applications.models import Application


@dataclass(frozen=True)
class ApplicantView:
    status_label: str
    transitions: list = field(default_factory=list)
    decisions: list = field(default_factory=list)  # notified decisions only
    info_requests: list = field(default_factory=list)
    can_answer_info: bool = False


@dataclass(frozen=True)
class ReviewSide:
    """The review side's two reads: one application's view, and the status labels of many (one query)."""

    view: Callable[[Application, object], ApplicantView]
    status_labels: Callable[[Sequence[Application]], dict[int, str]]


_review_side: list[ReviewSide] = []


def register_review_side(side: ReviewSide) -> None:
    """Called once by the review side's AppConfig; a second call replaces the first (tests, reloads)."""
    _review_side[:] = [side]


def applicant_view(application: Application, reader) -> ApplicantView:
    """``application`` as its applicant ``reader`` reads it on the receipt page."""
    if _review_side:
        return _review_side[0].view(application, reader)
    return ApplicantView(status_label=application.get_status_display(),
                         transitions=list(application.transitions.select_related("by")))


def applicant_statuses(applications: Sequence[Application]) -> list[tuple[Application, str]]:
    """Each application with its status as its applicant reads it (a fixed number of queries)."""
    applications = list(applications)
    labels = _review_side[0].status_labels(applications) if _review_side else {}
    return [(a, labels.get(a.pk) or a.get_status_display()) for a in applications]
