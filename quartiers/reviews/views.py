"""The review side's landing page and the helpers its pages share."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from quartiers.applications.models import REVIEW_STATUSES, Status
from quartiers.calls.models import Call
from quartiers.reviews import perms
from quartiers.reviews.models import ContractMember, ContractRole
from quartiers.reviews.queue.selectors import queue_call


@login_required
def home(request, template_name="reviews/home.html"):
    memberships = list(ContractMember.objects.of_user(request.user).select_related("contract", "funder"))
    contract_ids = {m.contract_id for m in memberships}
    calls = Call.objects.select_related("contract").order_by("-year", "title", "pk")
    if not request.user.is_superuser:
        calls = calls.filter(contract_id__in=contract_ids)
    calls = calls.annotate(
        n_review=Count("applications", filter=Q(applications__status__in=REVIEW_STATUSES)),
        n_to_check=Count("applications", filter=Q(applications__status=Status.SUBMITTED)),
        n_in_review=Count("applications", filter=Q(applications__status__in=(Status.ADMISSIBLE, Status.REVIEWED))),
        n_decided=Count("applications", filter=Q(applications__status__in=(Status.DECIDED, Status.REFUSED))),
    )
    rows = [{
        "call": call,
        "role": perms.membership(request.user, call.contract_id),
        "can_committee": perms.can_view_committee(request.user, call),
        "can_programme": perms.can_view_programme(request.user, call),
        "can_members": perms.can_manage_roles(request.user, call.contract_id),
        "can_grid": perms.can_configure_grid(request.user, call),
    } for call in calls]
    status = 200 if rows or memberships else 403
    return render(request, template_name, {"rows": rows, "memberships": memberships, "roles": ContractRole},
                  status=status)


def base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def call_or_403(request, slug, allowed):
    """The call (404 if unknown) and, when ``allowed(user, call)`` refuses, the 403 page to return instead."""
    call = get_object_or_404(queue_call(slug))
    if not allowed(request.user, call):
        return call, render(request, "reviews/queue/403.html", {"call": call}, status=403)
    return call, None
