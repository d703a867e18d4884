"""The committee: sessions and their agenda, the decisions per funder, the totals against the envelopes, the
notification of the applicant. Writes are ``<entity>_<action>(*, …)`` and atomic; reads for the pages follow.

An application's status follows its decisions (``applications.services._transition``): once every funder asked has
decided it is « votée » when at least one funder grants, else « refusée ». Each decision and each correction (while
the session is open) is kept in the review history (``ReviewEvent`` of kind « decision »); the transitions, which the
applicant reads, only name the session. The applicant sees « votée » / « refusée » once the decisions are notified.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from quartiers.applications.cerfa import parse_amount as cerfa_parse_amount
from quartiers.applications.models import Application, FundingRequest, Status
from quartiers.applications.services import _transition
from quartiers.calls.models import CallFunder
from quartiers.common.formats import euros
from quartiers.reviews.models import (
    CONVENTION_THRESHOLD,
    Advice,
    AgendaItem,
    Assessment,
    CommitteeSession,
    ConfirmedMatch,
    Decision,
    Outcome,
    PaymentTerms,
    ReviewEvent,
    SessionStatus,
)
from quartiers.territories.models import Neighbourhood

logger = logging.getLogger(__name__)
AGENDA_STATUSES = (Status.ADMISSIBLE, Status.REVIEWED)  # recevable or instruite; decided ones stay off
DECISION_CORRECTED = "décision corrigée en séance"
PAYMENT_DATES_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:/(\d{4}-\d{2}-\d{2}))?$")
ZERO = Decimal(0)
MAX_AMOUNT = Decimal("9999999999.99")  # Decision.amount: 12 digits, 2 decimals
NOT_A_NUMBER = "Montant accordé : écrivez un nombre d'euros, par exemple 5 000 ou 5 000,50 (au plus deux décimales)."
MAX_ID = 2**31 - 1  # above any primary key (and PostgreSQL's integer); bigger ids are ignored, not an overflow
AMBIGUOUS_THOUSANDS_RE = re.compile(r"\d{1,3}(\.\d{3})+")  # « 5.000 »: thousands or decimals?


class CommitteeError(Exception):
    """A refused write; ``errors`` maps a field name to its French message (``None`` for the whole form)."""

    def __init__(self, errors: dict[str | None, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


# --- validation shared by the form and the service ---------------------------------------------------------------


def parse_amount(value) -> Decimal | None:
    """« 5 000,50 », « 5000.5 » or a Decimal → Decimal; None when empty; raises ValueError when not a number of
    euros with at most two decimals (the applicant side's strict parser: « 5.000 » is refused, not read as 5 €)."""
    if value is None or isinstance(value, Decimal):
        return value
    return cerfa_parse_amount(str(value))


def amount_error(value) -> str | None:
    """The French message when ``value`` is not a positive amount the decision can hold (None when it can)."""
    label = "Montant accordé"
    text = str(value or "").strip()
    if not isinstance(value, Decimal) and AMBIGUOUS_THOUSANDS_RE.fullmatch(text):
        return f"{label} : « {text} » est ambigu ; écrivez {text.replace('.', ' ')} ou {text.replace('.', '')},00."
    try:
        amount = parse_amount(value)
    except ValueError:
        return NOT_A_NUMBER
    if amount is not None and not amount.is_finite():
        return NOT_A_NUMBER
    if amount is None or amount <= 0:
        return f"{label} : une subvention accordée doit avoir un montant supérieur à 0 €."
    if amount.adjusted() >= 10 or amount > MAX_AMOUNT:
        return f"{label} : au plus 9 999 999 999,99 €."
    if amount != amount.quantize(Decimal("0.01")):
        return f"{label} : au plus deux chiffres après la virgule."
    return None


def ids_from(values) -> list[int]:
    """The usable primary keys among posted values: ASCII digits up to ``MAX_ID``; anything else is ignored."""
    ids = []
    for value in values or ():
        text = str(value).strip()
        if text.isascii() and text.isdigit() and len(text) <= 10 and int(text) <= MAX_ID:
            ids.append(int(text))
    return ids


def payment_dates_error(value: str) -> str | None:
    """The French message when ``value`` is neither AAAA-MM-JJ nor AAAA-MM-JJ/AAAA-MM-JJ (a real, ordered period)."""
    if not value:
        return None
    label = "Dates de versement"
    m = PAYMENT_DATES_RE.match(value.strip())
    if not m:
        return (f"{label} : écrivez une date AAAA-MM-JJ ou une période AAAA-MM-JJ/AAAA-MM-JJ "
                f"(par exemple 2027-03-01 ou 2027-03-01/2027-06-30).")
    try:
        days = [date.fromisoformat(d) for d in m.groups() if d]
    except ValueError:
        return f"{label} : « {value.strip()} » n'est pas une date du calendrier."
    if len(days) == 2 and days[1] < days[0]:
        return f"{label} : la fin de la période précède son début."
    return None


def decision_errors(*, outcome: str, amount, reason: str, payment_terms: str, payment_dates: str) -> dict:
    """Every problem of a decision, field by field, in French (empty when the decision can be recorded)."""
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Décision : choisissez « accordée » ou « refusée »."
    if outcome == Outcome.GRANTED and (msg := amount_error(amount)):
        errors["amount"] = msg
    if outcome == Outcome.REFUSED and not (reason or "").strip():
        errors["reason"] = "Motif du refus : un refus doit être motivé (ce motif est écrit dans la lettre)."
    if payment_terms not in PaymentTerms.values:
        errors["payment_terms"] = "Conditions de versement : choisissez unique, échelonné ou autre."
    if msg := payment_dates_error(payment_dates or ""):
        errors["payment_dates"] = msg
    return errors


# --- sessions and agenda ---------------------------------------------------------------------------------------


def session_create(*, call, title: str, date: date, place: str = "") -> CommitteeSession:
    return CommitteeSession.objects.create(call=call, title=title.strip(), date=date, place=place.strip())


def _require_open(session: CommitteeSession) -> None:
    if session.status == SessionStatus.CLOSED:
        raise CommitteeError({None: "La séance est close : son ordre du jour et ses décisions ne se modifient plus."})


def agenda_candidates(session: CommitteeSession):
    """Applications of the call that can go on the agenda and are not on it yet, by neighbourhood then reference."""
    return (Application.objects.filter(call=session.call_id, status__in=AGENDA_STATUSES)
            .exclude(agenda_items__session=session).select_related("organisation")
            .order_by("neighbourhood_codes", "reference", "pk"))


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


# --- decisions -------------------------------------------------------------------------------------------------


def requested_funder_ids(application: Application) -> set[int]:
    """The funders of the call the application asks money of (by FundingRequest.funder, else by the funder code)."""
    requests = list(application.funding_requests.all())
    codes = {r.funder_code for r in requests}
    ids = {r.funder_id for r in requests if r.funder_id}
    for cf in CallFunder.objects.filter(call=application.call_id).select_related("funder"):
        if cf.funder.code in codes:
            ids.add(cf.funder_id)
    return ids


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
            _transition(application, Status.REVIEWED, by=by, why=why[:500])
        _transition(application, target, by=by, why=why[:500])
        application.save(update_fields=["status", "updated_at"])


@transaction.atomic
def decision_record(*, session: CommitteeSession, application: Application, funder, by, outcome: str,
                    amount=None, conditions: str = "", reason: str = "", decided_on: date | None = None,
                    reference: str = "", payment_terms: str = PaymentTerms.SINGLE, payment_dates: str = "",
                    convention_date: date | None = None) -> Decision:
    """Record (or correct, while the session is open) one funder's decision; the application's status follows."""
    from quartiers.reviews import perms

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
        if decision.session_id and decision.session_id != session.pk and decision.session.status == \
                SessionStatus.CLOSED:
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


# --- notification ----------------------------------------------------------------------------------------------


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
    transaction.on_commit(lambda: _send_decision_mail(subject, body, recipients, pending_ids, stamp), robust=True)
    return 1


def _send_decision_mail(subject: str, body: str, recipients: list[str], decision_ids: set[int], stamp) -> None:
    """Send one notification after commit; when the sending fails, the decisions go back to « not notified » so
    that « Notifier le porteur » sends it again (and the applicant does not read a status no one told them)."""
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        logger.exception("The decision e-mail to %s failed; its decisions are not notified.", ", ".join(recipients))
        Decision.objects.filter(pk__in=decision_ids, notified_at=stamp).update(notified_at=None)


# --- reads for the pages ---------------------------------------------------------------------------------------


@dataclass
class FunderTotal:
    funder: object
    envelope: Decimal
    requested: Decimal = ZERO
    proposed: Decimal = ZERO
    granted: Decimal = ZERO  # every decision of the call, whichever session

    @property
    def left(self) -> Decimal:
        return self.envelope - self.granted

    @property
    def overrun(self) -> Decimal:
        return max(self.granted - self.envelope, ZERO)


@dataclass
class GroupTotal:
    label: str
    requested: Decimal = ZERO
    granted: Decimal = ZERO
    count: int = 0


@dataclass
class Totals:
    funders: list[FunderTotal] = field(default_factory=list)
    neighbourhoods: list[GroupTotal] = field(default_factory=list)
    themes: list[GroupTotal] = field(default_factory=list)

    @property
    def overruns(self) -> list[FunderTotal]:
        return [f for f in self.funders if f.overrun > 0]

    @property
    def requested(self) -> Decimal:
        return sum((f.requested for f in self.funders), ZERO)

    @property
    def granted(self) -> Decimal:
        return sum((f.granted for f in self.funders), ZERO)


def primary_match(application: Application):
    matches = getattr(application, "primary_matches", None)
    if matches is None:
        matches = [m for m in application.confirmed_matches.all() if m.is_primary]
    return matches[0] if matches else None


def session_totals(session: CommitteeSession, applications: list[Application] | None = None) -> Totals:
    """Per funder: envelope, requested and proposed on the agenda, granted in the whole call, what is left;
    per neighbourhood and per theme: requested and granted on the agenda."""
    if applications is None:
        applications = agenda_applications(session)
    call_funders = list(CallFunder.objects.filter(call=session.call_id).select_related("funder")
                        .order_by("funder__name", "pk"))
    by_id = {cf.funder_id: FunderTotal(funder=cf.funder, envelope=cf.envelope) for cf in call_funders}
    by_code = {cf.funder.code: cf.funder_id for cf in call_funders}
    names = dict(Neighbourhood.objects.filter(code__in={c for a in applications for c in a.neighbourhood_code_list})
                 .values_list("code", "short_name"))
    hoods: dict[str, GroupTotal] = {}
    themes: dict[str, GroupTotal] = {}
    for a in applications:
        requested = ZERO
        for r in a.funding_requests.all():
            fid = r.funder_id or by_code.get(r.funder_code)
            if fid in by_id:
                by_id[fid].requested += r.amount
            requested += r.amount
        for s in a.assessments.all():
            if s.funder_id in by_id and s.proposed_amount is not None:
                by_id[s.funder_id].proposed += s.proposed_amount
        granted = sum((d.amount for d in a.decisions.all() if d.outcome == Outcome.GRANTED), ZERO)
        match = primary_match(a)
        theme = match.objective.theme.get_canonical_theme_display() if match else "objectif non confirmé"
        groups = [hoods.setdefault(c, GroupTotal(f"{names.get(c) or c} ({c})")) for c in a.neighbourhood_code_list]
        groups = groups or [hoods.setdefault("", GroupTotal("quartier non renseigné"))]
        groups.append(themes.setdefault(theme, GroupTotal(theme[:1].upper() + theme[1:])))
        for g in groups:
            g.requested += requested
            g.granted += granted
            g.count += 1
    granted_rows = (Decision.objects.filter(application__call=session.call_id, outcome=Outcome.GRANTED)
                    .values_list("funder_id", "amount"))
    for fid, amount in granted_rows:
        if fid in by_id:
            by_id[fid].granted += amount
    return Totals(funders=list(by_id.values()), neighbourhoods=[hoods[k] for k in sorted(hoods)],
                  themes=sorted(themes.values(), key=lambda g: g.label))


def agenda_applications(session: CommitteeSession, only=None) -> list[Application]:
    """The applications of the agenda, in order, with what the page shows prefetched (a fixed number of queries)."""
    qs = (Application.objects.filter(agenda_items__session=session).select_related("organisation", "call")
          .prefetch_related(
              Prefetch("funding_requests", queryset=FundingRequest.objects.select_related("funder")),
              Prefetch("assessments", queryset=Assessment.objects.select_related("funder")),
              Prefetch("decisions", queryset=Decision.objects.select_related("funder", "session")),
              Prefetch("advices", queryset=Advice.objects.select_related("author")),
              Prefetch("confirmed_matches", queryset=ConfirmedMatch.objects.filter(is_primary=True)
                       .select_related("objective__theme"), to_attr="primary_matches"),
          ).order_by("agenda_items__position", "pk"))
    if only is not None:
        qs = qs.filter(pk=only)
    return list(qs)


@dataclass
class FunderLine:
    """One funder asked on one application: requested, its assessment, its decision and the form to decide."""

    call_funder: CallFunder
    requested: Decimal | None
    assessment: Assessment | None
    decision: Decision | None
    can_decide: bool
    recused: bool
    form: object = None

    @property
    def funder(self):
        return self.call_funder.funder


def application_lines(application: Application, call_funders: list[CallFunder], user) -> list[FunderLine]:
    """The funders of the call this application asks money of (plus any with a decision), in the envelope order."""
    from quartiers.reviews import perms

    by_code = {cf.funder.code: cf for cf in call_funders}
    requested: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for r in application.funding_requests.all():
        cf = next((c for c in call_funders if c.funder_id == r.funder_id), None) or by_code.get(r.funder_code)
        if cf is not None:
            requested[cf.funder_id] += r.amount
    assessments = {s.funder_id: s for s in application.assessments.all()}
    decisions = {d.funder_id: d for d in application.decisions.all()}
    recused = perms.has_conflict(user, application)
    lines = []
    for cf in call_funders:
        if cf.funder_id not in requested and cf.funder_id not in decisions:
            continue
        lines.append(FunderLine(
            call_funder=cf, requested=requested.get(cf.funder_id), assessment=assessments.get(cf.funder_id),
            decision=decisions.get(cf.funder_id), recused=recused,
            can_decide=not recused and perms.can_decide(user, application, cf.funder)))
    return lines


def convention_needed(amount) -> bool:
    return amount is not None and Decimal(amount) > CONVENTION_THRESHOLD
