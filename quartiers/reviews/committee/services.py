"""The committee's writes: sessions and their agenda, the decisions per funder, the notification of the applicant.
Each is ``<entity>_<action>(*, …)`` and atomic; the reads of the pages are in ``committee/selectors.py``.

An application's status follows its decisions (``applications.services.application_transition``): once every funder asked has
decided it is « votée » when at least one funder grants, else « refusée ». Each decision and each correction (while
the session is open) is kept in the review history (``ReviewEvent`` of kind « decision »); the transitions, which the
applicant reads, only name the session. The applicant sees « votée » / « refusée » once the decisions are notified.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from quartiers.applications.models import Application, Status
from quartiers.applications.services import application_transition
from quartiers.calls.models import CallFunder
from quartiers.common.formats import euros
from quartiers.common.tasks import mail_enqueue_on_commit
from quartiers.reviews import perms
from quartiers.reviews.committee.selectors import ZERO, agenda_candidates, requested_funder_ids
from quartiers.reviews.committee.tasks import send_decision_mail_task
from quartiers.reviews.committee.validation import decision_errors, ids_from, parse_amount
from quartiers.reviews.models import (
    AgendaItem,
    CommitteeSession,
    Decision,
    Outcome,
    PaymentTerms,
    ReviewEvent,
    SessionStatus,
)

logger = logging.getLogger(__name__)


DECISION_CORRECTED = "décision corrigée en séance"


class CommitteeError(Exception):
    """A refused write; ``errors`` maps a field name to its French message (``None`` for the whole form)."""

    def __init__(self, errors: dict[str | None, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


def session_create(*, call, title: str, date: date, place: str = "") -> CommitteeSession:
    return CommitteeSession.objects.create(call=call, title=title.strip(), date=date, place=place.strip())


def _require_open(session: CommitteeSession) -> None:
    if session.status == SessionStatus.CLOSED:
        raise CommitteeError({None: "La séance est close : son ordre du jour et ses décisions ne se modifient plus."})


@transaction.atomic
def agenda_add(*, session: CommitteeSession, application_ids=None) -> int:
    """Put applications on the agenda, after the ones already there; by default every reviewed (instruite) one."""
    session = CommitteeSession.objects.select_for_update().get(pk=session.pk)
    _require_open(session)
    candidates = agenda_candidates(session)
    if application_ids is None:
        candidates = candidates.filter(status=Status.REVIEWED)
    else:
        candidates = candidates.filter(pk__in=ids_from(application_ids))
    last = session.items.order_by("-position").values_list("position", flat=True).first() or 0
    items = [AgendaItem(session=session, application=a, position=last + i)
             for i, a in enumerate(candidates, start=1)]
    AgendaItem.objects.bulk_create(items)
    return len(items)


def _renumber(session: CommitteeSession, items: list[AgendaItem]) -> None:
    for i, item in enumerate(items, start=1):
        item.position = i
    AgendaItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def agenda_move(*, session: CommitteeSession, item_id: int, offset: int) -> None:
    """Move one item up (offset -1) or down (+1); positions are renumbered 1, 2, 3…"""
    session = CommitteeSession.objects.select_for_update().get(pk=session.pk)
    _require_open(session)
    items = list(session.items.order_by("position", "pk"))
    index = next((i for i, it in enumerate(items) if it.pk == int(item_id)), None)
    if index is None:
        raise CommitteeError({None: "Ce point n'est pas à l'ordre du jour de la séance."})
    target = min(max(index + offset, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    _renumber(session, items)


@transaction.atomic
def agenda_remove(*, session: CommitteeSession, item_id: int) -> None:
    session = CommitteeSession.objects.select_for_update().get(pk=session.pk)
    _require_open(session)
    item = session.items.filter(pk=int(item_id)).select_related("application").first()
    if item is None:
        raise CommitteeError({None: "Ce point n'est pas à l'ordre du jour de la séance."})
    if Decision.objects.filter(session=session, application=item.application_id).exists():
        raise CommitteeError({None: f"Le dossier {item.application} a déjà des décisions dans cette séance : "
                                    f"il reste à l'ordre du jour."})
    item.delete()
    _renumber(session, list(session.items.order_by("position", "pk")))


def _describe(d: Decision) -> str:
    if d.outcome == Outcome.GRANTED:
        return f"{d.funder.name} : accordée {euros(d.amount, cents=False)}"
    return f"{d.funder.name} : refusée ({d.reason.strip()[:80]})"


def _follow_status(application: Application, session: CommitteeSession, by, corrected: bool) -> None:
    """Move the application to « votée » / « refusée » once every funder asked has decided (or back, on a
    correction). The transition's « why » names the session only: transitions are shown to the applicant, and the
    decisions (amounts, reasons) stay in the Decision rows and the review history until they are notified."""
    why = DECISION_CORRECTED if corrected else f"décision du comité « {session} »"
    decisions = list(application.decisions.all())
    asked = requested_funder_ids(application) or {d.funder_id for d in decisions}
    decided = {d.funder_id for d in decisions}
    target = None
    if asked <= decided:
        target = Status.DECIDED if any(d.outcome == Outcome.GRANTED for d in decisions) else Status.REFUSED
    frm = application.status
    if target and target != frm:
        if frm in (Status.DECIDED, Status.REFUSED):
            application_transition(application=application, to=Status.REVIEWED, by=by, why=why[:500])
        application_transition(application=application, to=target, by=by, why=why[:500])
        application.save(update_fields=["status", "updated_at"])


@transaction.atomic
def decision_record(*, session: CommitteeSession, application: Application, funder, by, outcome: str,
                    amount=None, conditions: str = "", reason: str = "", decided_on: date | None = None,
                    reference: str = "", payment_terms: str = PaymentTerms.SINGLE, payment_dates: str = "",
                    convention_date: date | None = None) -> Decision:
    """Record (or correct, while the session is open) one funder's decision; the application's status follows."""
    session = CommitteeSession.objects.select_for_update().get(pk=session.pk)
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    _require_open(session)
    if perms.has_conflict(by, application):
        raise CommitteeError({None: "Vous avez déclaré un conflit d'intérêts sur ce dossier : vous êtes déporté "
                                    "et ne prenez pas part à la décision."})
    if not perms.can_decide(by, application, funder):
        raise CommitteeError({None: f"Vous ne pouvez pas enregistrer la décision de {funder.name} sur ce dossier."})
    if not session.items.filter(application=application).exists():
        raise CommitteeError({None: "Ce dossier n'est pas à l'ordre du jour de la séance."})
    if not CallFunder.objects.filter(call=application.call_id, funder=funder).exists():
        raise CommitteeError({None: f"{funder.name} ne finance pas cet appel à projets."})
    errors = decision_errors(outcome=outcome, amount=amount, reason=reason, payment_terms=payment_terms,
                             payment_dates=payment_dates)
    if errors:
        raise CommitteeError(errors)
    granted = outcome == Outcome.GRANTED
    values = {
        "session": session, "outcome": outcome, "amount": parse_amount(amount) if granted else ZERO,
        "conditions": conditions.strip() if granted else "", "reason": "" if granted else reason.strip(),
        "decided_on": decided_on or session.date, "reference": reference.strip(), "payment_terms": payment_terms,
        "payment_dates": (payment_dates or "").strip(), "convention_date": convention_date, "decided_by": by,
        "notified_at": None,
    }
    decision = Decision.objects.filter(application=application, funder=funder).select_related("funder").first()
    corrected = decision is not None
    if decision is None:
        decision = Decision.objects.create(application=application, funder=funder, **values)
        what = f"décision du comité « {session} » — {_describe(decision)}"
    else:
        earlier = decision.session if decision.session_id and decision.session_id != session.pk else None
        if earlier is not None and earlier.status == SessionStatus.CLOSED:
            raise CommitteeError({None: f"La décision de {funder.name} a été prise par une séance close : "
                                        f"elle ne se modifie plus."})
        before = _describe(decision)
        for name, value in values.items():
            setattr(decision, name, value)
        decision.save()
        what = f"décision corrigée en séance « {session} » — avant : {before} ; après : {_describe(decision)}"
    # the detail goes to the review history (shown to those who may read decisions), never to a transition
    ReviewEvent.objects.create(application=application, by=by, kind="decision", what=what[:500])
    if session.status == SessionStatus.PLANNED:
        session.status = SessionStatus.OPEN
        session.save(update_fields=["status"])
    _follow_status(application, session, by, corrected=corrected)
    return decision


@transaction.atomic
def session_close(*, session: CommitteeSession, by, base_url: str = "") -> int:
    """Close the session (its decisions become read-only) and notify the applicants of ITS decisions (a decision
    of another, still open session waits for that one); returns the e-mails to send, which leave after commit."""
    session = CommitteeSession.objects.select_for_update().get(pk=session.pk)
    _require_open(session)
    session.status = SessionStatus.CLOSED
    session.save(update_fields=["status"])
    sent = 0
    for application in Application.objects.filter(decisions__session=session).distinct().order_by("pk"):
        sent += decisions_notify(application=application, by=by, base_url=base_url, session=session)
    return sent


@transaction.atomic
def decisions_notify(*, application: Application, by=None, base_url: str = "", session=None) -> int:
    """Mark the decisions not yet notified (only those of ``session`` when given) as notified and e-mail the
    organisation's members the decisions they may now read (the ones notified before and these); returns 1 when
    an e-mail is to leave, else 0. The e-mail leaves once the transaction commits: a rolled-back notification
    sends nothing, and a failed sending does not undo the others."""
    application = (Application.objects.select_for_update().select_related("organisation", "call__contract")
                   .get(pk=application.pk))
    pending = application.decisions.filter(notified_at__isnull=True)
    if session is not None:
        pending = pending.filter(session=session)
    pending_ids = set(pending.values_list("pk", flat=True))
    if not pending_ids:
        return 0
    stamp = timezone.now()
    Decision.objects.filter(pk__in=pending_ids).update(notified_at=stamp)
    decisions = list(application.decisions.filter(notified_at__isnull=False).select_related("funder")
                     .order_by("funder__name", "pk"))
    recipients = sorted({m.user.email for m in application.organisation.memberships.select_related("user")
                         if m.user.email and m.user.is_active})
    if not recipients:
        return 0  # nobody to write to: the decisions are notified by the letter the applicant can read
    body = render_to_string("reviews/emails/decision.txt", {
        "application": application, "decisions": decisions, "contract": application.call.contract,
        "letter_url": base_url + reverse("reviews:letter", args=[application.pk]),
    })
    subject = f"Décision sur votre demande de subvention — dossier {application.reference}"
    mail_enqueue_on_commit(subject=subject, body=body, recipients=recipients, mail_task=send_decision_mail_task,
                           decision_ids=sorted(pending_ids), stamp=stamp.isoformat())
    return 1
