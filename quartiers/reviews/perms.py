"""Who may do what on the review side: small predicates, one rule each, tested as a matrix
(``tests/reviews/test_perms_matrix.py``: every role × every page and action).

Rights come from the person's role in the contract (``ContractMember``); a superuser acts as the project lead.
A declared conflict of interest removes the person from that application (no assessment, no decision, no advice).
"""

from __future__ import annotations

from dataclasses import dataclass

from quartiers.applications.models import REVIEW_STATUSES, Application, Status
from quartiers.applications.perms import role_in
from quartiers.reviews.models import ConflictOfInterest, ContractMember, ContractRole

R = ContractRole

# Roles that take part in the instruction (they see the funders' assessments and the committee's work).
INSIDERS = (R.PROJECT_LEAD, R.REVIEWER, R.FUNDER, R.COMMITTEE, R.OBSERVER)
ASSESSABLE_STATUSES = (Status.ADMISSIBLE, Status.REVIEWED)
DECIDABLE_STATUSES = (Status.ADMISSIBLE, Status.REVIEWED, Status.DECIDED, Status.REFUSED)
MATCHABLE_STATUSES = (Status.SUBMITTED, Status.ADMISSIBLE, Status.REVIEWED)
DECISION_STATUSES = (Status.DECIDED, Status.REFUSED)  # « votée », « refusée »: what the committee decided


def membership(user, contract_id: int) -> ContractMember | None:
    """The user's role in the contract (cached on the user object for the request), or None."""
    if not (user.is_authenticated and user.is_active):
        return None
    cache = getattr(user, "_contract_roles", None)
    if cache is None:
        cache = {m.contract_id: m for m in ContractMember.objects.filter(user=user)}
        user._contract_roles = cache
    if contract_id in cache:
        return cache[contract_id]
    if user.is_superuser:
        return ContractMember(contract_id=contract_id, user=user, role=R.PROJECT_LEAD)
    return None


def role(user, contract_id: int) -> str | None:
    m = membership(user, contract_id)
    return m.role if m else None


def conflict_ids(user) -> frozenset[int]:
    """The applications the user declared a conflict of interest on (cached on the user object for the request)."""
    if not user.is_authenticated:
        return frozenset()
    cache = getattr(user, "_conflicts", None)
    if cache is None:
        cache = frozenset(ConflictOfInterest.objects.filter(user=user).values_list("application_id", flat=True))
        user._conflicts = cache
    return cache


def has_conflict(user, application: Application) -> bool:
    return application.pk in conflict_ids(user)


def _contract_id(application: Application) -> int:
    return application.call.contract_id


# --- the call's review side ------------------------------------------------------------------------------------


def can_review_call(user, call) -> bool:
    """See the call's queue of applications: every role of the contract."""
    return role(user, call.contract_id) is not None


def can_export_queue(user, call) -> bool:
    return role(user, call.contract_id) in INSIDERS


def can_manage_roles(user, contract_id: int) -> bool:
    return role(user, contract_id) == R.PROJECT_LEAD


def can_configure_grid(user, call) -> bool:
    return role(user, call.contract_id) == R.PROJECT_LEAD


def can_view_committee(user, call) -> bool:
    return role(user, call.contract_id) in INSIDERS


def can_manage_committee(user, call) -> bool:
    """Create sessions and set their agenda: the project lead (secrétariat du comité)."""
    return role(user, call.contract_id) == R.PROJECT_LEAD


def can_view_programme(user, call) -> bool:
    return role(user, call.contract_id) in INSIDERS


def can_export_scdl(user, call, funder=None) -> bool:
    """The open-data file of a funder: the project lead, or that funder's representative."""
    m = membership(user, call.contract_id)
    if m is None:
        return False
    if m.role == R.PROJECT_LEAD:
        return True
    return m.role == R.FUNDER and funder is not None and m.funder_id == funder.pk


# --- one application -------------------------------------------------------------------------------------------


def can_view_application(user, application: Application) -> bool:
    """Read the application on the review side: any role of the contract, once it is submitted."""
    return application.status in REVIEW_STATUSES and role(user, _contract_id(application)) is not None


def can_read_documents(user, application: Application) -> bool:
    """Download the application's documents (bank details, accounts…): insiders, not residents' council members."""
    return can_view_application(user, application) and role(user, _contract_id(application)) in INSIDERS


def can_read_decisions(user, application: Application) -> bool:
    """Read the funders' decisions, notified or not: insiders (like the committee pages and the programme)."""
    return can_view_application(user, application) and role(user, _contract_id(application)) in INSIDERS


@dataclass(frozen=True)
class AssessmentReader:
    """Who reads the funders' opinions, scores and proposed amounts, and on which applications: the one rule that
    the review page, the queue and the programme apply (insiders of the contract, except on the applications they
    declared a conflict of interest on)."""

    insider: bool
    recused: frozenset[int]

    def sees(self, application_id: int) -> bool:
        return self.insider and application_id not in self.recused


def assessment_reader(user, contract_id: int) -> AssessmentReader:
    """The reading rights of ``user`` on the assessments of one contract (no query beyond the two cached ones)."""
    return AssessmentReader(insider=role(user, contract_id) in INSIDERS, recused=conflict_ids(user))


def can_see_assessments(user, application: Application) -> bool:
    """Read the funders' opinions, scores and proposed amounts of one application (see ``AssessmentReader``)."""
    return (can_view_application(user, application)
            and assessment_reader(user, _contract_id(application)).sees(application.pk))


def can_declare_conflict(user, application: Application) -> bool:
    return can_view_application(user, application) and not has_conflict(user, application)


def can_set_admissibility(user, application: Application) -> bool:
    """Declare the application admissible or not: lead and reviewers, until a funder's decision is recorded."""
    return (application.status in (Status.SUBMITTED, Status.INADMISSIBLE, Status.ADMISSIBLE)
            and role(user, _contract_id(application)) in (R.PROJECT_LEAD, R.REVIEWER)
            and not has_conflict(user, application) and not application.decisions.exists())


def can_confirm_match(user, application: Application) -> bool:
    return (application.status in MATCHABLE_STATUSES
            and role(user, _contract_id(application)) in (R.PROJECT_LEAD, R.REVIEWER)
            and not has_conflict(user, application))


def can_request_info(user, application: Application) -> bool:
    return (application.status in (Status.SUBMITTED, Status.ADMISSIBLE, Status.REVIEWED)
            and role(user, _contract_id(application)) in (R.PROJECT_LEAD, R.REVIEWER)
            and not has_conflict(user, application))


def can_assess(user, application: Application, funder) -> bool:
    """Edit one funder's assessment: the project lead; a reviewer attached to that funder or to none; the funder's
    representative. Only while the application is under instruction, never with a conflict of interest."""
    if application.status not in ASSESSABLE_STATUSES or has_conflict(user, application):
        return False
    m = membership(user, _contract_id(application))
    if m is None:
        return False
    if m.role == R.PROJECT_LEAD:
        return True
    if m.role == R.REVIEWER:
        return m.funder_id is None or m.funder_id == funder.pk
    return m.role == R.FUNDER and m.funder_id == funder.pk


def can_mark_reviewed(user, application: Application) -> bool:
    return (application.status in (Status.ADMISSIBLE, Status.REVIEWED)
            and role(user, _contract_id(application)) in (R.PROJECT_LEAD, R.REVIEWER)
            and not has_conflict(user, application))


def can_give_advice(user, application: Application) -> bool:
    """A residents' council member gives an advisory opinion while the application is under instruction."""
    return (application.status in (Status.SUBMITTED, Status.ADMISSIBLE, Status.REVIEWED)
            and role(user, _contract_id(application)) == R.RESIDENT and not has_conflict(user, application))


def can_decide(user, application: Application, funder) -> bool:
    """Record a funder's decision: the project lead (for the committee) or that funder's representative."""
    if application.status not in DECIDABLE_STATUSES or has_conflict(user, application):
        return False
    m = membership(user, _contract_id(application))
    if m is None:
        return False
    return m.role == R.PROJECT_LEAD or (m.role == R.FUNDER and m.funder_id == funder.pk)


# --- the applicant's side --------------------------------------------------------------------------------------


def is_applicant(user, application: Application) -> bool:
    return role_in(user, application.organisation) is not None


def can_answer_info(user, application: Application) -> bool:
    return is_applicant(user, application) and application.status not in (Status.DRAFT, Status.WITHDRAWN)


def can_see_decision(user, application: Application) -> bool:
    """The applicant sees the decisions once notified (the view filters them); insiders see them always."""
    return is_applicant(user, application) or can_read_decisions(user, application)
