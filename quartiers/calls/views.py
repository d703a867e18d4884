"""Pages of calls: the staff pages (list, create, edit, extend, open, close, detail) and the public pages.

Every view reads like a receipt: scoped queryset → form → one service → message and redirect (POST/redirect/GET).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from quartiers.calls import forms, services
from quartiers.calls.models import RULE_SEVERITIES, Call, CallFunder, CallStatus, call_is_accepting
from quartiers.calls.perms import can_close_call, can_edit_call, can_extend_call, can_manage_calls, can_open_call
from quartiers.calls.selectors import call_summary, calls_open, calls_visible
from quartiers.engine.rules.checks import RULES
from quartiers.engine.rules.model import DOCUMENT_TYPES, FUNDER_KINDS

# The applications app builds this page; linked by path so that this app does not depend on it.
APPLY_PATH = "/demandes/nouvelle/?appel={slug}"


def staff_required(view: Callable) -> Callable:
    """Anonymous visitors go to the login page; signed-in people who do not manage calls get a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_manage_calls(request.user):
            return render(request, "calls/staff/403.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _staff_calls():
    return Call.objects.select_related("contract", "framework_version").defer("framework_version__source_file")


def _detail_url(call: Call) -> str:
    return reverse("calls:staff_call", args=[call.pk])


def _show_errors(exc: ValidationError, form, formset=None, indices: list[int] | None = None) -> None:
    """Put a service's refusal on the field it names: a call field, a row of the funders table, or the form."""
    for key, errors in exc.message_dict.items():
        if formset is not None and key.startswith("funders-"):
            _, position, field = key.split("-", 2)
            row = formset.forms[indices[int(position)]] if indices else formset.forms[int(position)]
            row.add_error(field if field in row.fields else None, errors)
        elif key in form.fields:
            form.add_error(key, errors)
        elif key in ("opens_at", "closes_at") and f"{key[:-3]}_on" in form.fields:
            form.add_error(f"{key[:-3]}_on", errors)
        else:  # NON_FIELD_ERRORS, or a field the form does not show
            form.add_error(None, errors)


# --- Staff pages -----------------------------------------------------------------------------------------------


@staff_required
def staff_calls(request: HttpRequest, template_name: str = "calls/staff/list.html") -> HttpResponse:
    calls = (_staff_calls().annotate(n_funders=Count("call_funders", distinct=True),
                                     envelopes_total=Sum("call_funders__envelope"))
             .order_by("contract__name", "-year", "-opens_at", "pk"))
    return render(request, template_name, {"calls": calls, "now": timezone.now()})


@staff_required
def staff_call_create(request: HttpRequest, template_name: str = "calls/staff/form.html") -> HttpResponse:
    form = forms.CallForm(data=_posted(request))
    formset = forms.funder_formset(data=_posted(request))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        indexed = formset.lines()
        try:
            call = services.call_create(contract=form.cleaned_data["contract"], by=request.user,
                                        neighbourhoods=form.cleaned_data["neighbourhoods"],
                                        funders=[line for _, line in indexed], **form.call_fields())
        except ValidationError as exc:
            _show_errors(exc, form, formset, [i for i, _ in indexed])
        else:
            messages.success(request, f"L'appel « {call.title} » est créé en brouillon.")
            return redirect(_detail_url(call))
    return render(request, template_name, {"form": form, "formset": formset, "call": None,
                                           "title": "Créer un appel à projets"})


@staff_required
def staff_call_edit(request: HttpRequest, pk: int, template_name: str = "calls/staff/form.html") -> HttpResponse:
    call = get_object_or_404(_staff_calls(), pk=pk)
    if call.status == CallStatus.OPEN:
        return redirect("calls:staff_call_extend", pk=call.pk)
    if not can_edit_call(request.user, call):
        messages.error(request, "Un appel clos ne peut plus être modifié.")
        return redirect(_detail_url(call))
    form = forms.CallForm(data=_posted(request), call=call)
    formset = forms.funder_formset(data=_posted(request), call=call)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        indexed = formset.lines()
        try:
            services.call_update(call=call, by=request.user, neighbourhoods=form.cleaned_data["neighbourhoods"],
                                 funders=[line for _, line in indexed], **form.call_fields())
        except ValidationError as exc:
            _show_errors(exc, form, formset, [i for i, _ in indexed])
        else:
            messages.success(request, "Les modifications de l'appel sont enregistrées.")
            return redirect(_detail_url(call))
    return render(request, template_name, {"form": form, "formset": formset, "call": call,
                                           "title": f"Modifier l'appel « {call.title} »"})


@staff_required
def staff_call_extend(request: HttpRequest, pk: int, template_name: str = "calls/staff/extend.html") -> HttpResponse:
    call = get_object_or_404(_staff_calls(), pk=pk)
    if not can_extend_call(request.user, call):
        return redirect("calls:staff_call_edit", pk=call.pk) if can_edit_call(request.user, call) else \
            redirect(_detail_url(call))
    closes = timezone.localtime(call.closes_at)
    form = forms.ExtendForm(data=_posted(request), initial={"closes_on": closes.date(), "closes_time": closes.time()})
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(call=call, by=request.user, closes_at=form.cleaned_data["closes_at"])
        except ValidationError as exc:
            _show_errors(exc, form)
        else:
            messages.success(request, "La date de clôture de l'appel est repoussée.")
            return redirect(_detail_url(call))
    return render(request, template_name, {"form": form, "call": call})


def _transition_page(request: HttpRequest, pk: int, *, allowed: Callable, action: Callable, success: str,
                     template_name: str, refused: str) -> HttpResponse:
    call = get_object_or_404(_staff_calls(), pk=pk)
    if not allowed(request.user, call):
        messages.error(request, refused.format(status=call.get_status_display().lower()))
        return redirect(_detail_url(call))
    form = forms.TransitionForm(data=_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            action(call=call, by=request.user, why=form.cleaned_data["why"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, success.format(title=call.title))
        return redirect(_detail_url(call))
    return render(request, template_name, {"form": form, "call": call, "summary": call_summary(call)})


@staff_required
def staff_call_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition_page(request, pk, allowed=can_open_call, action=services.call_open,
                            success="L'appel « {title} » est ouvert.", template_name="calls/staff/open.html",
                            refused="L'appel est {status} : seul un appel en brouillon peut être ouvert.")


@staff_required
def staff_call_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition_page(request, pk, allowed=can_close_call, action=services.call_close,
                            success="L'appel « {title} » est clos.", template_name="calls/staff/close.html",
                            refused="L'appel est {status} : seul un appel ouvert peut être clos.")


@staff_required
def staff_call(request: HttpRequest, pk: int, template_name: str = "calls/staff/detail.html") -> HttpResponse:
    call = get_object_or_404(_staff_calls().prefetch_related(
        Prefetch("call_funders", queryset=CallFunder.objects.select_related("funder").order_by("funder__name")),
        "neighbourhoods", "transitions__by"), pk=pk)
    settings = call.rule_settings or {}
    rules = [{"rule": r, "enabled": settings.get(r.code, {}).get("enabled", r.enabled_by_default),
              "severity": RULE_SEVERITIES[settings.get(r.code, {}).get("severity") or r.severity],
              "changed": r.code in settings} for r in RULES]
    user = request.user
    return render(request, template_name, {
        "call": call, "summary": call_summary(call), "rules": rules,
        "documents": [DOCUMENT_TYPES[d] for d in call.required_documents if d in DOCUMENT_TYPES],
        "accepting": call_is_accepting(call, timezone.now()),
        "can_edit": can_edit_call(user, call), "can_extend": can_extend_call(user, call),
        "can_open": can_open_call(user, call), "can_close": can_close_call(user, call),
    })


# --- Public pages ----------------------------------------------------------------------------------------------


def public_calls(request: HttpRequest, template_name: str = "calls/public/list.html") -> HttpResponse:
    now = timezone.now()
    open_calls = list(calls_open(now))
    open_ids = {c.pk for c in open_calls}
    other_calls = [c for c in calls_visible() if c.pk not in open_ids]
    return render(request, template_name, {
        "open_calls": [(c, call_summary(c)) for c in open_calls],
        "other_calls": other_calls,
    })


def public_call(request: HttpRequest, slug: str, template_name: str = "calls/public/detail.html") -> HttpResponse:
    call = get_object_or_404(calls_visible(), slug=slug)
    now = timezone.now()
    return render(request, template_name, {
        "call": call, "summary": call_summary(call),
        "documents": [DOCUMENT_TYPES[d] for d in call.required_documents if d in DOCUMENT_TYPES],
        "funder_kinds": FUNDER_KINDS,
        "accepting": call_is_accepting(call, now), "not_yet_open": call.status == CallStatus.OPEN and now < call.opens_at,
        "apply_url": APPLY_PATH.format(slug=call.slug),
    })
