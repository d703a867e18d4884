"""Committee pages: the call's sessions, one session (agenda, decisions, live totals), closing it, the decision
letter and the notification of the applicant. Thin: scoped object → permission predicate → form → one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from quartiers.applications.models import Application
from quartiers.calls.models import Call, CallFunder
from quartiers.common.formats import CONVENTION_NOTE
from quartiers.reviews import perms
from quartiers.reviews.committee.forms import DecisionForm, SessionForm
from quartiers.reviews.committee.letter import letter_pdf
from quartiers.reviews.committee.selectors import (
    agenda_applications,
    agenda_candidates,
    application_lines,
    session_totals,
)
from quartiers.reviews.committee.services import (
    CommitteeError,
    agenda_add,
    agenda_move,
    agenda_remove,
    decision_record,
    decisions_notify,
    session_close,
    session_create,
)
from quartiers.reviews.committee.validation import ids_from
from quartiers.reviews.models import CommitteeSession, Decision, SessionStatus
from quartiers.reviews.views import base_url


def _forbidden(request, call):
    return render(request, "reviews/committee/403.html", {"call": call}, status=403)


def _posted_id(request, name: str) -> int | None:
    """A posted primary key, or None when it is missing, not digits or beyond any key."""
    ids = ids_from([request.POST.get(name, "")])
    return ids[0] if ids else None


def _session(request, pk, *, manage: bool = False) -> CommitteeSession:
    session = get_object_or_404(CommitteeSession.objects.select_related("call__contract"), pk=pk)
    check = perms.can_manage_committee if manage else perms.can_view_committee
    if not check(request.user, session.call):
        raise Http404
    return session


def _error(request, exc: CommitteeError) -> None:
    for message in exc.errors.values():
        messages.error(request, message)


@login_required
def sessions(request, slug):
    call = get_object_or_404(Call.objects.select_related("contract"), slug=slug)
    if not perms.can_view_committee(request.user, call):
        return _forbidden(request, call)
    can_manage = perms.can_manage_committee(request.user, call)
    form = SessionForm()
    if request.method == "POST":
        if not can_manage:
            return _forbidden(request, call)
        form = SessionForm(request.POST)
        if form.is_valid():
            session = session_create(call=call, **form.cleaned_data)
            messages.success(request, f"La séance « {session.title} » est créée : composez son ordre du jour.")
            return redirect("reviews:session", pk=session.pk)
    rows = call.committee_sessions.order_by("date", "pk")
    return render(request, "reviews/committee/sessions.html",
                  {"call": call, "sessions": rows, "form": form, "can_manage": can_manage},
                  status=400 if form.errors else 200)


def _item_context(request, session, application, call_funders, forms=None) -> dict:
    """What one agenda item shows: the application, each funder's line, and the decision forms."""
    lines = application_lines(application, call_funders, request.user)
    closed = session.status == SessionStatus.CLOSED
    for line in lines:
        if line.can_decide and not closed:
            prefix = f"d{application.pk}-{line.funder.pk}"
            line.form = (forms or {}).get(line.funder.pk) or DecisionForm(
                prefix=prefix, initial=DecisionForm.initial_for(line.decision, session))
    return {"application": application, "lines": lines,
            "see_assessments": perms.can_see_assessments(request.user, application),
            "recused": perms.has_conflict(request.user, application)}


def _totals(request, session, applications):
    """The session's totals as the person may read them (``session_totals`` with their ``AssessmentReader``)."""
    return session_totals(session, applications,
                          reader=perms.assessment_reader(request.user, session.call.contract_id))


def _session_context(request, session, forms=None) -> dict:
    applications = agenda_applications(session)
    call_funders = list(CallFunder.objects.filter(call=session.call_id).select_related("funder")
                        .order_by("funder__name", "pk"))
    items = [_item_context(request, session, a, call_funders, (forms or {}).get(a.pk)) for a in applications]
    positions = dict(session.items.values_list("application_id", "pk"))
    for number, item in enumerate(items, start=1):
        item["item_pk"] = positions.get(item["application"].pk)
        item["number"] = number
    can_manage = perms.can_manage_committee(request.user, session.call)
    return {"session": session, "call": session.call, "items": items,
            "totals": _totals(request, session, applications), "can_manage": can_manage,
            "closed": session.status == SessionStatus.CLOSED,
            "candidates": list(agenda_candidates(session)) if can_manage else []}


@login_required
def session(request, pk):
    session = _session(request, pk)
    return render(request, "reviews/committee/session.html", _session_context(request, session))


@login_required
@require_POST
def agenda(request, pk):
    session = _session(request, pk, manage=True)
    action = request.POST.get("action", "")
    try:
        if action == "add_reviewed":
            n = agenda_add(session=session)
            messages.success(request, f"{n} dossier(s) instruit(s) ajouté(s) à l'ordre du jour.")
        elif action == "add":
            ids = ids_from(request.POST.getlist("applications"))
            if not ids:
                raise CommitteeError({"applications": "Dossiers à ajouter : cochez au moins un dossier."})
            n = agenda_add(session=session, application_ids=ids)
            messages.success(request, f"{n} dossier(s) ajouté(s) à l'ordre du jour.")
        elif action in ("up", "down") and (item := _posted_id(request, "item")):
            agenda_move(session=session, item_id=item, offset=-1 if action == "up" else 1)
        elif action == "remove" and (item := _posted_id(request, "item")):
            agenda_remove(session=session, item_id=item)
            messages.success(request, "Le dossier est retiré de l'ordre du jour.")
        else:
            messages.error(request, "Action inconnue sur l'ordre du jour.")
    except CommitteeError as exc:
        _error(request, exc)
    return redirect(reverse("reviews:session", args=[session.pk]) + "#ordre-du-jour")


@login_required
@require_POST
def decide(request, pk, app_pk):
    session = _session(request, pk)
    application = get_object_or_404(
        Application.objects.select_related("call"), pk=app_pk, call=session.call_id, agenda_items__session=session)
    call_funder = CallFunder.objects.select_related("funder").filter(
        call=session.call_id, funder=_posted_id(request, "funder")
    ).first()
    if call_funder is None or not perms.can_view_application(request.user, application):
        raise Http404
    funder = call_funder.funder
    if not (perms.can_decide(request.user, application, funder) or perms.has_conflict(request.user, application)):
        raise Http404
    form = DecisionForm(request.POST, prefix=f"d{application.pk}-{funder.pk}")
    failed = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = decision_record(session=session, application=application, funder=funder, by=request.user,
                                       **{k: v for k, v in data.items()})
        except CommitteeError as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
            failed = form
        else:
            text = f"Décision de {funder.name} enregistrée : {decision.get_outcome_display()}"
            if decision.needs_convention:
                text += f" — {CONVENTION_NOTE}"
            messages.success(request, text + ".")
    else:
        failed = form
    forms = {application.pk: {funder.pk: failed}} if failed else None
    if request.htmx:
        session.refresh_from_db()
        context = _session_context(request, session, forms)
        context["item"] = next(i for i in context["items"] if i["application"].pk == application.pk)
        return render(request, "reviews/committee/_decide_response.html", context)
    if failed:
        session.refresh_from_db()
        return render(request, "reviews/committee/session.html", _session_context(request, session, forms),
                      status=400)
    return redirect(reverse("reviews:session", args=[session.pk]) + f"#dossier-{application.pk}")


@login_required
@require_POST
def session_close_view(request, pk):
    session = _session(request, pk, manage=True)
    try:
        sent = session_close(session=session, by=request.user, base_url=base_url(request))
    except CommitteeError as exc:
        _error(request, exc)
    else:
        messages.success(request, f"La séance est close : ses décisions ne se modifient plus. {sent} porteur(s) "
                                  f"de projet notifié(s) par courriel.")
    return redirect("reviews:session", pk=session.pk)


@login_required
@require_POST
def notify(request, pk):
    application = get_object_or_404(Application.objects.select_related("call"), pk=pk)
    if not perms.can_manage_committee(request.user, application.call):
        raise Http404
    if not application.decisions.exists():
        messages.error(request, "Aucune décision à notifier sur ce dossier.")
    elif decisions_notify(application=application, by=request.user, base_url=base_url(request)):
        messages.success(request, f"Le porteur du dossier {application.reference} est notifié par courriel.")
    else:
        messages.info(request, "Les décisions de ce dossier sont déjà notifiées : aucun courriel envoyé.")
    back = request.POST.get("next", "")
    if back.startswith("/gestion/") and "//" not in back:
        return redirect(back)
    return redirect("reviews:letter", pk=application.pk)


def _letter_context(request, pk) -> dict:
    """What the letter shows (404 when the reader may not see a decision of this application yet)."""
    application = get_object_or_404(
        Application.objects.select_related("organisation", "call__contract"), pk=pk)
    review_side = perms.can_read_decisions(request.user, application)
    if not perms.can_see_decision(request.user, application):
        raise Http404
    decisions = Decision.objects.filter(application=application).select_related("funder").order_by("funder__name")
    if not review_side:
        decisions = decisions.filter(notified_at__isnull=False)
    decisions = list(decisions)
    if not decisions:
        raise Http404
    return {
        "application": application, "organisation": application.organisation, "contract": application.call.contract,
        "decisions": decisions, "review_side": review_side,
        "can_notify": perms.can_manage_committee(request.user, application.call),
        "pending": [d for d in decisions if d.notified_at is None],
        "letter_date": max(d.decided_on for d in decisions),
    }


@login_required
def letter(request, pk):
    return render(request, "reviews/letter/letter.html", _letter_context(request, pk))


@login_required
def letter_pdf_view(request, pk):
    context = _letter_context(request, pk)
    data = letter_pdf(application=context["application"], organisation=context["organisation"],
                      contract=context["contract"], decisions=context["decisions"],
                      letter_date=context["letter_date"])
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-{context["application"].reference}.pdf"'
    return response
