"""The review of one application (everything the applicant gave, findings, matching, admissibility, assessments
per funder, conflicts, requests for information, residents' advice) and the call's scoring grid.

Access: anonymous → login; an application the user may not see → 404; a call's grid without the right → 403.
Every check is a predicate of ``reviews/perms.py``; every write is one service of ``reviews/review/services.py``.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from quartiers.applications.models import Application, FundingRequest
from quartiers.applications.services import ApplicationError
from quartiers.calls.models import Call
from quartiers.common.formats import euros
from quartiers.reviews import perms
from quartiers.reviews.models import Assessment, ScoringCriterion
from quartiers.reviews.review.forms import (
    AdmissibilityForm,
    AdviceForm,
    AssessmentForm,
    ConfirmMatchForm,
    ConflictForm,
    CriterionFormSet,
    InfoAnswerForm,
    InfoRequestForm,
    assessment_initial,
)
from quartiers.reviews.review.selectors import (
    confirmed_examples,
    funders_asked,
    objective_code,
    requested_amount,
    review_page,
    review_ranking,
    version_objectives,
)
from quartiers.reviews.review.services import (
    AssessmentConflict,
    ReviewError,
    admissibility_set,
    advice_save,
    application_mark_reviewed,
    assessment_save,
    conflict_declare,
    findings_refresh,
    grid_save,
    grid_suggestion,
    info_answer,
    info_request_create,
    match_confirm,
)
from quartiers.reviews.views import base_url


def _page_url(application, anchor: str = "") -> str:
    url = reverse("reviews:application", args=[application.pk])
    return f"{url}#{anchor}" if anchor else url


def _application(request, pk) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("call__framework_version", "call__contract", "organisation")
        .prefetch_related(Prefetch("funding_requests", queryset=FundingRequest.objects.select_related("funder"))),
        pk=pk)
    if not perms.can_view_application(request.user, application):
        raise Http404
    return application


def _errors(form) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs)


def _assessment_blocks(request, application, criteria, assessments) -> list[dict]:
    user = request.user
    rows = {a.funder_id: a for a in assessments}
    blocks = []
    for funder in funders_asked(application):
        assessment = rows.get(funder.pk)
        editable = perms.can_assess(user, application, funder)
        blocks.append({
            "funder": funder, "assessment": assessment, "requested": requested_amount(application, funder),
            "form": AssessmentForm(initial=assessment_initial(assessment, criteria), criteria=criteria,
                                   prefix=f"f{funder.pk}") if editable else None,
            "scores": [(c, (assessment.scores or {}).get(str(c.pk)) if assessment else None) for c in criteria],
        })
    return blocks


def _page_context(request, application) -> dict:
    """The review page (``review_page``: what the reader may read) with the forms of what they may do."""
    findings_refresh(application=application)  # kept at submission; computed and stored once for older files
    page = review_page(request.user, application)
    confirmed, verdict, own_advice = page.confirmed, page.verdict, page.own_advice
    return {
        **page.context(),
        "confirm_form": ConfirmMatchForm(objectives=page.objectives, initial={
            "objective": confirmed.objective_id if confirmed else None}) if page.can_confirm else None,
        "admissibility_form": AdmissibilityForm(initial={
            "verdict": ("admissible" if verdict.admissible else "inadmissible") if verdict else None,
            "reason": verdict.reason if verdict else ""}),
        "blocks": _assessment_blocks(request, application, page.criteria, page.assessments) if page.insider else [],
        "conflict_form": ConflictForm(),
        "info_form": InfoRequestForm(),
        "advice_form": AdviceForm(initial={"stance": own_advice.stance, "comment": own_advice.comment}
                                  if own_advice else None),
    }


@login_required
def application_review(request, pk, template_name="reviews/application/page.html"):
    application = _application(request, pk)
    return render(request, template_name, _page_context(request, application))


@login_required
def document(request, pk, doc_pk):
    """A document of the application: its own, or (``?structure=1``) a standing document of the organisation
    attached to it."""
    application = _application(request, pk)
    if not perms.can_read_documents(request.user, application):
        raise Http404
    docs = application.standing_documents if request.GET.get("structure") else application.documents
    doc = docs.filter(pk=doc_pk).first()
    if doc is None:
        raise Http404
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=doc.original_name, content_type=doc.content_type)


def _act(request, target: str, form, action, failed: str):
    """The common end of the page's POST actions: a form error or a refusal becomes a French message (nothing is
    written), success says what was done; then back to the page."""
    if form is not None and not form.is_valid():
        messages.error(request, f"{failed} : {_errors(form)}")
        return redirect(target)
    try:
        done = action(form.cleaned_data if form is not None else {})
    except (ReviewError, ApplicationError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(target)


def _allowed(request, pk, predicate) -> Application:
    application = _application(request, pk)
    if not predicate(request.user, application):
        raise Http404
    return application


@login_required
@require_POST
def admissibility(request, pk):
    application = _allowed(request, pk, perms.can_set_admissibility)

    def action(data):
        admissible = data["verdict"] == "admissible"
        admissibility_set(application=application, user=request.user, admissible=admissible, reason=data["reason"])
        return ("La demande est déclarée recevable : elle passe en instruction." if admissible
                else "La demande est déclarée irrecevable ; le motif est enregistré.")

    return _act(request, _page_url(application, "recevabilite"), AdmissibilityForm(data=request.POST), action,
                "Recevabilité non enregistrée")


@login_required
@require_POST
def confirm_match(request, pk):
    application = _allowed(request, pk, perms.can_confirm_match)
    objectives = list(version_objectives(application.call.framework_version))

    def action(data):
        objective = next(o for o in objectives if o.pk == data["objective"])
        rank = score = None
        examples = confirmed_examples(application.call, exclude=application)
        for hood in review_ranking(application, examples=examples):  # the engine's suggestion? keep rank and score
            for row in hood.rows:
                if hood.code == objective_code(objective) and row["match"].objective.key == objective.key:
                    rank, score = row["rank"], round(float(row["match"].score), 4)
        match_confirm(application=application, objective=objective, user=request.user, suggested_rank=rank,
                      suggested_score=score)
        how = f"proposé au rang {rank} par le moteur" if rank else "choisi hors des propositions du moteur"
        return f"Rattachement confirmé : « {objective.label} » ({how})."

    return _act(request, _page_url(application, "rattachement"),
                ConfirmMatchForm(data=request.POST, objectives=objectives), action, "Rattachement non enregistré")


def _funder_of(application, funder_pk):
    for funder in funders_asked(application):
        if funder.pk == funder_pk:
            return funder
    raise Http404


@login_required
def assessment(request, pk, funder_pk, template_name="reviews/application/assessment.html"):
    application = _application(request, pk)
    funder = _funder_of(application, funder_pk)
    if not perms.can_assess(request.user, application, funder):
        raise Http404
    criteria = list(ScoringCriterion.objects.filter(call=application.call))
    current = Assessment.objects.select_related("updated_by").filter(application=application, funder=funder).first()
    prefix = f"f{funder.pk}"
    context = {"application": application, "funder": funder, "criteria": criteria,
               "requested": requested_amount(application, funder), "current": current}
    if request.method != "POST":
        context["form"] = AssessmentForm(initial=assessment_initial(current, criteria), criteria=criteria,
                                         prefix=prefix)
        return render(request, template_name, context)
    form = AssessmentForm(data=request.POST, criteria=criteria, prefix=prefix)
    if not form.is_valid():
        context.update(form=form, error="L'avis n'a pas été enregistré : " + _errors(form))
        return render(request, template_name, context, status=400)
    data = form.cleaned_data
    try:
        saved = assessment_save(application=application, funder=funder, user=request.user, version=data["version"],
                                opinion=data["opinion"], proposed_amount=data["proposed_amount"],
                                comment=data["comment"], scores=form.scores())
    except AssessmentConflict as exc:
        mine = request.POST.copy()
        mine[f"{prefix}-version"] = str(exc.current.version)  # saving again is an informed choice
        context.update(form=AssessmentForm(data=mine, criteria=criteria, prefix=prefix), error=str(exc),
                       theirs=exc.current, current=exc.current,
                       their_scores=[(c, (exc.current.scores or {}).get(str(c.pk))) for c in criteria])
        return render(request, template_name, context, status=409)
    except ReviewError as exc:
        context.update(form=form, error=str(exc))
        return render(request, template_name, context, status=400)
    messages.success(request, f"Avis de {funder.name} enregistré.")
    requested = context["requested"]
    if saved.proposed_amount is not None and saved.proposed_amount > requested:
        messages.warning(request, f"Le montant proposé ({euros(saved.proposed_amount)}) dépasse le montant "
                                  f"demandé à ce financeur ({euros(requested)}).")
    return redirect(_page_url(application, f"avis-{funder.pk}"))


@login_required
@require_POST
def conflict(request, pk):
    application = _allowed(request, pk, perms.can_declare_conflict)

    def action(data):
        conflict_declare(application=application, user=request.user, reason=data.get("reason", ""))
        return ("Votre conflit d'intérêts est enregistré : vous êtes retiré(e) de l'instruction et de la décision de "
                "cette demande.")

    return _act(request, _page_url(application), ConflictForm(data=request.POST), action, "Déclaration non enregistrée")


@login_required
@require_POST
def info_request(request, pk):
    application = _allowed(request, pk, perms.can_request_info)

    def action(data):
        info_request_create(application=application, user=request.user, question=data["question"],
                            base_url=base_url(request))
        return "La demande de compléments est envoyée : les membres de la structure sont prévenus par courriel."

    return _act(request, _page_url(application, "complements"), InfoRequestForm(data=request.POST), action,
                "Demande non envoyée")


@login_required
@require_POST
def info_answer_view(request, pk, req_pk):
    application = get_object_or_404(Application.objects.of_user(request.user), pk=pk)
    if not perms.can_answer_info(request.user, application):
        raise Http404
    item = get_object_or_404(application.info_requests, pk=req_pk)

    def action(data):
        info_answer(info_request=item, user=request.user, answer=data["answer"], base_url=base_url(request))
        return "Votre réponse est envoyée à l'équipe qui instruit la demande."

    return _act(request, f"{reverse('applications:receipt', args=[application.pk])}#complements",
                InfoAnswerForm(data=request.POST), action, "Réponse non envoyée")


@login_required
@require_POST
def advice(request, pk):
    application = _allowed(request, pk, perms.can_give_advice)

    def action(data):
        advice_save(application=application, user=request.user, stance=data["stance"], comment=data["comment"])
        return "Votre avis consultatif est enregistré."

    return _act(request, _page_url(application, "conseil-citoyen"), AdviceForm(data=request.POST), action,
                "Avis non enregistré")


@login_required
@require_POST
def mark_reviewed(request, pk):
    application = _allowed(request, pk, perms.can_mark_reviewed)

    def action(_data):
        application_mark_reviewed(application=application, user=request.user)
        return "La demande est marquée comme instruite : elle peut passer en comité."

    return _act(request, _page_url(application), None, action, "")


@login_required
def grid(request, slug, template_name="reviews/grid/page.html"):
    call = get_object_or_404(Call.objects.select_related("contract"), slug=slug)
    if not perms.can_configure_grid(request.user, call):
        raise PermissionDenied
    queryset = ScoringCriterion.objects.filter(call=call)
    empty = not queryset.exists()
    scored = Assessment.objects.filter(application__call=call).exclude(scores={}).count()
    if request.method == "POST":
        formset = CriterionFormSet(data=request.POST, queryset=queryset, prefix="criteres")
        if formset.is_valid():
            criteria = grid_save(call=call, formset=formset)
            messages.success(request, f"Grille d'analyse enregistrée : {len(criteria)} critère"
                                      f"{'s' if len(criteria) > 1 else ''}.")
            return redirect("reviews:grid", slug=call.slug)
        status = 400
    else:
        initial = grid_suggestion() if empty else []
        formset = CriterionFormSet(queryset=queryset, prefix="criteres", initial=initial)
        if empty:
            formset.extra = len(initial)
        status = 200
    return render(request, template_name, {"call": call, "formset": formset, "suggested": empty and
                                           request.method != "POST", "scored": scored,
                                           "total_weight": sum((c.weight for c in queryset), Decimal(0))},
                  status=status)
