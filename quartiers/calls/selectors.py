"""Reads on calls: the calls open now, a call's summary, and the call as the rules engine reads it."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import cast

from django.db.models import Prefetch, QuerySet

from quartiers.calls.models import Call, CallFunder, call_is_accepting
from quartiers.engine.rules import model as engine

__all__ = ["CallSummary", "call_is_accepting", "call_summary", "call_to_engine", "calls_open", "rule_settings_to_engine"]


def _with_funders(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("contract", "framework_version").prefetch_related(
        Prefetch("call_funders", queryset=CallFunder.objects.select_related("funder").order_by("funder__name", "pk")),
        "neighbourhoods",
    )


def calls_open(now: datetime) -> QuerySet:
    """The calls accepting applications at ``now``, deadline first, with their funders and neighbourhoods."""
    return _with_funders(Call.objects.open_now(now)).order_by("closes_at", "pk")


def calls_visible() -> QuerySet:
    """Every call the public may see (open or closed), most recent first."""
    return _with_funders(Call.objects.visible()).order_by("-year", "-opens_at", "pk")


@dataclass(frozen=True)
class CallSummary:
    envelopes_total: Decimal
    funders_count: int
    by_kind: dict[str, Decimal]
    neighbourhoods_count: int


def call_summary(call: Call) -> CallSummary:
    """Totals of a call: the sum of its envelopes (all funders, and per kind of funder)."""
    call_funders = list(call.call_funders.all())
    by_kind: dict[str, Decimal] = {}
    for cf in call_funders:
        by_kind[cf.funder.kind] = by_kind.get(cf.funder.kind, Decimal(0)) + cf.envelope
    return CallSummary(
        envelopes_total=sum((cf.envelope for cf in call_funders), Decimal(0)),
        funders_count=len(call_funders),
        by_kind=by_kind,
        neighbourhoods_count=len(call.neighbourhoods.all()),
    )


def rule_settings_to_engine(call: Call) -> engine.RuleSettings:
    rules = {
        code: engine.RuleSetting(enabled=bool(setting.get("enabled", True)), severity=setting.get("severity") or None)
        for code, setting in (call.rule_settings or {}).items()
    }
    return engine.RuleSettings(
        rules=rules,
        min_qpv_share=Decimal(call.min_qpv_share),
        max_public_share=Decimal(call.max_public_share),
        weak_match_threshold=float(call.weak_match_threshold),
        max_total_budget=Decimal(call.max_total_budget),
    )


def call_to_engine(call: Call) -> engine.Call:
    """The call as ``quartiers.engine.rules`` reads it.

    Each funder's ``code`` is ``Funder.code`` (« kind:siret », e.g. ``etat_bop147:17300001900013``): stable across
    calls and versions, and the code the applications use for their requested amounts and line 74.
    """
    funders = tuple(
        engine.Funder(code=cf.funder.code, kind=cast(engine.FunderKind, cf.funder.kind), name=cf.funder.name,
                      siret=cf.funder.siret, envelope=cf.envelope)
        for cf in sorted(call.call_funders.all(), key=lambda cf: (cf.funder.name, cf.pk))
    )
    return engine.Call(
        year=call.year,
        opens_at=call.opens_at,
        closes_at=call.closes_at,
        funders=funders,
        neighbourhood_codes=tuple(sorted(n.code for n in call.neighbourhoods.all())),
        required_documents=tuple(call.required_documents or ()),
        settings=rule_settings_to_engine(call),
        title=call.title,
    )
