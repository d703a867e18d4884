"""Reads of the committee pages: the agenda, the totals against the envelopes, each application's funder lines."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from quartiers.applications.models import Application, FundingRequest, Status
from quartiers.calls.models import CallFunder
from quartiers.reviews import perms
from quartiers.reviews.models import (
    Advice,
    Assessment,
    CommitteeSession,
    ConfirmedMatch,
    Decision,
    Outcome,
)
from quartiers.territories.models import Neighbourhood

AGENDA_STATUSES = (Status.ADMISSIBLE, Status.REVIEWED)  # recevable or instruite; decided ones stay off




ZERO = Decimal(0)


def agenda_candidates(session: CommitteeSession):
    """Applications of the call that can go on the agenda and are not on it yet, by neighbourhood then reference."""
    return (Application.objects.filter(call=session.call_id, status__in=AGENDA_STATUSES)
            .exclude(agenda_items__session=session).select_related("organisation")
            .order_by("neighbourhood_codes", "reference", "pk"))


def requested_funder_ids(application: Application) -> set[int]:
    """The funders of the call the application asks money of (by FundingRequest.funder, else by the funder code)."""
    requests = list(application.funding_requests.all())
    codes = {r.funder_code for r in requests}
    ids = {r.funder_id for r in requests if r.funder_id}
    for cf in CallFunder.objects.filter(call=application.call_id).select_related("funder"):
        if cf.funder.code in codes:
            ids.add(cf.funder_id)
    return ids


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


def session_totals(session: CommitteeSession, applications: list[Application] | None = None, *,
                   reader: perms.AssessmentReader | None = None) -> Totals:
    """Per funder: envelope, requested and proposed on the agenda, granted in the whole call, what is left;
    per neighbourhood and per theme: requested and granted on the agenda. The amounts proposed on an application
    whose assessments ``reader`` may not read (a conflict declared on it) are left out, as its assessments are."""
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
        proposals_read = reader is None or reader.sees(a.pk)
        for s in a.assessments.all():
            if proposals_read and s.funder_id in by_id and s.proposed_amount is not None:
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

