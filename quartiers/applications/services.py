"""Writes on organisations and applications, and the bridge to the rules and matching engines.

Only this app turns its models into engine dataclasses (ARCHITECTURE.md): ``application_file`` builds the
self-contained ``ApplicationFile`` (call, organisation, application) the rules read and the JSON export writes.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from quartiers.applications.models import (
    ALLOWED_TRANSITIONS,
    Application,
    ApplicationDocument,
    ApplicationTransition,
    ClaimedObjective,
    FundingRequest,
    Invitation,
    Membership,
    Organisation,
    ReferenceCounter,
    Role,
    StandingDocument,
    Status,
)
from quartiers.calls.models import Call, CallStatus, call_is_accepting
from quartiers.engine.matching.matcher import Matcher
from quartiers.engine.matching.types import MatchingError, Proposal
from quartiers.engine.rules import Application as EngineApplication
from quartiers.engine.rules import (
    ApplicationFile,
    ApplicationFormatError,
    Finding,
    RuleSetting,
    RuleSettings,
    check_application,
    dump_application_file,
    load_application_file,
)
from quartiers.engine.rules import Call as EngineCall
from quartiers.engine.rules import Funder as EngineFunder
from quartiers.engine.rules import Organisation as EngineOrganisation
from quartiers.engine.rules.io import dump_application, dump_call, dump_organisation
from quartiers.frameworks.selectors import version_to_framework


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
    send_mail(f"Invitation à rejoindre {organisation.legal_name} sur Quartiers", body, None, [email])
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


_MATCHERS: dict[str, object] = {}
_MATCHERS_LOCK = threading.Lock()


def matcher_for(version):
    """The matching engine for a call's framework version.

    Like ``frameworks.matching.matcher_for``, but keyed by the framework's ``content_hash``: versions of identical
    content share one engine, so a re-published or re-loaded annex does not rebuild its indexes.
    """
    framework = version_to_framework(version)
    key = framework.content_hash()
    with _MATCHERS_LOCK:
        matcher = _MATCHERS.get(key)
    if matcher is None:
        matcher = Matcher(framework, cache_dir=settings.VAR_DIR / "cache" / "embeddings")
        with _MATCHERS_LOCK:
            _MATCHERS[key] = matcher
    return matcher


# --- the engine's view -----------------------------------------------------------------------------------------


def call_to_engine(call: Call) -> EngineCall:
    """The engine's Call; delegates to the calls app's selector when it exists."""
    try:
        from quartiers.calls.selectors import call_to_engine as calls_call_to_engine
    except ImportError:
        calls_call_to_engine = None
    if calls_call_to_engine is not None:
        return calls_call_to_engine(call)
    funders = tuple(
        EngineFunder(code=cf.funder.code, kind=cf.funder.kind, name=cf.funder.name, siret=cf.funder.siret,
                     envelope=cf.envelope)
        for cf in call.call_funders.select_related("funder").order_by("funder__name", "pk")
    )
    rules = {code: RuleSetting(enabled=s.get("enabled", True), severity=s.get("severity"))
             for code, s in (call.rule_settings or {}).items()}
    return EngineCall(
        year=call.year, opens_at=call.opens_at, closes_at=call.closes_at, funders=funders,
        neighbourhood_codes=tuple(n.code for n in call.neighbourhoods.order_by("code")),
        required_documents=tuple(call.required_documents or ()),
        settings=RuleSettings(rules=rules, min_qpv_share=call.min_qpv_share, max_public_share=call.max_public_share,
                              weak_match_threshold=float(call.weak_match_threshold),
                              max_total_budget=call.max_total_budget),
        title=call.title,
    )


def organisation_to_engine(org: Organisation) -> EngineOrganisation:
    return EngineOrganisation(legal_name=org.legal_name, siret=org.siret, rna=org.rna, legal_form=org.legal_form,
                              legal_representative=org.representative_name)


def provided_document_types(application: Application) -> tuple[str, ...]:
    types = {d.doc_type for d in application.documents.all()}
    types |= {d.doc_type for d in application.standing_documents.all()}
    return tuple(sorted(types))


def application_file(application: Application, *, with_documents: bool = True) -> ApplicationFile:
    """The engine's view of a stored application. The stored content went through the loader when saved."""
    data = {
        "call": dump_call(call_to_engine(application.call)),
        "organisation": dump_organisation(organisation_to_engine(application.organisation)),
        "application": application.content or {"title": application.title},
    }
    loaded = load_application_file(data)
    app = loaded.application
    if with_documents:
        app = replace(app, documents=provided_document_types(application))
    return replace(loaded, application=app)


def proposal_of(app: EngineApplication) -> Proposal:
    description = "\n".join(p for p in (app.description, app.objectives, app.need, *app.activities) if p.strip())
    return Proposal(title=app.title, description=description)


def make_scorer(matcher, app: EngineApplication):
    """``OBJECTIVE_WEAK_MATCH``'s scorer: the matching engine's score of each objective, computed once."""
    scores: dict[str, float] = {}
    done = False

    def scorer(_application, objective):
        nonlocal done
        if not done:
            done = True
            proposal = proposal_of(app)
            if proposal.title.strip() or proposal.description.strip():
                try:
                    for m in matcher.match(proposal, None).matches:
                        scores[m.objective.key] = max(scores.get(m.objective.key, 0.0), m.score)
                except MatchingError:
                    pass
        return scores.get(objective.key)

    return scorer


def application_findings(application: Application, *, now: datetime | None = None) -> list[Finding]:
    now = now or timezone.now()
    file = application_file(application)
    matcher = matcher_for(application.call.framework_version)
    app = file.application
    if application.submitted_at and not app.submitted_at:
        app = replace(app, submitted_at=application.submitted_at)
    return check_application(app, call=file.call, framework=matcher.framework, organisation=file.organisation,
                             now=now, scorer=make_scorer(matcher, app))


@dataclass(frozen=True)
class Suggestion:
    neighbourhood_name: str
    neighbourhood_code: str
    rows: list
    no_match: bool
    problem: str = ""

    @property
    def name(self) -> str:
        return self.neighbourhood_name

    @property
    def code(self) -> str:
        return self.neighbourhood_code


def application_proposal(application: Application) -> Proposal:
    """What the engine reads of an application: its title and its need, objectives, description and activities."""
    content = application.content or {}
    return proposal_of(EngineApplication(
        title=content.get("title", application.title), need=content.get("need", ""),
        objectives=content.get("objectives", ""), description=content.get("description", ""),
        activities=tuple(content.get("activities", ()))))


def objective_suggestions(application: Application, limit: int = 5, *, examples=()) -> list[Suggestion]:
    """For each chosen neighbourhood, the objectives the description serves, best first, with the evidence
    (each row also carries its ``rank`` and, with confirmed ``examples``, the nearest ``similar_cases``)."""
    from quartiers.frameworks.matching import proposal_problem, result_rows

    content = application.content or {}
    matcher = matcher_for(application.call.framework_version)
    proposal = application_proposal(application)
    problem = proposal_problem(proposal.title, proposal.description)
    text = " — ".join(p for p in (proposal.title, proposal.description) if p)
    out = []
    for code in content.get("neighbourhoods", []):
        try:
            hood = matcher.neighbourhood(code)
        except MatchingError:
            continue
        if problem:
            out.append(Suggestion(hood.name, hood.code, [], True, problem))
            continue
        result = matcher.match(proposal, hood, examples=list(examples))
        rows = result_rows(result, text, limit)
        for rank, row in enumerate(rows, start=1):
            row["rank"] = rank
            row["similar_cases"] = row["match"].similar_cases
        out.append(Suggestion(hood.name, hood.code, rows, result.no_match))
    return out


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


def application_save(*, application: Application, content: dict) -> Application:
    """Store the Cerfa content (schema format) after the engine's loader accepted it; update columns and rows.

    Raises ``ApplicationFormatError`` (French message naming the field) when the content is malformed.
    """
    if not application.is_editable:
        raise ApplicationError("Cette demande a été déposée : elle ne peut plus être modifiée.")
    data = {
        "call": dump_call(call_to_engine(application.call)),
        "organisation": dump_organisation(organisation_to_engine(application.organisation)),
        "application": content,
    }
    app = load_application_file(data).application
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
            transaction.on_commit(lambda: _send_receipt(locked, base_url))
    return locked


def store_findings(application: Application, findings: list[Finding]) -> None:
    """Keep the findings on the row (the list for the page, the counts for the queue's filters); not saved here."""
    application.findings = [f.as_dict() for f in findings]
    application.findings_blocking = sum(1 for f in findings if f.severity == "blocking")
    application.findings_warnings = sum(1 for f in findings if f.severity != "blocking")


def _send_receipt(application: Application, base_url: str) -> None:
    recipients = sorted({m.user.email for m in application.organisation.memberships.select_related("user")
                         if m.user.email})
    body = render_to_string("applications/emails/receipt.txt", {
        "application": application, "content": application.content, "base_url": base_url,
    })
    send_mail(f"Récépissé de dépôt — dossier {application.reference}", body, None, recipients)


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

