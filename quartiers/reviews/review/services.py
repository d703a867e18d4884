"""Writes of the review side for one application and the call's scoring grid: ``<entity>_<action>(*, …)``.

Every write is atomic; a business refusal raises ``ReviewError`` with a French message for the user. Status moves
go through ``applications.services.application_transition`` (one transition row each); the other rows carry who
and when.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from quartiers.applications.engine_adapter import application_findings
from quartiers.applications.models import Application, Status
from quartiers.applications.services import application_transition, store_findings
from quartiers.common.tasks import mail_enqueue_on_commit
from quartiers.frameworks.models import Objective
from quartiers.reviews.models import (
    Admissibility,
    Advice,
    AdvisoryStance,
    Assessment,
    ConfirmedMatch,
    ConflictOfInterest,
    InfoRequest,
    Opinion,
    ReviewEvent,
    ScoringCriterion,
)
from quartiers.reviews.review.selectors import objective_code


class ReviewError(Exception):
    """A business refusal (message in French, for the user)."""


def _who(user) -> str:
    if user is None:
        return "une autre personne"
    return user.get_full_name() or user.email or user.get_username()


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def findings_refresh(*, application: Application) -> list[dict]:
    """The findings stored at submission; computed again (and stored) when none were kept."""
    if application.findings:
        return application.findings
    store_findings(application, application_findings(application))
    Application.objects.filter(pk=application.pk).update(
        findings=application.findings, findings_blocking=application.findings_blocking,
        findings_warnings=application.findings_warnings)
    return application.findings


def admissibility_set(*, application: Application, user, admissible: bool, reason: str = "") -> Admissibility:
    """Record the verdict (recevable, or irrecevable with a mandatory reason) and move the status.

    A verdict changed later goes back through « déposée » (two transition rows: the reopening, then the new verdict);
    never once a funder's decision is recorded (a grant must not stay on an inadmissible application).
    """
    reason = (reason or "").strip()
    if not admissible and not reason:
        raise ReviewError("Motif : indiquez pourquoi la demande est irrecevable (il sera communiqué au porteur).")
    target = Status.ADMISSIBLE if admissible else Status.INADMISSIBLE
    with transaction.atomic():
        locked = _lock(application)
        if locked.status not in (Status.SUBMITTED, Status.ADMISSIBLE, Status.INADMISSIBLE):
            raise ReviewError(f"La recevabilité ne peut plus être modifiée : la demande est « "
                              f"{Status(locked.status).label} ».")
        if locked.decisions.exists():
            raise ReviewError("Des décisions de financeurs sont déjà enregistrées pour ce dossier : la recevabilité "
                              "ne peut plus être modifiée.")
        if locked.status != target:
            if locked.status != Status.SUBMITTED:
                application_transition(application=locked, to=Status.SUBMITTED, by=user,
                                       why="réexamen de la recevabilité")
            application_transition(application=locked, to=target, by=user,
                                   why=("recevable" if admissible else f"irrecevable : {reason}")[:500])
            locked.save(update_fields=["status", "updated_at"])
        verdict, _ = Admissibility.objects.update_or_create(
            application=locked, defaults={"admissible": admissible, "reason": reason, "by": user})
    application.status = locked.status
    return verdict


def match_confirm(*, application: Application, objective: Objective, user, suggested_rank: int | None = None,
                  suggested_score: float | None = None) -> ConfirmedMatch:
    """Confirm (or correct) the objective the action serves: it becomes the primary confirmed match, replacing the
    previous one (which stays as a secondary match only when it is the same objective)."""
    if objective.theme.section.version_id != application.call.framework_version_id:
        raise ReviewError("Objectif : choisissez un objectif du référentiel de cet appel à projets.")
    with transaction.atomic():
        locked = _lock(application)
        if locked.status not in (Status.SUBMITTED, Status.ADMISSIBLE, Status.REVIEWED):
            raise ReviewError(f"Le rattachement ne peut plus être modifié : la demande est « "
                              f"{Status(locked.status).label} ».")
        previous = (ConfirmedMatch.objects.filter(application=locked, is_primary=True).exclude(objective=objective)
                    .select_related("objective").first())
        if previous is not None:
            previous.delete()
        what = f"rattachement confirmé : {objective.label or objective.text[:200]} ({objective_code(objective)})"
        if previous is not None:
            what += f", à la place de : {previous.objective.label or previous.objective.text[:150]}"
        if suggested_rank:
            what += f" (proposé au rang {suggested_rank} par le moteur)"
        ReviewEvent.objects.create(application=locked, by=user, kind="match", what=what[:500])
        match, _ = ConfirmedMatch.objects.update_or_create(
            application=locked, objective=objective,
            defaults={"objective_key": objective.key, "neighbourhood_code": objective_code(objective)[:8],
                      "is_primary": True, "suggested_rank": suggested_rank, "suggested_score": suggested_score,
                      "confirmed_by": user})
    return match


TWENTY = Decimal(20)


def weighted_score(scores: dict, criteria) -> Decimal | None:
    """Σ(weight × score / scale_max) / Σ weight × 20 over the criteria that have a score, rounded to 0.01.

    Scores are keyed by criterion id: a deleted criterion's score is ignored, a score above a lowered scale counts
    as the maximum. None when no criterion is scored."""
    total = Decimal(0)
    weights = Decimal(0)
    for c in criteria:
        raw = (scores or {}).get(str(c.pk))
        if raw is None or raw == "":
            continue
        value = min(max(Decimal(str(raw)), Decimal(0)), Decimal(c.scale_max))
        total += c.weight * value / Decimal(c.scale_max)
        weights += c.weight
    if not weights:
        return None
    return (total / weights * TWENTY).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class AssessmentConflict(ReviewError):
    """The assessment changed since the form was opened: nothing saved; ``current`` is the stored row."""

    def __init__(self, current: Assessment):
        self.current = current
        at = timezone.localtime(current.updated_at)
        super().__init__(
            f"Cet avis a été modifié par {_who(current.updated_by)} à {at:%H:%M} pendant que vous le rédigiez : "
            "vos changements n'ont pas été enregistrés. Ses valeurs sont rappelées ci-dessous et les vôtres sont "
            "restées dans le formulaire : relisez-les, puis enregistrez à nouveau pour les retenir.")


def assessment_save(*, application: Application, funder, user, version: int, opinion: str = "",
                    proposed_amount: Decimal | None = None, comment: str = "", scores: dict | None = None
                    ) -> Assessment:
    """Save one funder's assessment if nobody saved it since ``version`` (optimistic lock).

    The UPDATE names the version it started from; when another person saved first, nothing is written and
    ``AssessmentConflict`` carries their values. A version ahead of the stored one (nobody saved it) is refused
    with a plain ``ReviewError``, and the row the call would have created is not kept."""
    if opinion and opinion not in Opinion.values:
        raise ReviewError("Avis : choisissez un avis dans la liste.")
    if opinion == Opinion.FAVOURABLE_MODIFIED and proposed_amount is None:
        raise ReviewError("Montant proposé : indiquez le montant pour un avis « favorable avec un montant "
                          "modifié ».")
    if proposed_amount is not None and proposed_amount < 0:
        raise ReviewError("Montant proposé : le montant ne peut pas être négatif.")
    criteria = list(ScoringCriterion.objects.filter(call_id=application.call_id))
    by_id = {str(c.pk): c for c in criteria}
    clean_scores: dict[str, int] = {}
    for key, value in (scores or {}).items():
        if value is None or value == "":
            continue
        criterion = by_id.get(str(key))
        if criterion is None:
            continue
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = -1
        if not 0 <= score <= criterion.scale_max:
            raise ReviewError(f"Note « {criterion.label} » : entre 0 et {criterion.scale_max}.")
        clean_scores[str(key)] = score
    with transaction.atomic():
        locked = _lock(application)
        if locked.status not in (Status.ADMISSIBLE, Status.REVIEWED):
            raise ReviewError(f"L'avis ne peut plus être modifié : la demande est « {Status(locked.status).label} ».")
        row, _ = Assessment.objects.get_or_create(application=locked, funder=funder)
        if version > row.version:  # a version nobody saved (a brand-new row, a forged form): not another's change
            raise ReviewError("Cet avis a changé : rechargez la page.")
        updated = Assessment.objects.filter(pk=row.pk, version=version).update(
            opinion=opinion, proposed_amount=proposed_amount, comment=comment.strip(), scores=clean_scores,
            weighted_score=weighted_score(clean_scores, criteria), version=version + 1, updated_by=user,
            updated_at=timezone.now())
        if not updated:
            raise AssessmentConflict(Assessment.objects.select_related("updated_by").get(pk=row.pk))
        what = f"avis {funder.name} : {Opinion(opinion).label if opinion else 'en cours'}"
        if proposed_amount is not None:
            amount = f"{proposed_amount:,.2f}".replace(",", "\u202f").replace(".", ",")
            what += f", montant proposé {amount} €"
        ReviewEvent.objects.create(application=locked, by=user, kind="assessment",
                                   what=f"{what} (version {version + 1})"[:500])
    return Assessment.objects.select_related("updated_by").get(pk=row.pk)


def assessments_rescore(*, call) -> int:
    """Recompute the stored weighted scores of a call's assessments (after its grid changed)."""
    criteria = list(ScoringCriterion.objects.filter(call=call))
    rows = list(Assessment.objects.filter(application__call=call))
    for a in rows:
        a.weighted_score = weighted_score(a.scores, criteria)
    Assessment.objects.bulk_update(rows, ["weighted_score"])
    return len(rows)


def application_mark_reviewed(*, application: Application, user) -> Application:
    """admissible → instruite, once at least one funder's assessment carries an opinion."""
    with transaction.atomic():
        locked = _lock(application)
        if locked.status == Status.REVIEWED:
            raise ReviewError("Cette demande est déjà marquée comme instruite.")
        if locked.status != Status.ADMISSIBLE:
            raise ReviewError("Seule une demande recevable, en instruction, peut être marquée comme instruite.")
        if not Assessment.objects.filter(application=locked).exclude(opinion="").exists():
            raise ReviewError("La demande ne peut pas être marquée comme instruite : aucun financeur n'a encore "
                              "donné d'avis.")
        application_transition(application=locked, to=Status.REVIEWED, by=user, why="instruction terminée")
        locked.save(update_fields=["status", "updated_at"])
    application.status = locked.status
    return locked


def conflict_declare(*, application: Application, user, reason: str = "") -> ConflictOfInterest:
    """Declare a conflict of interest: the person is removed from this application's review (for good)."""
    with transaction.atomic():
        conflict, created = ConflictOfInterest.objects.get_or_create(
            application=application, user=user, defaults={"reason": (reason or "").strip()[:300]})
    if not created:
        raise ReviewError("Vous avez déjà déclaré un conflit d'intérêts pour cette demande.")
    if hasattr(user, "_conflicts"):  # the request's cache of conflicts (reviews.perms.conflict_ids)
        user._conflicts = user._conflicts | {application.pk}
    return conflict


def _member_emails(application: Application) -> list[str]:
    return sorted({m.user.email for m in application.organisation.memberships.select_related("user")
                   if m.user.email and m.user.is_active})


def info_request_create(*, application: Application, user, question: str, base_url: str = "") -> InfoRequest:
    """Ask the applicant for additional information; the organisation's members are told by e-mail."""
    question = (question or "").strip()
    if not question:
        raise ReviewError("Question : écrivez ce que vous demandez au porteur de projet.")
    if len(question) > 5000:
        raise ReviewError("Question : 5 000 caractères au plus.")
    if application.status not in (Status.SUBMITTED, Status.ADMISSIBLE, Status.REVIEWED):
        raise ReviewError(f"Aucune demande de compléments ne peut être envoyée : la demande est « "
                          f"{Status(application.status).label} ».")
    with transaction.atomic():
        request = InfoRequest.objects.create(application=application, question=question, asked_by=user)
        recipients = _member_emails(application)
        if recipients:
            body = render_to_string("reviews/application/emails/info_request.txt", {
                "application": application, "info_request": request, "base_url": base_url})
            mail_enqueue_on_commit(subject=f"Demande de compléments — dossier {application.reference}", body=body,
                                   recipients=recipients)
    return request


def info_answer(*, info_request: InfoRequest, user, answer: str, base_url: str = "") -> InfoRequest:
    """The applicant's answer (once; the history keeps both); whoever asked is told by e-mail."""
    answer = (answer or "").strip()
    if not answer:
        raise ReviewError("Réponse : écrivez votre réponse avant de l'envoyer.")
    if len(answer) > 20000:
        raise ReviewError("Réponse : 20 000 caractères au plus.")
    with transaction.atomic():
        locked = InfoRequest.objects.select_for_update().get(pk=info_request.pk)  # no outer join under a lock
        if not locked.is_open:
            raise ReviewError("Cette demande de compléments a déjà reçu une réponse : rien n'a été modifié.")
        locked.answer = answer
        locked.answered_by = user
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        asker = locked.asked_by
        if asker is not None and asker.email:
            body = render_to_string("reviews/application/emails/info_answer.txt", {
                "application": locked.application, "info_request": locked, "base_url": base_url})
            mail_enqueue_on_commit(subject=f"Réponse du porteur — dossier {locked.application.reference}",
                                   body=body, recipients=[asker.email])
    return locked


def advice_save(*, application: Application, user, stance: str, comment: str) -> Advice:
    """A residents' council member's advisory opinion: one per person, editable."""
    if stance not in AdvisoryStance.values:
        raise ReviewError("Avis : choisissez soutien, réserves ou opposition.")
    comment = (comment or "").strip()
    if not comment:
        raise ReviewError("Commentaire : expliquez votre avis en quelques mots.")
    with transaction.atomic():
        advice, _ = Advice.objects.update_or_create(application=application, author=user,
                                                    defaults={"stance": stance, "comment": comment})
    return advice


USUAL_CRITERIA = (
    ("Capacité à faire", "Profil de la structure, expérience, moyens humains et financiers pour mener l'action."),
    ("Présence dans les quartiers", "Implantation et implication de la structure dans les quartiers visés."),
    ("Faisabilité du calendrier", "Réalisme du calendrier proposé au regard des moyens et des étapes."),
    ("Publics visés et mobilisation", "Publics ciblés et capacité à les toucher et à les mobiliser."),
    ("Inscription dans les priorités du quartier", "Cohérence avec les priorités thématiques et les enjeux du "
                                                   "projet de quartier."),
)


def grid_suggestion() -> list[dict]:
    """The five usual criteria (DOMAIN.md §3), weight 1, scale 0–4: a starting point, a local choice."""
    return [{"label": label, "help_text": help_text, "weight": Decimal(1), "scale_max": 4, "position": i}
            for i, (label, help_text) in enumerate(USUAL_CRITERIA, start=1)]


def grid_save(*, call, formset) -> list[ScoringCriterion]:
    """Save the grid's formset (added, changed and deleted criteria) and recompute the weighted scores.

    Scores are keyed by criterion id, so a criterion's scores survive a change of label, weight or order; a
    deleted criterion's scores stay in the rows but no longer count."""
    with transaction.atomic():
        saved = formset.save(commit=False)
        for criterion in saved:
            criterion.call = call
            criterion.save()
        for criterion in formset.deleted_objects:
            criterion.delete()
        assessments_rescore(call=call)
    return list(ScoringCriterion.objects.filter(call=call))
