"""Pages of the programme: the table of a call, its XLSX / ODS / CSV exports and the SCDL file of each funder.

Anonymous visitors go to the login page; people without a role giving the right see a 403 page (the whole call's
programme is refused, not one object); an unknown call, format or funder is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from quartiers.calls.models import Call
from quartiers.programme.exports import CONTENT_TYPES, FORMATS, filename, programme_file
from quartiers.programme.forms import ProgrammeFilterForm, parse_threshold
from quartiers.programme.scdl import scdl_file, scdl_filename
from quartiers.programme.selectors import STATUS_CHOICES, call_funders, funders_by_siret, programme
from quartiers.reviews import perms

FORBIDDEN_TEMPLATE = "programme/403.html"
PAGE_SIZE = 100  # lines of the table per page; the totals and the exports cover every line
STATUS_LABELS = dict(STATUS_CHOICES)


def _call(slug: str) -> Call:
    return get_object_or_404(Call.objects.select_related("contract").defer("description"), slug=slug)


def _forbidden(request, call):
    return render(request, FORBIDDEN_TEMPLATE, {"call": call}, status=403)


def _filters(request, call):
    funders = call_funders(call)
    form = ProgrammeFilterForm(request.GET or None, funders=funders)
    return form, funders, form.filters() if form.is_bound else {"funder": None, "status": None}


@login_required
def table(request, slug, template_name="programme/table.html"):
    call = _call(slug)
    if not perms.can_view_programme(request.user, call):
        return _forbidden(request, call)
    form, funders, filters = _filters(request, call)
    data = programme(call, **filters, reader=perms.assessment_reader(request.user, call.contract_id))
    query = urlencode({k: v for k, v in request.GET.items() if k in form.fields and v}) if form.is_valid() else ""
    downloads = [(fmt.upper(), f"{reverse('programme:export', args=[call.slug, fmt])}"
                  + (f"?{query}" if query else "")) for fmt in FORMATS]
    scdl_links = [(f, reverse("programme:scdl", args=[call.slug, f.siret])) for f in funders
                  if perms.can_export_scdl(request.user, call, f)]
    page = Paginator(data.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template_name, {
        "call": call, "form": form, "programme": data, "filters": filters, "downloads": downloads, "page": page,
        "page_query": f"{query}&" if query else "", "status_label": STATUS_LABELS.get(filters["status"], ""),
        "scdl_links": scdl_links, "per_funder": data.per_funder if len(data.per_funder) > 1 else [],
    })


@login_required
def export(request, slug, fmt):
    if fmt not in FORMATS:
        raise Http404("Format inconnu")
    call = _call(slug)
    if not perms.can_view_programme(request.user, call):
        return _forbidden(request, call)
    form, _funders, filters = _filters(request, call)
    if form.is_bound and not form.is_valid():
        messages = [e for errors in form.errors.values() for e in errors]
        return HttpResponse("\n".join(messages), status=400, content_type="text/plain; charset=utf-8")
    data = programme(call, **filters, reader=perms.assessment_reader(request.user, call.contract_id))
    suffix = f"-{filters['funder'].siret}" if filters["funder"] else ""
    response = HttpResponse(programme_file(data, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(data, fmt, suffix)}"'
    return response


@login_required
def scdl(request, slug, siret):
    call = _call(slug)
    funders = funders_by_siret(call, siret)
    if not funders:
        if not perms.can_view_programme(request.user, call):
            return _forbidden(request, call)
        raise Http404("Financeur inconnu")
    if not any(perms.can_export_scdl(request.user, call, f) for f in funders):
        return _forbidden(request, call)
    try:
        threshold = parse_threshold(request.GET.get("seuil"))
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(scdl_file(call, funders, threshold=threshold), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{scdl_filename(call.slug, funders[0].siret)}"'
    return response
