"""Reads of the review side's queue pages: the call's applications filtered, sorted, counted and paginated, the
choices of the filters, the saved views and the CSV rows.

The queue page reads a fixed number of queries whatever the number of applications (``bench/bench_review_queue.py``
measures it with 5,000): counts per status in one grouped query, the page's 50 rows with their confirmed objective,
proposed total and opinions as annotations, the user's role and conflicts from the caches of ``perms``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)

from quartiers.applications.models import REVIEW_STATUSES, Application, ClaimedObjective, FundingRequest, Status
from quartiers.calls.models import Call, Funder
from quartiers.engine.framework import CANONICAL_THEMES
from quartiers.frameworks.models import Objective
from quartiers.reviews.models import Assessment, ConfirmedMatch, SavedView

QUEUE_PAGE_SIZE = 50


# Statuses in the order of the work (the queue sorts and counts in this order, not alphabetically).
STATUS_ORDER = [Status.SUBMITTED, Status.ADMISSIBLE, Status.REVIEWED, Status.DECIDED, Status.REFUSED,
                Status.INADMISSIBLE, Status.WITHDRAWN]


FINDINGS_FILTERS = {"bloquants": "avec des constats bloquants", "avertissements": "avec des constats à vérifier",
                    "aucun": "sans constat"}


RENEWAL_FILTERS = {"nouvelle": "nouvelle action", "renouvellement": "renouvellement"}


_status_rank = Case(*[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)],
                    output_field=IntegerField())


# sort key → (label, expressions); the primary key always breaks ties so pages never overlap.
SORTS: dict[str, tuple[str, tuple]] = {
    "depot": ("date de dépôt", ("submitted_at",)),
    "reference": ("numéro de dossier", ("reference",)),
    "structure": ("structure", ("organisation__legal_name",)),
    "montant": ("montant demandé", ("requested_total",)),
    "statut": ("statut", ("status_rank",)),
}


DEFAULT_SORT = "depot"


@dataclass(frozen=True)
class QueueFilters:
    """The cleaned filters of the queue (every field optional)."""

    neighbourhood: str = ""
    theme: str = ""
    objective: str = ""
    status: str = ""
    funder: Funder | None = None
    findings: str = ""
    renewal: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    text: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False


@dataclass(frozen=True)
class QueueChoices:
    neighbourhoods: list  # [(code, "Name (code)")]
    themes: list  # [(canonical code, label)] present in the call's framework
    objectives: list  # [(key, "Neighbourhood — label")]
    funders: list  # [Funder] of the call
    neighbourhood_names: dict  # code → display name


def queue_choices(call: Call) -> QueueChoices:
    """What the filters offer for this call: three queries (neighbourhoods, objectives, funders)."""
    hoods = list(call.neighbourhoods.order_by("code"))
    names = {n.code: n.display_name for n in hoods}
    objectives = list(Objective.objects.filter(theme__section__version_id=call.framework_version_id)
                      .select_related("theme__section__neighbourhood")
                      .order_by("theme__section__position", "theme__position", "position", "pk"))
    seen: set[str] = set()
    objective_choices = []
    themes_present: set[str] = set()
    for o in objectives:
        themes_present.add(o.theme.canonical_theme)
        if o.key in seen:
            continue
        seen.add(o.key)
        section = o.theme.section
        where = section.neighbourhood.display_name if section.neighbourhood else section.name
        objective_choices.append((o.key, f"{where} — {o.label}"))
    funders = [cf.funder for cf in call.call_funders.select_related("funder").order_by("funder__name")]
    return QueueChoices(
        neighbourhoods=[(n.code, f"{n.display_name} ({n.code})") for n in hoods],
        themes=[(code, label) for code, label in CANONICAL_THEMES.items() if code in themes_present],
        objectives=objective_choices,
        funders=funders,
        neighbourhood_names=names,
    )


def queue_base(call: Call) -> QuerySet[Application]:
    """The call's applications that reached the review side."""
    return Application.objects.filter(call=call, status__in=REVIEW_STATUSES)


def _confirmed_or_claimed(call: Call, keys) -> Q:
    """Applications whose confirmed match has one of ``keys``; without a confirmed match, whose applicant claimed
    one. Non-correlated ``IN`` subqueries: each is evaluated once, whatever the number of applications."""
    of_call = {"application__call": call}
    confirmed = ConfirmedMatch.objects.filter(objective_key__in=keys, **of_call).values("application_id")
    any_confirmed = ConfirmedMatch.objects.filter(**of_call).values("application_id")
    claimed = ClaimedObjective.objects.filter(objective_key__in=keys, **of_call).values("application_id")
    return Q(pk__in=confirmed) | (~Q(pk__in=any_confirmed) & Q(pk__in=claimed))


def queue_filter(qs: QuerySet[Application], *, call: Call, filters: QueueFilters,
                 with_status: bool = True) -> QuerySet[Application]:
    """Narrow the queue; ``with_status=False`` leaves the status out (the counts per status use it)."""
    f = filters
    if f.neighbourhood:
        qs = qs.filter(neighbourhood_codes__icontains=f",{f.neighbourhood},")
    if f.theme:
        keys = list(Objective.objects.filter(theme__section__version_id=call.framework_version_id,
                                              theme__canonical_theme=f.theme).values_list("key", flat=True))
        qs = qs.filter(_confirmed_or_claimed(call, keys))
    if f.objective:
        qs = qs.filter(_confirmed_or_claimed(call, [f.objective]))
    if f.status and with_status:
        qs = qs.filter(status=f.status)
    if f.funder is not None:
        qs = qs.filter(pk__in=FundingRequest.objects.filter(funder=f.funder, application__call=call)
                       .values("application_id"))
    if f.findings == "bloquants":
        qs = qs.filter(findings_blocking__gt=0)
    elif f.findings == "avertissements":
        qs = qs.filter(findings_warnings__gt=0)
    elif f.findings == "aucun":
        qs = qs.filter(findings_blocking=0, findings_warnings=0)
    if f.renewal:
        qs = qs.filter(renewal=f.renewal == "renouvellement")
    if f.amount_min is not None:
        qs = qs.filter(requested_total__gte=f.amount_min)
    if f.amount_max is not None:
        qs = qs.filter(requested_total__lte=f.amount_max)
    if f.text:
        qs = qs.filter(Q(title__icontains=f.text) | Q(reference__icontains=f.text)
                       | Q(organisation__legal_name__icontains=f.text) | Q(organisation__acronym__icontains=f.text))
    return qs


def queue_sort(qs: QuerySet[Application], *, sort: str, descending: bool) -> QuerySet[Application]:
    _, fields = SORTS.get(sort, SORTS[DEFAULT_SORT])
    if "status_rank" in fields:
        qs = qs.annotate(status_rank=_status_rank)
    # a missing reference or date stays at the end in both directions
    order = [F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True) for f in fields]
    return qs.order_by(*order, "-pk" if descending else "pk")


def queue_status_counts(qs_without_status: QuerySet[Application]) -> list[dict]:
    """[{"status", "label", "count"}] in the order of the work, for the applications matching the other filters:
    one grouped query."""
    counts = dict(qs_without_status.order_by().values_list("status").annotate(n=Count("pk")))
    return [{"status": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in STATUS_ORDER]


def queue_annotate(qs: QuerySet[Application]) -> QuerySet[Application]:
    """What a row shows, read in the same query: the organisation, the primary confirmed objective and its theme,
    the number of opinions given and the total proposed by the funders."""
    primary = ConfirmedMatch.objects.filter(application=OuterRef("pk"), is_primary=True)
    assessments = Assessment.objects.filter(application=OuterRef("pk")).order_by().values("application")
    return (qs.select_related("organisation").defer("content", "findings")  # the Cerfa's JSON is not shown here
            .annotate(confirmed_label=Subquery(primary.values("objective__label")[:1]),
                      confirmed_key=Subquery(primary.values("objective_key")[:1]),
                      confirmed_theme=Subquery(primary.values("objective__theme__canonical_theme")[:1]),
                      opinions_given=Subquery(assessments.exclude(opinion="").annotate(n=Count("pk")).values("n")),
                      proposed_total=Subquery(assessments.annotate(s=Sum("proposed_amount")).values("s"),
                                              output_field=DecimalField(max_digits=14, decimal_places=2))))


def queue_rows(qs: QuerySet[Application], *, call: Call, with_requests: bool = False) -> QuerySet[Application]:
    """The annotated rows; ``with_requests`` prefetches the amounts asked of each funder (the CSV's columns)."""
    qs = queue_annotate(qs)
    if with_requests:
        qs = qs.prefetch_related(Prefetch("funding_requests", queryset=FundingRequest.objects.order_by("pk")))
    return qs


def attach_call(rows, call: Call) -> list[Application]:
    """Give every row its call (the predicates read ``application.call``) without a query per row."""
    rows = list(rows)
    for row in rows:
        row.call = call
    return rows


def queue_call(slug: str) -> QuerySet[Call]:
    return Call.objects.filter(slug=slug).select_related("contract", "framework_version")


def saved_views(user, call: Call) -> QuerySet[SavedView]:
    return SavedView.objects.filter(user=user, call=call).order_by("name", "pk")
