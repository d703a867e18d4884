"""The review side of a call: who takes part (roles per contract), admissibility, confirmed matches, each funder's
assessment (opinion, proposed amount, scoring grid), conflicts of interest, requests for information, residents'
advisory opinions, committee sessions and the decisions per funder.

States follow ``applications.models.ALLOWED_TRANSITIONS``; every write goes through a ``services.py`` of
the review side's sub-packages (``review/``, ``committee/``, ``members/``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# --- Roles -----------------------------------------------------------------------------------------------------


class ContractRole(models.TextChoices):
    PROJECT_LEAD = "project_lead", "cheffe ou chef de projet du contrat"
    REVIEWER = "reviewer", "instructrice ou instructeur"
    FUNDER = "funder", "représentant d'un financeur"
    COMMITTEE = "committee", "membre du comité de programmation"
    RESIDENT = "resident", "membre du conseil citoyen"
    OBSERVER = "observer", "observateur"


class ContractMemberQuerySet(models.QuerySet):
    def of_user(self, user) -> "ContractMemberQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class ContractMember(models.Model):
    """A person's role in one contract's review work; a reviewer or a funder representative may speak for a funder."""

    contract = models.ForeignKey("territories.Contract", on_delete=models.CASCADE, related_name="members",
                                 verbose_name="contrat")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contract_roles",
                             verbose_name="personne")
    role = models.CharField("rôle", max_length=16, choices=ContractRole.choices)
    funder = models.ForeignKey("calls.Funder", null=True, blank=True, on_delete=models.PROTECT, related_name="members",
                               verbose_name="financeur représenté",
                               help_text="Pour une instructrice ou un représentant : le financeur pour qui il ou elle "
                                         "donne un avis.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContractMemberQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "role", "user__email", "pk"]
        constraints = [models.UniqueConstraint(fields=["contract", "user"], name="contract_member_unique")]
        verbose_name = "membre du contrat"
        verbose_name_plural = "membres du contrat"

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class ContractInvitation(models.Model):
    """A role in a contract offered to an e-mail address that has no confirmed account yet (the platform staff invite
    a new contract's project lead). It becomes a ``ContractMember`` when that address logs in with a confirmed
    account; until then it is pending."""

    contract = models.ForeignKey("territories.Contract", on_delete=models.CASCADE, related_name="invitations",
                                 verbose_name="contrat")
    email = models.EmailField("courriel")
    role = models.CharField("rôle", max_length=16, choices=ContractRole.choices, default=ContractRole.PROJECT_LEAD)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="invitation envoyée par")
    created_at = models.DateTimeField("envoyée le", auto_now_add=True)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="acceptée par")

    class Meta:
        ordering = ["contract", "-created_at", "pk"]
        verbose_name = "invitation dans un contrat"
        verbose_name_plural = "invitations dans un contrat"

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()} ({self.contract})"


# --- Review of one application ---------------------------------------------------------------------------------


class Admissibility(models.Model):
    """The administrative check (recevabilité): recevable, or irrecevable with the reason given to the applicant."""

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE,
                                       related_name="admissibility")
    admissible = models.BooleanField("recevable")
    reason = models.TextField("motif", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("le", auto_now=True)

    class Meta:
        verbose_name = "recevabilité"
        verbose_name_plural = "recevabilités"

    def __str__(self) -> str:
        return "recevable" if self.admissible else "irrecevable"


class ConfirmedMatch(models.Model):
    """The objective a reviewer confirmed the action serves (what counts everywhere afterwards; labelled data)."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="confirmed_matches")
    objective = models.ForeignKey("frameworks.Objective", on_delete=models.PROTECT, related_name="confirmed_matches",
                                  verbose_name="objectif")
    objective_key = models.CharField("clé de l'objectif", max_length=12, db_index=True)
    neighbourhood_code = models.CharField("quartier", max_length=8, db_index=True)
    is_primary = models.BooleanField("objectif principal", default=True)
    suggested_rank = models.PositiveSmallIntegerField("rang proposé par le moteur", null=True, blank=True)
    suggested_score = models.FloatField("score du moteur", null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("confirmé le", auto_now=True)

    class Meta:
        ordering = ["application", "-is_primary", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "objective"], name="confirmed_match_unique"),
            models.UniqueConstraint(fields=["application"], condition=models.Q(is_primary=True),
                                    name="confirmed_match_one_primary"),
        ]
        verbose_name = "rattachement confirmé"
        verbose_name_plural = "rattachements confirmés"

    def __str__(self) -> str:
        return f"{self.neighbourhood_code} — objectif {self.objective_key}"


class ReviewEvent(models.Model):
    """A line of the application's review history for what is overwritten in place: each confirmation or correction
    of the match, each saved version of an assessment and each correction of a decision (who, when, what), so the
    trail survives corrections. Decision lines are shown only to those who may read decisions."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="review_events")
    at = models.DateTimeField("le", auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    kind = models.CharField("objet", max_length=12, choices=[("match", "rattachement"), ("assessment", "avis"),
                                                             ("decision", "décision")])
    what = models.CharField("changement", max_length=500)

    class Meta:
        ordering = ["application", "at", "pk"]
        verbose_name = "étape de l'instruction"
        verbose_name_plural = "historique de l'instruction"

    def __str__(self) -> str:
        return self.what


class Opinion(models.TextChoices):
    FAVOURABLE = "favourable", "favorable"
    FAVOURABLE_MODIFIED = "favourable_modified", "favorable avec un montant modifié"
    RESERVED = "reserved", "réservé"
    UNFAVOURABLE = "unfavourable", "défavorable"
    POSTPONED = "postponed", "ajourné"


class Assessment(models.Model):
    """One funder's instruction of one application: opinion, proposed amount, comment, scores of the grid.

    Several reviewers of the funder edit the same row: ``version`` is the optimistic lock (a save names the version
    it started from; a stale one is refused with a clear message, nothing is overwritten).
    """

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="assessments")
    funder = models.ForeignKey("calls.Funder", on_delete=models.PROTECT, related_name="assessments",
                               verbose_name="financeur")
    opinion = models.CharField("avis", max_length=24, choices=Opinion.choices, blank=True)
    proposed_amount = models.DecimalField("montant proposé (€)", max_digits=12, decimal_places=2, null=True,
                                          blank=True, validators=[MinValueValidator(Decimal(0))])
    comment = models.TextField("commentaire", blank=True)
    scores = models.JSONField("notes de la grille", default=dict, blank=True,
                              help_text="{identifiant du critère: note}")
    weighted_score = models.DecimalField("note pondérée", max_digits=6, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "funder__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "funder"], name="assessment_unique")]
        verbose_name = "avis d'instruction"
        verbose_name_plural = "avis d'instruction"

    def __str__(self) -> str:
        return f"{self.funder} : {self.get_opinion_display() or 'avis à donner'}"


class ScoringCriterion(models.Model):
    """A criterion of the call's scoring grid (grille d'analyse): a weight and a scale from 0 to ``scale_max``."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField("critère", max_length=200)
    help_text = models.TextField("ce qui est regardé", blank=True)
    weight = models.DecimalField("poids", max_digits=5, decimal_places=2, default=Decimal(1),
                                 validators=[MinValueValidator(Decimal("0.01"))])
    scale_max = models.PositiveSmallIntegerField("note maximale", default=4,
                                                 validators=[MinValueValidator(1), MaxValueValidator(20)])
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["call", "position", "pk"]
        verbose_name = "critère de la grille d'analyse"
        verbose_name_plural = "critères de la grille d'analyse"

    def __str__(self) -> str:
        return self.label


class ConflictOfInterest(models.Model):
    """A declaration that removes the person from the review and the vote of one application."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField("nature du lien", max_length=300, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "user"], name="conflict_unique")]
        verbose_name = "déclaration de conflit d'intérêts"
        verbose_name_plural = "déclarations de conflit d'intérêts"

    def __str__(self) -> str:
        return f"{self.user} — conflit d'intérêts"


class InfoRequest(models.Model):
    """A request for additional information (demande de compléments) and the applicant's answer; history kept."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="info_requests")
    question = models.TextField("question")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField("réponse", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "asked_at", "pk"]
        verbose_name = "demande de compléments"
        verbose_name_plural = "demandes de compléments"

    def __str__(self) -> str:
        return self.question[:80]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class AdvisoryStance(models.TextChoices):
    SUPPORT = "support", "soutien"
    RESERVED = "reserved", "réserves"
    AGAINST = "against", "opposition"


class Advice(models.Model):
    """An advisory opinion of a residents' council member (conseil citoyen): read by the committee, not binding."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="advices")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stance = models.CharField("avis", max_length=16, choices=AdvisoryStance.choices)
    comment = models.TextField("commentaire")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "author"], name="advice_unique")]
        verbose_name = "avis consultatif du conseil citoyen"
        verbose_name_plural = "avis consultatifs du conseil citoyen"

    def __str__(self) -> str:
        return f"{self.get_stance_display()} — {self.comment[:60]}"


class SavedView(models.Model):
    """A named set of filters of the review queue, kept for its owner."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    name = models.CharField("nom", max_length=100)
    query = models.CharField("filtres", max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "call", "name"], name="saved_view_unique")]
        verbose_name = "vue enregistrée"
        verbose_name_plural = "vues enregistrées"

    def __str__(self) -> str:
        return self.name


# --- Committee and decisions -----------------------------------------------------------------------------------


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "prévue"
    OPEN = "open", "en séance"
    CLOSED = "closed", "close"


class CommitteeSession(models.Model):
    """A sitting of the programming committee (comité de programmation / des financeurs) of a call."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="committee_sessions")
    title = models.CharField("intitulé", max_length=200)
    date = models.DateField("date")
    place = models.CharField("lieu", max_length=200, blank=True)
    status = models.CharField("état", max_length=8, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "date", "pk"]
        verbose_name = "séance du comité"
        verbose_name_plural = "séances du comité"

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"


class AgendaItem(models.Model):
    """An application on a session's agenda, in order."""

    session = models.ForeignKey(CommitteeSession, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="agenda_items")
    position = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        ordering = ["session", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "application"], name="agenda_item_unique")]
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "ordre du jour"

    def __str__(self) -> str:
        return f"{self.position}. {self.application}"


class Outcome(models.TextChoices):
    GRANTED = "granted", "accordée"
    REFUSED = "refused", "refusée"


class PaymentTerms(models.TextChoices):
    # values are the SCDL « conditionsVersement » words
    SINGLE = "unique", "versement unique"
    STAGED = "échelonné", "versement échelonné"
    OTHER = "autre", "autre"


CONVENTION_THRESHOLD = Decimal("23000")  # loi 2000-321 art. 10, décret 2001-495: a convention above this amount


class Decision(models.Model):
    """One funder's decision on one application: the granted amount and conditions, or a refusal with its reason."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="decisions")
    funder = models.ForeignKey("calls.Funder", on_delete=models.PROTECT, related_name="decisions",
                               verbose_name="financeur")
    session = models.ForeignKey(CommitteeSession, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="decisions")
    outcome = models.CharField("décision", max_length=8, choices=Outcome.choices)
    amount = models.DecimalField("montant accordé (€)", max_digits=12, decimal_places=2, default=Decimal(0),
                                 validators=[MinValueValidator(Decimal(0))])
    conditions = models.TextField("conditions", blank=True)
    reason = models.TextField("motif du refus", blank=True)
    decided_on = models.DateField("date de la décision")
    reference = models.CharField("référence de l'acte (délibération, arrêté)", max_length=100, blank=True)
    payment_terms = models.CharField("conditions de versement", max_length=16, choices=PaymentTerms.choices,
                                     default=PaymentTerms.SINGLE)
    payment_dates = models.CharField("dates ou période de versement", max_length=21, blank=True,
                                     help_text="AAAA-MM-JJ ou AAAA-MM-JJ/AAAA-MM-JJ")
    convention_date = models.DateField("date de la convention", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    notified_at = models.DateTimeField("notifiée le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "funder__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "funder"], name="decision_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="decision_amount_not_negative"),
        ]
        verbose_name = "décision d'un financeur"
        verbose_name_plural = "décisions des financeurs"

    def __str__(self) -> str:
        return f"{self.funder} : {self.get_outcome_display()} {self.amount} €"

    @property
    def needs_convention(self) -> bool:
        return self.outcome == Outcome.GRANTED and self.amount > CONVENTION_THRESHOLD
