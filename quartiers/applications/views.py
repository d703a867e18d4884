"""Pages of organisations and applications. Every query is scoped to the user's organisations: another
organisation's object is a 404, whatever the method."""

from functools import wraps

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.db.models import Prefetch
from django.http import FileResponse, Http404, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from quartiers.applications import perms
from quartiers.applications.applicant_view import ApplicantView, applicant_statuses, applicant_view
from quartiers.applications.cerfa import attestation_from_post, content_from_post, field_anchor, form_state
from quartiers.applications.engine_adapter import application_file, application_findings
from quartiers.applications.forms import DocumentForm, ImportForm, InvitationForm, NewApplicationForm, OrganisationForm
from quartiers.applications.matching_ui import suggestions_context, suggestions_key
from quartiers.applications.models import Application, ApplicationDocument, Organisation, Role, StandingDocument, Status
from quartiers.applications.selectors import (
    budget_totals,
    calls_for_import,
    calls_open_for_applications,
    my_applications,
    my_organisations,
    staff_applications,
)
from quartiers.applications.services import (
    MAX_IMPORT_BYTES,
    ApplicationError,
    application_create,
    application_document_remove,
    application_document_store,
    application_export,
    application_import,
    application_save,
    application_submit,
    application_withdraw,
    member_invite,
    membership_change,
    organisation_create,
    standing_document_store,
)
from quartiers.calls.models import CallFunder
from quartiers.calls.selectors import call_to_engine
from quartiers.engine.rules import ApplicationFormatError
from quartiers.frameworks.matching import matcher_for

TOO_BIG = ("Votre envoi est trop volumineux (plus de 5 Mo de texte) : il n'a pas été enregistré. Raccourcissez "
           "les textes (20 000 caractères au plus par champ) ; les pièces se déposent dans la rubrique « Pièces ».")


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def size_checked(view):
    """Refuse an oversized POST with a French message before CSRF reads it, then check CSRF as usual."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - reading the body is the check
            except RequestDataTooBig:
                if request.htmx:
                    return render(request, "applications/application/_status.html", {"error": TOO_BIG})
                return render(request, "applications/too_big.html", {"message": TOO_BIG}, status=413)
            refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if refused is not None:
                return refused
        return view(request, *args, **kwargs)

    return wrapper


# --- dashboard and organisations -------------------------------------------------------------------------------


@login_required
def dashboard(request, template_name="applications/dashboard.html"):
    return render(request, template_name, {
        "organisations": my_organisations(request.user),
        "applications": applicant_statuses(my_applications(request.user)),
        "open_calls": calls_open_for_applications(),
    })


@login_required
def organisation_new(request, template_name="applications/organisation/new.html"):
    form = OrganisationForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = organisation_create(user=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        messages.success(request, f"La structure « {org.legal_name} » est créée : vous en êtes l'administrateur.")
        return redirect("applications:organisation", pk=org.pk)
    return render(request, template_name, {"form": form})


def _my_organisation(request, pk):
    return get_object_or_404(Organisation.objects.of_user(request.user), pk=pk)


@login_required
def organisation_detail(request, pk, template_name="applications/organisation/detail.html"):
    org = _my_organisation(request, pk)
    return render(request, template_name, {
        "organisation": org,
        "role": perms.role_in(request.user, org),
        "can_manage": perms.can_manage_members(request.user, org),
        "memberships": org.memberships.select_related("user").order_by("user__email"),
        "invitations": org.invitations.filter(accepted_at__isnull=True),
        "documents": org.documents.order_by("doc_type", "-uploaded_at"),
        "invite_form": InvitationForm(),
        "roles": Role.choices,
        "document_form": DocumentForm(),
    })


@login_required
def organisation_edit(request, pk, template_name="applications/organisation/new.html"):
    org = _my_organisation(request, pk)
    if not perms.can_manage_members(request.user, org):
        raise Http404
    form = OrganisationForm(data=request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Les informations de la structure sont enregistrées.")
        return redirect("applications:organisation", pk=org.pk)
    return render(request, template_name, {"form": form, "organisation": org})


@login_required
@require_POST
def organisation_invite(request, pk):
    org = _my_organisation(request, pk)
    if not perms.can_manage_members(request.user, org):
        raise Http404
    form = InvitationForm(data=request.POST)
    if form.is_valid():
        member_invite(organisation=org, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                      by=request.user, base_url=_base_url(request))
        messages.success(request, f"Invitation envoyée à {form.cleaned_data['email']}.")
    else:
        messages.error(request, "Invitation non envoyée : " + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("applications:organisation", pk=org.pk)


@login_required
@require_POST
def organisation_member(request, pk, member_pk):
    org = _my_organisation(request, pk)
    if not perms.can_manage_members(request.user, org):
        raise Http404
    membership = get_object_or_404(org.memberships.select_related("user"), pk=member_pk)
    remove = request.POST.get("action") == "remove"
    role = request.POST.get("role")
    if not remove and role not in Role.values:
        raise Http404
    try:
        membership_change(membership=membership, role=role, remove=remove)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        who = membership.user.get_full_name() or membership.user.email
        messages.success(request, f"{who} ne fait plus partie de la structure." if remove
                         else f"{who} est désormais {Role(role).label}.")
    return redirect("applications:organisation", pk=org.pk)


@login_required
@require_POST
def organisation_document_upload(request, pk):
    org = _my_organisation(request, pk)
    form = DocumentForm(data=request.POST, files=request.FILES)
    if form.is_valid():
        standing_document_store(organisation=org, doc_type=form.cleaned_data["doc_type"],
                                uploaded=form.cleaned_data["file"], kind=form.kind, user=request.user)
        messages.success(request, "La pièce est enregistrée : elle sera proposée dans chaque demande.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("applications:organisation", pk=org.pk)


def _serve(doc):
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=doc.original_name, content_type=doc.content_type)


@login_required
def organisation_document(request, pk, doc_pk):
    if request.user.is_staff:
        doc = get_object_or_404(StandingDocument, pk=doc_pk, organisation_id=pk)
    else:
        doc = get_object_or_404(StandingDocument, pk=doc_pk, organisation=_my_organisation(request, pk))
    return _serve(doc)


# --- applications ----------------------------------------------------------------------------------------------


def _my_application(request, pk, *, for_page: bool = False):
    """The member's application (404 otherwise); ``for_page`` also loads what the edit page reads more than once
    (the call's funders and neighbourhoods, the documents), so that the engine's views of it cost no query more."""
    queryset = Application.objects.of_user(request.user).select_related("call__framework_version", "organisation")
    if for_page:
        queryset = queryset.prefetch_related(
            Prefetch("call__call_funders", queryset=CallFunder.objects.select_related("funder")),
            "call__neighbourhoods", "documents", "standing_documents")
    return get_object_or_404(queryset, pk=pk)


@login_required
def application_new(request, template_name="applications/application/new.html"):
    organisations = my_organisations(request.user)
    if not organisations.exists():
        messages.info(request, "Pour déposer une demande, créez d'abord la fiche de votre structure.")
        return redirect("applications:organisation_new")
    calls = calls_open_for_applications()
    wanted = calls.filter(slug=request.GET.get("appel", "")).first()  # the call page links here with ?appel=<slug>
    form = NewApplicationForm(data=request.POST or None, organisations=organisations, calls=calls,
                              initial={"call": wanted.pk if wanted else None})
    if request.method == "POST" and form.is_valid():
        org = form.cleaned_data["organisation"]
        application = application_create(call=form.cleaned_data["call"], organisation=org, user=request.user)
        return redirect("applications:edit", pk=application.pk)
    import_form = ImportForm(organisations=organisations, calls=calls_for_import())
    return render(request, template_name, {"form": form, "import_form": import_form})


@login_required
@require_POST
def application_import_view(request):
    organisations = my_organisations(request.user)
    form = ImportForm(data=request.POST, files=request.FILES, organisations=organisations, calls=calls_for_import())
    if not form.is_valid():
        messages.error(request, "Import impossible : " + " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("applications:new")
    try:
        application = application_import(raw=form.cleaned_data["file"].read(MAX_IMPORT_BYTES + 1),
                                         call=form.cleaned_data["call"],
                                         organisation=form.cleaned_data["organisation"], user=request.user)
    except ApplicationFormatError as exc:
        where = f" (champ « {exc.field} »)" if exc.field else ""
        messages.error(request, f"Le fichier n'a pas pu être importé{where} : {exc.message} Aucune demande n'a été "
                                "créée.")
        return redirect("applications:new")
    messages.success(request, "La demande a été importée comme brouillon : relisez-la avant de la déposer.")
    return redirect("applications:edit", pk=application.pk)


def _findings_context(application, findings):
    rows = [{"finding": f, "anchor": field_anchor(f.field)} for f in findings]
    return {
        "blocking": [r for r in rows if r["finding"].severity == "blocking"],
        "warnings": [r for r in rows if r["finding"].severity == "warning"],
        "infos": [r for r in rows if r["finding"].severity == "info"],
    }


def _page_context(request, application, *, post=None, input_errors=None, save_error=None, with_suggestions=True):
    file = application_file(application)
    engine_call = file.call
    findings = application_findings(application, file=file)
    hoods = sorted(application.call.neighbourhoods.all(), key=lambda n: n.code)
    required = list(engine_call.required_documents)
    app_docs = list(application.documents.all())  # the model's order: by type, newest first
    standing = sorted(application.standing_documents.all(), key=lambda d: d.doc_type)
    org_docs = list(application.organisation.documents.order_by("doc_type", "-uploaded_at"))
    slots = []
    provided = {d.doc_type for d in app_docs} | {d.doc_type for d in standing}
    for t in dict.fromkeys([*required, *provided]):
        slots.append({
            "type": t, "required": t in required,
            "app_docs": [d for d in app_docs if d.doc_type == t],
            "standing": [d for d in standing if d.doc_type == t],
            "available": [d for d in org_docs if d.doc_type == t and d not in standing],
        })
    return {
        "application": application,
        "organisation": application.organisation,
        "call": application.call,
        "state": form_state(application.content, funders=engine_call.funders, post=post),
        "input_errors": input_errors or {},
        "save_error": save_error,
        "neighbourhood_choices": hoods,
        "totals": budget_totals(file),
        "suggestions": suggestions_context(application) if with_suggestions else [],
        "suggestions_key": suggestions_key(application),
        "with_suggestions": with_suggestions,
        "doc_slots": slots,
        "other_doc_types": DocumentForm(doc_types=None).fields["doc_type"].choices,
        "can_edit": perms.can_edit(request.user, application),
        "can_sign": perms.can_sign(request.user, application.organisation),
        "can_submit": perms.can_submit(request.user, application),
        "can_withdraw": perms.can_withdraw(request.user, application),
        "accepting": application.call.is_accepting(timezone.now()),
        **_findings_context(application, findings),
    }


def _save_from_post(request, application):
    engine_call = call_to_engine(application.call)
    framework = matcher_for(application.call.framework_version).framework
    content, input_errors = content_from_post(request.POST, funders=engine_call.funders, framework=framework)
    try:
        application_save(application=application, content=content, attested=attestation_from_post(request.POST),
                         by=request.user, today=timezone.localdate())
    except ApplicationFormatError as exc:
        return input_errors, f"Enregistrement impossible (champ « {exc.field} ») : {exc.message}"
    except ApplicationError as exc:
        return input_errors, str(exc)
    return input_errors, None


@size_checked
@login_required
def application_edit(request, pk, template_name="applications/application/edit.html"):
    application = _my_application(request, pk, for_page=True)
    if not application.is_editable:
        return redirect("applications:receipt", pk=application.pk)
    if request.method == "POST":
        if not perms.can_edit(request.user, application):
            raise Http404
        input_errors, error = _save_from_post(request, application)
        if not error and not input_errors:
            messages.success(request, "Brouillon enregistré.")
            return redirect(f"{request.path}#verifications")
        return render(request, template_name, _page_context(request, application, post=request.POST,
                                                            input_errors=input_errors, save_error=error))
    return render(request, template_name, _page_context(request, application))


@size_checked
def application_autosave(request, pk):
    """htmx autosave. An expired session answers 200 with a French notice and no « saved » header: the page
    keeps the unsaved content in the browser (localStorage) and sends it again once the user is back."""
    if request.method != "POST":
        raise Http404
    if not request.user.is_authenticated:
        response = render(request, "applications/application/_status.html", {"expired": True})
        response.status_code = 200 if request.htmx else 401
        return response
    application = _my_application(request, pk, for_page=True)
    if not perms.can_edit(request.user, application):
        return render(request, "applications/application/_status.html",
                      {"error": "Cette demande a été déposée : elle ne peut plus être modifiée."})
    input_errors, error = _save_from_post(request, application)
    unchanged = request.POST.get("suggestions_key") == suggestions_key(application)
    context = _page_context(request, application, with_suggestions=not unchanged)
    context.update({"input_errors": input_errors, "save_error": error, "saved_at": timezone.localtime(),
                    "oob": True})
    response = render(request, "applications/application/_autosave.html", context)
    if not error:
        response["X-Draft-Saved"] = "1"
    return response


@login_required
@require_POST
def application_document_upload(request, pk):
    application = _my_application(request, pk)
    if not perms.can_edit(request.user, application):
        raise Http404
    form = DocumentForm(data=request.POST, files=request.FILES)
    if form.is_valid():
        application_document_store(application=application, doc_type=form.cleaned_data["doc_type"],
                                   uploaded=form.cleaned_data["file"], kind=form.kind, user=request.user)
        if request.POST.get("also_standing"):
            form.cleaned_data["file"].seek(0)
            standing_document_store(organisation=application.organisation, doc_type=form.cleaned_data["doc_type"],
                                    uploaded=form.cleaned_data["file"], kind=form.kind, user=request.user)
        messages.success(request, f"Pièce « {form.cleaned_data['file'].name} » ajoutée.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(f"{reverse('applications:edit', args=[application.pk])}#pieces")


def _editable_application_and_document_pk(request, pk):
    """The member's application (404 unless they may edit it) and the document number posted (404 if not one)."""
    application = _my_application(request, pk)
    if not perms.can_edit(request.user, application):
        raise Http404
    try:
        return application, int(request.POST.get("document", ""))
    except ValueError:
        raise Http404 from None


@login_required
@require_POST
def application_standing_attach(request, pk):
    application, document_pk = _editable_application_and_document_pk(request, pk)
    doc = get_object_or_404(StandingDocument, pk=document_pk, organisation=application.organisation)
    application.standing_documents.add(doc)
    messages.success(request, f"Pièce de la structure « {doc.original_name} » jointe à la demande.")
    return redirect(f"{reverse('applications:edit', args=[application.pk])}#pieces")


@login_required
@require_POST
def application_document_remove_view(request, pk):
    application, document_pk = _editable_application_and_document_pk(request, pk)
    if not application_document_remove(application=application, document_pk=document_pk):
        raise Http404
    messages.success(request, "La pièce a été retirée de la demande.")
    return redirect(f"{reverse('applications:edit', args=[application.pk])}#pieces")


@login_required
def application_document(request, pk, doc_pk):
    if request.user.is_staff and not Application.objects.of_user(request.user).filter(pk=pk).exists():
        application = get_object_or_404(Application, pk=pk)
    else:
        application = _my_application(request, pk)
    doc = get_object_or_404(ApplicationDocument, pk=doc_pk, application=application)
    return _serve(doc)


@login_required
def application_submit_view(request, pk, template_name="applications/application/submit.html"):
    application = _my_application(request, pk, for_page=True)
    if request.method == "POST":
        if not perms.can_sign(request.user, application.organisation):
            raise Http404
        try:
            application = application_submit(application=application, user=request.user,
                                             base_url=_base_url(request))
        except ApplicationError as exc:
            messages.error(request, str(exc))
            if application.status != Status.DRAFT:
                return redirect("applications:receipt", pk=application.pk)
            return redirect("applications:edit", pk=application.pk)
        messages.success(request, f"Votre demande est déposée : dossier n° {application.reference}. Un récépissé "
                                  "vous a été envoyé par courriel.")
        return redirect("applications:receipt", pk=application.pk)
    if not application.is_editable:
        return redirect("applications:receipt", pk=application.pk)
    return render(request, template_name, _page_context(request, application))


def _receipt_context(request, application, view: ApplicantView | None = None):
    return {"application": application, "content": application.content or {},
            "totals": budget_totals(application_file(application)),
            "view": view or applicant_view(application, request.user),
            "funding_requests": application.funding_requests.select_related("funder"),
            "claimed": application.claimed_objectives.all(),
            "documents": list(application.documents.all()) + list(application.standing_documents.all()),
            "can_withdraw": perms.can_withdraw(request.user, application)}


@login_required
def application_receipt(request, pk, template_name="applications/application/receipt.html"):
    application = _my_application(request, pk, for_page=True)
    if application.status == Status.DRAFT:
        return redirect("applications:edit", pk=application.pk)
    return render(request, template_name, _receipt_context(request, application))


@login_required
@require_POST
def application_withdraw_view(request, pk):
    application = _my_application(request, pk)
    if not perms.can_withdraw(request.user, application):
        raise Http404
    try:
        application_withdraw(application=application, user=request.user, why=request.POST.get("why", "")[:500])
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Votre demande est retirée : elle ne sera pas instruite.")
    return redirect("applications:receipt", pk=application.pk)


@login_required
def application_export_view(request, pk):
    if request.user.is_staff and not Application.objects.of_user(request.user).filter(pk=pk).exists():
        application = get_object_or_404(Application, pk=pk)
    else:
        application = _my_application(request, pk)
    response = JsonResponse(application_export(application), json_dumps_params={"ensure_ascii": False, "indent": 2})
    name = application.reference or f"brouillon-{application.pk}"
    response["Content-Disposition"] = f'attachment; filename="demande-{name}.json"'
    return response


# --- staff -----------------------------------------------------------------------------------------------------


@staff_member_required
def staff_list(request, template_name="applications/staff/list.html"):
    return render(request, template_name, {"applications": staff_applications()})


@staff_member_required
def staff_detail(request, pk, template_name="applications/application/receipt.html"):
    application = get_object_or_404(Application.objects.select_related("call", "organisation"), pk=pk)
    # the staff read the real status and every move
    context = _receipt_context(request, application, view=ApplicantView(
        status_label=application.get_status_display(), transitions=list(application.transitions.select_related("by"))))
    context.update({"staff": True, "can_withdraw": False,
                    **_findings_context(application, application_findings(application))})
    return render(request, template_name, context)
