"""Reads for the applications pages."""

from decimal import Decimal

from django.utils import timezone

from quartiers.applications.models import Application, Organisation
from quartiers.calls.models import Call, CallStatus
from quartiers.common.formats import euros


def calls_open_for_applications():
    """Calls an organisation may start a draft in: open now."""
    return Call.objects.open_now(timezone.now()).select_related("contract", "framework_version")


def calls_for_import():
    return Call.objects.filter(status=CallStatus.OPEN).select_related("contract", "framework_version")


def my_applications(user):
    return (Application.objects.of_user(user).select_related("call", "organisation")
            .order_by("-updated_at", "pk"))


def staff_applications():
    return Application.objects.select_related("call", "organisation").order_by("call", "reference", "pk")


def my_organisations(user):
    return Organisation.objects.of_user(user).order_by("legal_name")


def budget_totals(file, *, audience_total: int | None = None) -> dict:
    """The totals shown under the budget (computed by the engine's Budget, never trusted from the page)."""
    budget = file.application.budget
    charges = budget.total_charges
    income = budget.total_income
    total = file.application.audience_total if audience_total is None else audience_total
    return {
        "charges": euros(charges),
        "income": euros(income),
        "subsidies": euros(budget.subsidies_total),
        "voluntary_charges": euros(budget.charge("86")),
        "voluntary_income": euros(budget.income_line("87")),
        "balanced": charges == income,
        "difference": euros(abs(charges - income)),
        "beneficiaries": total,
        "qpv": file.application.audience_qpv,
        "cost_per_beneficiary": euros((charges / total).quantize(Decimal("0.01"))) if total else "—",
        "requested": euros(sum((r.amount for r in file.application.requested), Decimal(0))),
    }
