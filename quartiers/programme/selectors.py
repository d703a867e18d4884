"""Reads of the programme table (tableau de programmation): one line per action and funder.

A line exists for every amount asked of a funder (``FundingRequest``) by an application of the call that reached
the review side (withdrawn and inadmissible applications are left out), and for every decision of a funder that was
not asked (a co-financer who joins at the committee). Each line carries the funder's instruction (opinion, proposed
amount) and decision (granted amount, date), the confirmed objective and the beneficiaries.

``programme_rows`` runs a fixed number of queries (six), whatever the number of applications: the applications,
then the requests, assessments, decisions and confirmed matches of the whole call, joined in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from quartiers.applications.models import REVIEW_STATUSES, Application, FundingRequest, Status
from quartiers.calls.models import Call, CallFunder, Funder, compact_siret
from quartiers.reviews.models import (
    CONVENTION_THRESHOLD,
    Assessment,
    ConfirmedMatch,
    Decision,
    Opinion,
    Outcome,
    SessionStatus,
)
from quartiers.reviews.perms import AssessmentReader

# Applications that appear in the programme: every review status but withdrawn and inadmissible.
PROGRAMME_STATUSES = tuple(s for s in REVIEW_STATUSES if s not in (Status.WITHDRAWN, Status.INADMISSIBLE))
STATUS_CHOICES = [(s.value, s.label) for s in Status if s in PROGRAMME_STATUSES]
NOT_CONFIRMED = "non confirmé"
NEW, RENEWAL = "nouvelle", "renouvellement"


@dataclass(slots=True)
class ProgrammeRow:
    """One line of the programme: one action (application) and one funder."""

    application_id: int
    reference: str
    organisation: str
    siret: str
    rna: str
    title: str
    neighbourhoods: str
    theme: str
    objective: str
    renewal: bool
    total_budget: Decimal
    funder_id: int | None
    funder_name: str
    funder_siret: str
    requested: Decimal | None
    proposed: Decimal | None
    opinion: str
    granted: Decimal | None
    decided_on: date | None
    convention: bool | None  # None while undecided
    beneficiaries: int
    beneficiaries_qpv: int
    status: str
    status_label: str

    @property
    def kind(self) -> str:
        return RENEWAL if self.renewal else NEW


@dataclass(slots=True)
class Totals:
    """Sums of a set of lines (amounts only: budgets and beneficiaries repeat on each funder's line)."""

    name: str = ""  # the funder's, for its totals
    lines: int = 0
    requested: Decimal = Decimal(0)
    proposed: Decimal = Decimal(0)
    granted: Decimal = Decimal(0)
    grants: int = 0
    conventions: int = 0

    @property
    def label(self) -> str:
        return f"Total — {self.name}" if self.name else "Total"

    @property
    def summary(self) -> str:
        """« 5 lignes, 3 subventions accordées, 1 convention » (French plural: more than one)."""
        def count(n: int, word: str, plural: str) -> str:
            return f"{n} {plural if n > 1 else word}"

        return ", ".join((count(self.lines, "ligne", "lignes"),
                          count(self.grants, "subvention accordée", "subventions accordées"),
                          count(self.conventions, "convention", "conventions")))

    def add(self, row: ProgrammeRow) -> None:
        self.lines += 1
        self.requested += row.requested or 0
        self.proposed += row.proposed or 0
        if row.granted:
            self.granted += row.granted
            self.grants += 1
        if row.convention:
            self.conventions += 1


@dataclass
class Programme:
    call: Call
    rows: list[ProgrammeRow]
    total: Totals
    per_funder: list[tuple[Funder | None, Totals]] = field(default_factory=list)


def call_funders(call: Call) -> list[Funder]:
    """The funders of the call (its envelopes), by name."""
    return [cf.funder for cf in CallFunder.objects.filter(call=call).select_related("funder").order_by("funder__name")]


APP_FIELDS = ("pk", "reference", "title", "status", "renewal", "neighbourhood_codes", "total_budget", "beneficiaries",
              "beneficiaries_qpv", "organisation__legal_name", "organisation__siret", "organisation__rna")


def _confirmed(app_filter: dict) -> dict[int, tuple[str, str]]:
    """application id → (theme title, objective label) of its primary confirmed match (else its first one)."""
    out: dict[int, tuple[str, str]] = {}
    rows = (ConfirmedMatch.objects.filter(**app_filter).order_by("application_id", "-is_primary", "pk")
            .values_list("application_id", "objective__theme__title", "objective__label"))
    for app_id, theme, label in rows:
        out.setdefault(app_id, (theme, label))
    return out


def programme_rows(call: Call, *, funder: Funder | None = None, status: str | None = None) -> list[ProgrammeRow]:
    """The lines of the call's programme, by reference then funder name; only ``funder``'s when given."""
    return programme(call, funder=funder, status=status).rows


def programme(call: Call, *, funder: Funder | None = None, status: str | None = None,
              reader: AssessmentReader | None = None) -> Programme:
    """The lines of the programme with the totals (overall and per funder), as ``reader`` may read them: the lines
    of an application whose assessments they may not read (a conflict of interest declared on it) keep the request
    and the decision but lose the instruction (opinion, proposed amount), and the totals leave that amount out, as
    on the queue and the review page. Without a reader (the command line), every line is whole."""
    if status is not None and status not in PROGRAMME_STATUSES:
        raise ValueError(f"unknown programme status {status!r}")
    statuses = [status] if status else list(PROGRAMME_STATUSES)
    # Plain tuples (values_list), not model instances: ten thousand lines stay cheap to read.
    # No ORDER BY (the lines are sorted in Python): the models' default orderings join and sort for nothing.
    applications = {a[0]: a for a in Application.objects.filter(call=call, status__in=statuses).order_by()
                    .values_list(*APP_FIELDS)}
    funders = {f.pk: f for f in Funder.objects.filter(contract_id=call.contract_id)}
    app_filter = {"application__call": call, "application__status__in": statuses}
    funder_filter = {"funder": funder} if funder is not None else {}

    requests: dict[tuple[int, int | str | None], tuple[int | None, str, Decimal | None]] = {}
    funder_id: int | None  # None when the request names its funder by code only (FundingRequest.funder is nullable)
    for app_id, funder_id, code, amount in (FundingRequest.objects.filter(**app_filter, **funder_filter).order_by()
                                            .values_list("application_id", "funder_id", "funder_code", "amount")):
        key = (app_id, funder_id or code)
        previous = requests.get(key)
        requests[key] = (funder_id, code, amount + (previous[2] or 0 if previous else 0))
    assessments: dict[tuple[int, int | None], tuple[str, Decimal | None]]
    assessments = {(a[0], a[1]): a[2:] for a in Assessment.objects.filter(**app_filter, **funder_filter).order_by()
                   .values_list("application_id", "funder_id", "opinion", "proposed_amount")}
    decisions: dict[tuple[int, int | None], tuple[str, Decimal, date]]
    decisions = {(d[0], d[1]): d[2:] for d in Decision.objects.filter(**app_filter, **funder_filter).order_by()
                 .values_list("application_id", "funder_id", "outcome", "amount", "decided_on")}
    for decided in decisions:
        requests.setdefault(decided, (decided[1], "", None))  # a funder who decides without having been asked
    confirmed = _confirmed(app_filter)
    opinions = {o.value: o.label for o in Opinion}
    status_labels = {s.value: s.label for s in Status}

    rows = []
    for (app_id, _key), (funder_id, code, requested) in requests.items():
        app = applications.get(app_id)
        if app is None:
            continue
        (_pk, reference, title, app_status, renewal, codes, total_budget, beneficiaries, beneficiaries_qpv,
         legal_name, siret, rna) = app
        fund = funders.get(funder_id) if funder_id is not None else None
        opinion, proposed = assessments.get((app_id, funder_id), ("", None))
        if reader is not None and not reader.sees(app_id):
            opinion, proposed = "", None
        elif proposed is None and opinion == Opinion.FAVOURABLE:
            proposed = requested
        granted = decided_on = convention = None
        if (app_id, funder_id) in decisions:
            outcome, amount, decided_on = decisions[(app_id, funder_id)]
            granted = amount if outcome == Outcome.GRANTED else Decimal(0)
            convention = outcome == Outcome.GRANTED and amount > CONVENTION_THRESHOLD
        theme, objective = confirmed.get(app_id, ("", NOT_CONFIRMED))
        rows.append(ProgrammeRow(
            application_id=app_id, reference=reference or "", organisation=legal_name, siret=siret, rna=rna,
            title=title, neighbourhoods=", ".join(c for c in codes.split(",") if c), theme=theme,
            objective=objective, renewal=renewal, total_budget=total_budget, funder_id=funder_id,
            funder_name=fund.name if fund is not None else code, funder_siret=fund.siret if fund is not None else "",
            requested=requested, proposed=proposed, opinion=opinions.get(opinion, opinion or ""), granted=granted,
            decided_on=decided_on, convention=convention, beneficiaries=beneficiaries,
            beneficiaries_qpv=beneficiaries_qpv, status=app_status, status_label=status_labels[app_status],
        ))
    rows.sort(key=lambda r: (r.reference, r.funder_name.casefold(), r.application_id, r.funder_siret, r.funder_name))
    return Programme(call=call, rows=rows, total=_total(rows), per_funder=_per_funder(rows, funders))


def _total(rows: list[ProgrammeRow]) -> Totals:
    total = Totals()
    for row in rows:
        total.add(row)
    return total


def _per_funder(rows: list[ProgrammeRow], funders: dict[int, Funder]) -> list[tuple[Funder | None, Totals]]:
    by_funder: dict[int | str, Totals] = defaultdict(Totals)
    for row in rows:
        key = row.funder_id if row.funder_id is not None else row.funder_name
        by_funder[key].name = row.funder_name
        by_funder[key].add(row)
    out = [(funders.get(key) if isinstance(key, int) else None, totals) for key, totals in by_funder.items()]
    out.sort(key=lambda pair: pair[1].name.casefold())
    return out


def funders_by_siret(call: Call, siret: str) -> list[Funder]:
    """The funders of the call's contract with this SIRET (one, unless a body funds under several kinds)."""
    number = compact_siret(siret)
    if not number:
        return []
    return list(Funder.objects.filter(contract_id=call.contract_id, siret=number).order_by("name", "pk"))


def granted_decisions(call: Call, funders: list[Funder], *, threshold: Decimal | None = None) -> list[Decision]:
    """The grants of these funders (one SIRET) in the call, for the SCDL file, by decision date then reference.

    Only final grants are published: the decision's session is closed or the decision was notified, and the
    application is still « votée » (a decision of an open session may change; a reopened application's is void).
    ``threshold``: only the grants strictly above it (the legal obligation covers grants above 23,000 €).
    """
    final = Q(session__status=SessionStatus.CLOSED) | Q(notified_at__isnull=False)
    qs = (Decision.objects.filter(final, application__call=call, application__status=Status.DECIDED,
                                  funder__in=funders, outcome=Outcome.GRANTED)
          .select_related("application__organisation", "funder")
          .only("pk", "amount", "decided_on", "reference", "payment_terms", "payment_dates", "convention_date",
                "application__reference", "application__title", "application__organisation__legal_name",
                "application__organisation__siret", "application__organisation__rna", "funder__name",
                "funder__siret")
          .order_by("decided_on", "application__reference", "pk"))
    if threshold is not None:
        qs = qs.filter(amount__gt=threshold)
    return list(qs)
