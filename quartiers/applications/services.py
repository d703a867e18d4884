"""Writes on organisations and applications.

What the engines read of an application (the model → engine conversion, the findings, the objective suggestions)
is built in ``engine_adapter``; this module stores what the engine's loader accepted.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from quartiers.applications import perms
from quartiers.applications.engine_adapter import (
    application_file,
    application_findings,
    load_content,
    provided_document_types,
)
from quartiers.applications.models import (
    ALLOWED_TRANSITIONS,
    Application,
    ApplicationDocument,
    ApplicationTransition,
    ClaimedObjective,
    DeadlineReminder,
    FundingRequest,
    Invitation,
    Membership,
    Organisation,
    ReferenceCounter,
    ReminderKind,
    Role,
    StandingDocument,
    Status,
)
from quartiers.calls.models import Call, CallStatus, call_is_accepting
from quartiers.common.tasks import mail_enqueue_on_commit
from quartiers.engine.rules import Application as EngineApplication
from quartiers.engine.rules import (
    ApplicationFormatError,
    Finding,
    dump_application_file,
    load_application_file,
)
from quartiers.engine.rules.io import dump_application


class ApplicationError(Exception):
    """A business refusal (message in French, for the user)."""


# --- organisations ---------------------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(*, user, **fields) -> Organisation:
    """Create an organisation; its creator becomes its administrator."""
    org = Organisation(**fields)
    org.full_clean()
    org.save()
    Membership.objects.create(organisation=org, user=user, role=Role.ADMINISTRATOR)
    return org


def member_invite(*, organisation: Organisation, email: str, role: str, by, base_url: str = "") -> Invitation | None:
    """Invite an e-mail to join: an existing confirmed account becomes a member at once; otherwise the invitation
    waits for that address to confirm an account. An e-mail tells the person either way."""
    email = email.strip().lower()
    User = get_user_model()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    invitation = None
    if user is not None:
        Membership.objects.update_or_create(organisation=organisation, user=user, defaults={"role": role})
    else:
        invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=by)
    body = render_to_string("applications/emails/invitation.txt", {
        "organisation": organisation, "role": Role(role).label, "by": by, "existing": user is not None,
        "base_url": base_url,
    })
    mail_enqueue_on_commit(subject=f"Invitation à rejoindre {organisation.legal_name} sur Quartiers", body=body,
                           recipients=[email])
    return invitation


def membership_change(*, membership: Membership, role: str | None, remove: bool = False) -> None:
    """Change a member's role or remove them; an organisation always keeps at least one administrator."""
    with transaction.atomic():
        admins = Membership.objects.select_for_update().filter(organisation=membership.organisation,
                                                               role=Role.ADMINISTRATOR)
        last_admin = membership.role == Role.ADMINISTRATOR and admins.count() == 1
        if last_admin and (remove or role != Role.ADMINISTRATOR):
            raise ApplicationError("La structure doit garder au moins un administrateur : nommez-en un autre "
                                   "avant de changer ce rôle.")
        if remove:
            membership.delete()
        elif role is None:
            raise ApplicationError("Rôle : choisissez le rôle de ce membre.")
        else:
            membership.role = role
            membership.save(update_fields=["role"])


def invitations_accept(*, user) -> int:
    """Turn the pending invitations to the user's e-mail into memberships (called once the account is confirmed)."""
    n = 0
    for inv in Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True):
        Membership.objects.get_or_create(organisation=inv.organisation, user=user, defaults={"role": inv.role})
        inv.accepted_at = timezone.now()
        inv.save(update_fields=["accepted_at"])
        n += 1
    return n


def document_store(*, model, owner_field: str, owner, doc_type: str, uploaded, kind: str, user):
    """Store an uploaded file (already checked by ``validators.validate_upload``) under MEDIA_ROOT."""
    doc = model(doc_type=doc_type, original_name=uploaded.name[:255], kind=kind, size=uploaded.size,
                uploaded_by=user, **{owner_field: owner})
    doc.file.save(uploaded.name, uploaded, save=False)
    doc.save()
    return doc


def standing_document_store(*, organisation, doc_type, uploaded, kind, user) -> StandingDocument:
    return document_store(model=StandingDocument, owner_field="organisation", owner=organisation, doc_type=doc_type,
                          uploaded=uploaded, kind=kind, user=user)


def application_document_store(*, application, doc_type, uploaded, kind, user) -> ApplicationDocument:
    return document_store(model=ApplicationDocument, owner_field="application", owner=application,
                          doc_type=doc_type, uploaded=uploaded, kind=kind, user=user)


# --- applications ----------------------------------------------------------------------------------------------


def application_transition(*, application: Application, to: str, by, why: str = "") -> None:
    """Move the application to ``to`` when ``ALLOWED_TRANSITIONS`` allows it, and write the transition row.

    The new status is set on the instance, not saved: the caller saves it with its other changes."""
    frm = application.status
    if to not in ALLOWED_TRANSITIONS.get(frm, set()):
        raise ApplicationError(f"Cette demande ne peut pas passer de l'état « {Status(frm).label} » à "
                               f"l'état « {Status(to).label} ».")
    application.status = to
    ApplicationTransition.objects.create(application=application, from_status=frm, to_status=to, by=by, why=why)


def latest_standing_documents(organisation: Organisation) -> list[StandingDocument]:
    """The newest standing document of each type: what a new application starts with."""
    latest: dict[str, StandingDocument] = {}
    for doc in organisation.documents.order_by("doc_type", "-uploaded_at", "-pk"):
        latest.setdefault(doc.doc_type, doc)
    return list(latest.values())


@transaction.atomic
def application_create(*, call: Call, organisation: Organisation, user, content: dict | None = None,
                       why: str = "création") -> Application:
    application = Application.objects.create(call=call, organisation=organisation, created_by=user)
    ApplicationTransition.objects.create(application=application, from_status="", to_status=Status.DRAFT, by=user,
                                         why=why)
    application.standing_documents.set(latest_standing_documents(organisation))
    application_save(application=application, content=content or {"title": ""})
    return application


def _sync_columns(application: Application, app: EngineApplication) -> None:
    application.title = app.title[:500]
    application.total_budget = app.budget.total_charges
    application.requested_total = sum((r.amount for r in app.requested), Decimal(0))
    application.renewal = bool(app.renewal)
    codes = sorted({c.strip().upper() for c in app.neighbourhoods if c.strip()}
                   | {c.neighbourhood.strip().upper() for c in app.claimed_objectives if c.neighbourhood.strip()})
    joined = "," + ",".join(codes) + "," if codes else ""
    application.neighbourhood_codes = joined if len(joined) <= 200 else ""
    application.beneficiaries = app.audience_total
    application.beneficiaries_qpv = app.audience_qpv


NOT_ATTESTED = {"attested": False, "signatory": "", "signed_on": None}


def cer_signature(*, previous: dict | None, attested: bool, user, organisation: Organisation,
                  today: date) -> dict:
    """Who signs the republican-commitment attestation (CER) when the form is saved with its box ``attested``.

    Only a signatory or an administrator of the organisation attests: for anyone else the box is ignored and the
    attestation stays as it was. A first attestation is signed by the user, today; a kept attestation keeps its
    signatory and its date; an unticked box clears it."""
    previous = previous or {}
    if not perms.can_sign(user, organisation):
        return previous or dict(NOT_ATTESTED)
    if not attested:
        return dict(NOT_ATTESTED)
    signer = user.get_full_name() or user.email
    if not previous.get("attested"):
        return {"attested": True, "signatory": signer, "signed_on": today.isoformat()}
    return {"attested": True, "signatory": previous.get("signatory") or signer,
            "signed_on": previous.get("signed_on") or today.isoformat()}


def application_save(*, application: Application, content: dict, attested: bool | None = None, by=None,
                     today: date | None = None) -> Application:
    """Store the Cerfa content (schema format) after the engine's loader accepted it; update columns and rows.

    From the form, ``attested`` is the CER box as posted and ``by`` the user saving: ``cer_signature`` decides
    what the content's ``cer`` becomes. Without them (creation, import) the content's own ``cer`` is stored.
    Raises ``ApplicationFormatError`` (French message naming the field) when the content is malformed.
    """
    if not application.is_editable:
        raise ApplicationError("Cette demande a été déposée : elle ne peut plus être modifiée.")
    if attested is not None:
        content = {**content, "cer": cer_signature(
            previous=(application.content or {}).get("cer"), attested=attested, user=by,
            organisation=application.organisation, today=today or timezone.localdate())}
    app = load_content(application, content)
    stored = dump_application(app)
    stored["submitted_at"] = None
    stored["documents"] = []
    with transaction.atomic():
        application.content = stored
        _sync_columns(application, app)
        application.save()
        application.funding_requests.all().delete()
        funders = {cf.funder.code: cf.funder for cf in application.call.call_funders.select_related("funder")}
        FundingRequest.objects.bulk_create(
            FundingRequest(application=application, funder_code=r.funder[:60], funder=funders.get(r.funder),
                           amount=r.amount)
            for r in app.requested if r.amount
        )
        application.claimed_objectives.all().delete()
        seen = set()
        for c in app.claimed_objectives:
            if (c.key, c.neighbourhood) in seen:
                continue
            seen.add((c.key, c.neighbourhood))
            ClaimedObjective.objects.create(application=application, objective_key=c.key[:12], text=c.text,
                                            neighbourhood_code=c.neighbourhood[:8])
    return application


def _next_reference(call: Call) -> str:
    try:
        with transaction.atomic():  # two first submissions at once: one creates the row, the other waits
            ReferenceCounter.objects.get_or_create(call=call)
    except IntegrityError:
        pass
    counter = ReferenceCounter.objects.select_for_update().get(call=call)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{call.slug.upper()}-{counter.last_number:04d}"


def application_submit(*, application: Application, user, now: datetime | None = None,
                       base_url: str = "", notify: bool = True) -> Application:
    """Submit: only a draft, only while the call accepts applications, only without a blocking finding.

    The row is locked (select_for_update) so that two tabs submitting at once give one submission and one
    clear refusal; the reference is allocated from a locked per-call counter.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != Status.DRAFT:
            raise ApplicationError(f"Cette demande a déjà été déposée (dossier {locked.reference}) : "
                                   "rien n'a été modifié.")
        call = Call.objects.get(pk=locked.call_id)
        if not call_is_accepting(call, now):
            if call.status == CallStatus.OPEN and now >= call.closes_at:
                raise ApplicationError(
                    f"La date limite de dépôt est dépassée (clôture le "
                    f"{timezone.localtime(call.closes_at):%d/%m/%Y à %H:%M}) : la demande ne peut plus être déposée.")
            raise ApplicationError("L'appel à projets n'accepte pas de demandes en ce moment.")
        findings = application_findings(locked, now=now)
        blocking = [f for f in findings if f.severity == "blocking"]
        store_findings(locked, findings)
        if blocking:
            raise ApplicationError(f"La demande ne peut pas être déposée : {len(blocking)} point(s) bloquant(s) "
                                   "restent à corriger (voir la liste des vérifications).")
        locked.reference = _next_reference(call)
        locked.submitted_at = now
        locked.submitted_by = user
        content = dict(locked.content)
        content["submitted_at"] = now.isoformat()
        content["documents"] = list(provided_document_types(locked))
        locked.content = content
        application_transition(application=locked, to=Status.SUBMITTED, by=user, why="dépôt par le porteur")
        locked.save()
        if notify:
            _send_receipt(locked, base_url)
    return locked


def store_findings(application: Application, findings: list[Finding]) -> None:
    """Keep the findings on the row (the list for the page, the counts for the queue's filters); not saved here."""
    application.findings = [f.as_dict() for f in findings]
    application.findings_blocking = sum(1 for f in findings if f.severity == "blocking")
    application.findings_warnings = sum(1 for f in findings if f.severity != "blocking")


def _send_receipt(application: Application, base_url: str) -> None:
    """Enqueue the receipt, to leave once the submission commits."""
    recipients = sorted({m.user.email for m in application.organisation.memberships.select_related("user")
                         if m.user.email})
    body = render_to_string("applications/emails/receipt.txt", {
        "application": application, "content": application.content, "base_url": base_url,
    })
    mail_enqueue_on_commit(subject=f"Récépissé de dépôt — dossier {application.reference}", body=body,
                           recipients=recipients)


# The reminders to the applicants whose application is still a draft, by how long before the deadline they leave;
# the nearest first: a draft met for the first time 20 hours before the deadline gets only the last one.
REMINDER_WINDOWS = ((ReminderKind.DAY, timedelta(days=1)), (ReminderKind.WEEK, timedelta(days=7)))


def deadline_reminders_send(*, now: datetime | None = None, base_url: str | None = None) -> list[DeadlineReminder]:
    """E-mail the members of each organisation whose application is a draft in an open call that closes within 7
    days (then within 1 day) the matching reminder, once each: a row per application and kind records it, in the
    same transaction as the e-mail's enqueuing (idempotent: run it every minute, from several workers)."""
    now = now or timezone.now()
    base_url = settings.SITE_URL if base_url is None else base_url
    drafts = (Application.objects
              .filter(status=Status.DRAFT, call__status=CallStatus.OPEN, call__opens_at__lte=now,
                      call__closes_at__gt=now, call__closes_at__lte=now + REMINDER_WINDOWS[-1][1])
              .select_related("call", "organisation").prefetch_related("deadline_reminders")
              .order_by("call__closes_at", "pk"))
    sent = []
    for application in drafts:
        remaining = application.call.closes_at - now
        done = {r.kind for r in application.deadline_reminders.all()}
        due = next((kind for kind, window in REMINDER_WINDOWS if remaining <= window), None)
        if due is None or due in done:
            continue
        recipients = sorted({m.user.email for m in application.organisation.memberships.select_related("user")
                             if m.user.email and m.user.is_active})
        try:
            with transaction.atomic():
                reminder = DeadlineReminder.objects.create(application=application, kind=due,
                                                           closes_at=application.call.closes_at,
                                                           recipients=recipients)
                _send_reminder(application, reminder, base_url)
        except IntegrityError:  # sent meanwhile by another worker
            continue
        sent.append(reminder)
    return sent


def _send_reminder(application: Application, reminder: DeadlineReminder, base_url: str) -> None:
    call = application.call
    closes = timezone.localtime(call.closes_at)
    body = render_to_string("applications/emails/reminder.txt", {
        "application": application, "call": call, "closes_at": closes, "last_day": reminder.kind == ReminderKind.DAY,
        "link": base_url + reverse("applications:edit", args=[application.pk]),
    })
    when = "demain" if reminder.kind == ReminderKind.DAY else "dans 7 jours"
    mail_enqueue_on_commit(subject=f"Rappel : l'appel « {call.title} » se clôt {when} ({closes:%d/%m/%Y à %H:%M})",
                           body=body, recipients=reminder.recipients)


def application_document_remove(*, application: Application, document_pk: int) -> bool:
    """Detach a document from a draft: its own file is deleted, a standing document is only unlinked."""
    if not application.is_editable:
        raise ApplicationError("Cette demande a été déposée : ses pièces ne peuvent plus être modifiées.")
    own = application.documents.filter(pk=document_pk).first()
    if own is not None:
        own.file.delete(save=False)
        own.delete()
        return True
    standing = application.standing_documents.filter(pk=document_pk).first()
    if standing is not None:
        application.standing_documents.remove(standing)
        return True
    return False


def application_withdraw(*, application: Application, user, why: str = "") -> Application:
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        application_transition(application=locked, to=Status.WITHDRAWN, by=user,
                               why=why or "retrait par le porteur")
        locked.save()
    return locked


def application_export(application: Application) -> dict:
    """The application in the JSON format of docs/schemas/application.schema.json."""
    return dump_application_file(application_file(application))


MAX_IMPORT_BYTES = 5_000_000


def application_import(*, raw: bytes, call: Call, organisation: Organisation, user) -> Application:
    """A new draft from an exported file (its application section); nothing is created when it is malformed.

    Raises ``ApplicationFormatError`` with a French message naming the field."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ApplicationFormatError("fichier trop volumineux (5 Mo au plus).")
    try:
        data = json.loads(raw.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as exc:
        raise ApplicationFormatError("le fichier n'est pas encodé en UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise ApplicationFormatError(f"JSON invalide, ligne {exc.lineno}, colonne {exc.colno}.") from exc
    except RecursionError as exc:
        raise ApplicationFormatError("JSON trop profondément imbriqué.") from exc
    if not isinstance(data, dict):
        raise ApplicationFormatError("un objet JSON est attendu.")
    loaded = load_application_file(data)  # checks the whole file, call and organisation included
    content = dump_application(loaded.application)
    content["submitted_at"] = None
    content["documents"] = []
    try:
        with transaction.atomic():
            return application_create(call=call, organisation=organisation, user=user, content=content,
                                      why="import d'un fichier")
    except IntegrityError as exc:  # pragma: no cover - defensive
        raise ApplicationError("La demande n'a pas pu être créée.") from exc

