"""Pages of a call's review queue (filters, sorting, counts, saved views, CSV export).

Anonymous visitors go to the login page; a signed-in person without a role in the contract gets a 403 page for the
call's pages, and a 404 for another person's saved view. Every check is a predicate of ``reviews/perms.py``.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from quartiers.engine.framework import CANONICAL_THEMES
from quartiers.reviews import perms
from quartiers.reviews.models import SavedView
from quartiers.reviews.queue.exports import csv_cell, csv_value
from quartiers.reviews.queue.forms import CsvColumnsForm, QueueFilterForm, SavedViewForm, csv_columns
from quartiers.reviews.queue.selectors import (
    QUEUE_PAGE_SIZE,
    SORTS,
    attach_call,
    queue_base,
    queue_choices,
    queue_filter,
    queue_rows,
    queue_sort,
    queue_status_counts,
    saved_views,
)
from quartiers.reviews.views import call_or_403


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
    call, refused = call_or_403(request, slug, perms.can_review_call)
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
    reader = perms.assessment_reader(request.user, call.contract_id)
    rows = attach_call(page.object_list, call)
    for row in rows:
        row.hoods = [choices.neighbourhood_names.get(c, c) for c in row.neighbourhood_code_list]
        row.conflict = row.pk in reader.recused
        row.show_assessments = reader.sees(row.pk)
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
        "insider": reader.insider, "saved_views": saved_views(request.user, call),
        "saved_view_form": SavedViewForm(initial={"query": query}),
        "can_export": perms.can_export_queue(request.user, call),
        "csv_form": CsvColumnsForm(funders=choices.funders),
        "can_manage_roles": perms.can_manage_roles(request.user, call.contract_id),
        "hidden_filters": [(name, form.data.get(name)) for name in QueueFilterForm.KEPT if form.data.get(name)],
    })


@login_required
def queue_csv(request, slug):
    call, refused = call_or_403(request, slug, perms.can_export_queue)
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
    reader = perms.assessment_reader(request.user, call.contract_id)
    for row in rows:
        row.show_assessments = reader.sees(row.pk)
        requests = {r.funder_id: r.amount for r in row.funding_requests.all()} if with_requests else {}
        writer.writerow([csv_cell(csv_value(k, row, names=choices.neighbourhood_names, requests=requests))
                         for k in keys])
    return response


@login_required
@require_POST
def view_save(request, slug):
    call, refused = call_or_403(request, slug, perms.can_review_call)
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
    call, refused = call_or_403(request, slug, perms.can_review_call)
    if refused:
        return refused
    saved = get_object_or_404(SavedView, pk=pk, user=request.user, call=call)
    saved.delete()
    messages.success(request, f"Vue « {saved.name} » supprimée.")
    return redirect(_queue_url(call))
