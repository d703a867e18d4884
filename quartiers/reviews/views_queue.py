"""Pages of a call's review queue (filters, sorting, counts, saved views, CSV export) and of the contract's members.

Anonymous visitors go to the login page; a signed-in person without a role in the contract gets a 403 page for the
call's pages, and a 404 for another person's saved view. Every check is a predicate of ``reviews/perms.py``.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from quartiers.calls.models import Funder
from quartiers.common.formats import safe_text, spreadsheet_amount
from quartiers.engine.framework import CANONICAL_THEMES
from quartiers.reviews import perms
from quartiers.reviews.forms_queue import CsvColumnsForm, MemberForm, QueueFilterForm, SavedViewForm, csv_columns
from quartiers.reviews.models import ContractMember, ContractRole, SavedView
from quartiers.reviews.roles import RoleError, member_add, member_change, member_remove
from quartiers.reviews.selectors import (
    QUEUE_PAGE_SIZE,
    SORTS,
    attach_call,
    contract_members,
    queue_base,
    queue_call,
    queue_choices,
    queue_filter,
    queue_rows,
    queue_sort,
    queue_status_counts,
    saved_views,
)


def _call_or_403(request, slug, allowed):
    """The call (404 if unknown) and, when ``allowed(user, call)`` refuses, the 403 page to return instead."""
    call = get_object_or_404(queue_call(slug))
    if not allowed(request.user, call):
        return call, render(request, "reviews/queue/403.html", {"call": call}, status=403)
    return call, None


def _queue_url(call, query: str = "") -> str:
    url = reverse("reviews:queue", args=[call.slug])
    return f"{url}?{query}" if query else url


def _filtered(call, form: QueueFilterForm):
    filters = form.filters()
    others = queue_filter(queue_base(call), call=call, filters=filters, with_status=False)
    matching = others.filter(status=filters.status) if filters.status else others
    return filters, others, queue_sort(matching, sort=filters.sort, descending=filters.descending)


def _sort_headers(form: QueueFilterForm, filters, call) -> dict:
    """Per sortable column: the link that sorts by it (toggling the direction) and its aria-sort value."""
    base = form.query_string(without=("tri", "ordre"))
    out = {}
    for key in SORTS:
        current = filters.sort == key
        descending = not filters.descending if current else False
        query = "&".join(p for p in (base, f"tri={key}", "ordre=desc" if descending else "ordre=asc") if p)
        out[key] = {"url": _queue_url(call, query), "current": current,
                    "aria": ("descending" if filters.descending else "ascending") if current else "none",
                    "next": "décroissant" if descending else "croissant"}
    return out


@login_required
def queue(request, slug, template_name="reviews/queue/queue.html"):
    call, refused = _call_or_403(request, slug, perms.can_review_call)
    if refused:
        return refused
    choices = queue_choices(call)
    form = QueueFilterForm(request.GET, choices=choices)
    filters, others, ordered = _filtered(call, form)
    counts = queue_status_counts(others)
    total = sum(c["count"] for c in counts if not filters.status or c["status"] == filters.status)
    paginator = Paginator(queue_rows(ordered, call=call), QUEUE_PAGE_SIZE)
    paginator.count = total  # already counted by status: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    insider = perms.role(request.user, call.contract_id) in perms.INSIDERS
    rows = attach_call(page.object_list, call)
    for row in rows:
        row.hoods = [choices.neighbourhood_names.get(c, c) for c in row.neighbourhood_code_list]
        row.conflict = perms.has_conflict(request.user, row)
        row.show_assessments = perms.can_see_assessments(request.user, row)
        row.theme_label = CANONICAL_THEMES.get(row.confirmed_theme or "", "")
    query = form.query_string()
    status_query = form.query_string(without=("statut",))
    for c in counts:
        c["url"] = _queue_url(call, "&".join(p for p in (status_query, f"statut={c['status']}") if p))
        c["current"] = filters.status == c["status"]
    return render(request, template_name, {
        "call": call, "form": form, "filters": filters, "rows": rows, "page": page, "paginator": paginator,
        "total": total, "counts": counts, "counts_total": sum(c["count"] for c in counts),
        "sort_label": SORTS[filters.sort][0], "all_url": _queue_url(call, status_query), "query": query,
        "page_query": "&".join(p for p in (query, "page=") if p),
        "sorts": _sort_headers(form, filters, call), "filter_errors": form.error_messages(),
        "insider": insider, "saved_views": saved_views(request.user, call),
        "saved_view_form": SavedViewForm(initial={"query": query}),
        "can_export": perms.can_export_queue(request.user, call),
        "csv_form": CsvColumnsForm(funders=choices.funders),
        "can_manage_roles": perms.can_manage_roles(request.user, call.contract_id),
        "hidden_filters": [(name, form.data.get(name)) for name in QueueFilterForm.KEPT if form.data.get(name)],
    })


# --- CSV export --------------------------------------------------------------------------------------------------


def _csv_value(key: str, row, *, names: dict, requests: dict):
    if key.startswith("funder_"):
        return spreadsheet_amount(requests.get(int(key.removeprefix("funder_"))))
    match key:
        case "reference":
            return row.reference or ""
        case "organisation":
            return row.organisation.legal_name
        case "siret":
            return row.organisation.siret
        case "title":
            return row.title
        case "neighbourhoods":
            return ", ".join(f"{names.get(c, c)} ({c})" for c in row.neighbourhood_code_list)
        case "status":
            return row.get_status_display()
        case "renewal":
            return "renouvellement" if row.renewal else "nouvelle action"
        case "submitted_at":
            return timezone.localtime(row.submitted_at).strftime("%d/%m/%Y") if row.submitted_at else ""
        case "total_budget":
            return spreadsheet_amount(row.total_budget)
        case "requested_total":
            return spreadsheet_amount(row.requested_total)
        case "findings_blocking":
            return row.findings_blocking
        case "findings_warnings":
            return row.findings_warnings
        case "objective":
            return row.confirmed_label or "à confirmer"
        case "theme":
            return CANONICAL_THEMES.get(row.confirmed_theme or "", "")
        case "opinions":
            return row.opinions_given or 0 if row.show_assessments else ""
        case "proposed_total":
            return spreadsheet_amount(row.proposed_total) if row.show_assessments else ""
    raise KeyError(key)


def _csv_cell(value):
    """Typed text (a title, an organisation's name…) made inert for spreadsheets; numbers and amounts as they are."""
    return safe_text(value) if isinstance(value, str) else value


@login_required
def queue_csv(request, slug):
    call, refused = _call_or_403(request, slug, perms.can_export_queue)
    if refused:
        return refused
    choices = queue_choices(call)
    form = QueueFilterForm(request.GET, choices=choices)
    columns_form = CsvColumnsForm(request.GET, funders=choices.funders)
    if not columns_form.is_valid():
        for errors in columns_form.errors.values():
            for e in errors:
                messages.error(request, f"Export impossible. {e}")
        return redirect(_queue_url(call, form.query_string()))
    headers = dict(csv_columns(choices.funders))
    keys = [k for k in headers if k in columns_form.cleaned_data["colonnes"]]  # in the file's order
    _, _, ordered = _filtered(call, form)
    with_requests = any(k.startswith("funder_") for k in keys)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="instruction-{call.slug}-{stamp}.csv"'
    response.write("\ufeff")  # the BOM tells Excel the file is UTF-8
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow([headers[k] for k in keys])
    rows = attach_call(queue_rows(ordered, call=call, with_requests=with_requests), call)
    for row in rows:
        row.show_assessments = perms.can_see_assessments(request.user, row)
        requests = {r.funder_id: r.amount for r in row.funding_requests.all()} if with_requests else {}
        writer.writerow([_csv_cell(_csv_value(k, row, names=choices.neighbourhood_names, requests=requests))
                         for k in keys])
    return response


# --- saved views ---------------------------------------------------------------------------------------------------


@login_required
@require_POST
def view_save(request, slug):
    call, refused = _call_or_403(request, slug, perms.can_review_call)
    if refused:
        return refused
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, f"La vue n'a pas été enregistrée. {e}")
        return redirect(_queue_url(call, form.data.get("query", "")[:1000]))
    saved, created = form.save(user=request.user, call=call)
    messages.success(request, f"Vue « {saved.name} » enregistrée." if created
                     else f"Vue « {saved.name} » mise à jour avec les filtres actuels.")
    return redirect(_queue_url(call, saved.query))


@login_required
@require_POST
def view_delete(request, slug, pk):
    call, refused = _call_or_403(request, slug, perms.can_review_call)
    if refused:
        return refused
    saved = get_object_or_404(SavedView, pk=pk, user=request.user, call=call)
    saved.delete()
    messages.success(request, f"Vue « {saved.name} » supprimée.")
    return redirect(_queue_url(call))


# --- members -------------------------------------------------------------------------------------------------------


def _funder(form: MemberForm):
    """The funder chosen on the form (any contract: the service refuses another contract's), or None."""
    pk = form.cleaned_data.get("funder")
    if pk is None:
        return None
    funder = Funder.objects.filter(pk=pk).first()
    if funder is None:
        raise RoleError("Financeur représenté : ce financeur n'existe pas.", field="funder")
    return funder


def _posted_member(request, call, *related) -> ContractMember:
    """The member of the call's contract named by the posted « member »: 404 when it is no such member, a number
    or not (a tampered form must not end in a server error)."""
    raw = request.POST.get("member", "")
    if not (raw.isascii() and raw.isdigit()):
        raise Http404("Membre inconnu")
    return get_object_or_404(ContractMember.objects.select_related(*related), pk=int(raw),
                             contract_id=call.contract_id)


def _member_post(request, call):
    """Run the posted action; returns the form to show again with its errors, or None when done."""
    action = request.POST.get("action")
    funders = list(call.contract.funders.order_by("name"))
    if action == "remove":
        member = _posted_member(request, call, "user")
        try:
            member_remove(member=member)
        except RoleError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{_who(member.user)} ne fait plus partie du contrat.")
        return None
    if action not in ("add", "change"):
        raise Http404
    form = MemberForm(request.POST, funders=funders, with_email=action == "add")
    if not form.is_valid():
        return form
    try:
        funder = _funder(form)
        if action == "add":
            member = member_add(contract=call.contract, email=form.cleaned_data["email"],
                                role=form.cleaned_data["role"], funder=funder)
            messages.success(request, f"{_who(member.user)} rejoint le contrat : {member.get_role_display()}.")
        else:
            member = _posted_member(request, call, "user", "contract")
            member_change(member=member, role=form.cleaned_data["role"], funder=funder)
            messages.success(request, f"{_who(member.user)} est désormais {member.get_role_display()}.")
    except RoleError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return form
    return None


def _who(user) -> str:
    return user.get_full_name() or user.email or user.username


@login_required
def members(request, slug, template_name="reviews/members/members.html"):
    call, refused = _call_or_403(request, slug, lambda user, c: perms.can_manage_roles(user, c.contract_id))
    if refused:
        return refused
    funders = list(call.contract.funders.order_by("name"))
    form = MemberForm(funders=funders)
    if request.method == "POST":
        failed = _member_post(request, call)
        if failed is None:
            return redirect("reviews:members", slug=call.slug)
        if "email" not in failed.fields:  # a change of role: its form is one line of the table
            for errors in failed.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("reviews:members", slug=call.slug)
        form = failed  # the add form shows again with what was typed and its errors
    return render(request, template_name, {
        "call": call, "members": contract_members(call.contract), "funders": funders, "form": form,
        "roles": ContractRole.choices,
    })
