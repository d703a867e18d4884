"""Organisations (porteurs de projet), their members and standing documents; applications (Cerfa 12156).

An application keeps its Cerfa content as one JSON document in the format of
``docs/schemas/application.schema.json`` (section ``application``), read and written by the rules engine's
loader and dumper; the columns beside it are what lists, permissions and exports need (see
``docs/decisions/0003-application-storage.md``).
"""

import uuid

from django.conf import settings
from django.db import models

from quartiers.engine.rules.model import DOCUMENT_TYPES, LEGAL_FORMS


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "administrateur"
    SIGNATORY = "signatory", "signataire"
    EDITOR = "editor", "rédacteur"


SIGNING_ROLES = (Role.ADMINISTRATOR, Role.SIGNATORY)


class OrganisationQuerySet(models.QuerySet):
    def of_user(self, user) -> "OrganisationQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class Organisation(models.Model):
    """A porteur de projet: usually an association loi 1901."""

    legal_name = models.CharField("dénomination", max_length=300)
    acronym = models.CharField("sigle", max_length=50, blank=True)
    siret = models.CharField("numéro SIRET", max_length=14, unique=True)
    rna = models.CharField("numéro RNA ou du registre (Alsace-Moselle)", max_length=30, blank=True)
    legal_form = models.CharField("forme juridique", max_length=30, choices=list(LEGAL_FORMS.items()),
                                  default="association")
    street = models.CharField("adresse du siège", max_length=300)
    postcode = models.CharField("code postal", max_length=5)
    commune = models.CharField("commune", max_length=200)
    representative_name = models.CharField("représentant légal (prénom et nom)", max_length=200)
    representative_role = models.CharField("fonction du représentant légal", max_length=100, blank=True,
                                           default="président(e)")
    representative_email = models.EmailField("courriel du représentant légal", blank=True)
    representative_phone = models.CharField("téléphone du représentant légal", max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]
        verbose_name = "structure"

    def __str__(self) -> str:
        return self.legal_name


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=16, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user__email"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user")]
        verbose_name = "membre"

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """An e-mail invited to join an organisation; accepted when that address confirms an account."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("courriel")
    role = models.CharField("rôle", max_length=16, choices=Role.choices, default=Role.EDITOR)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "invitation"

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


def _upload_to(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{uuid.uuid4().hex}.{ext}"


class DocumentFile(models.Model):
    """Common fields of an uploaded file: stored under MEDIA_ROOT with a random name, served by a view."""

    doc_type = models.CharField("type de pièce", max_length=40, choices=list(DOCUMENT_TYPES.items()))
    file = models.FileField("fichier", upload_to=_upload_to)
    original_name = models.CharField("nom du fichier", max_length=255)
    kind = models.CharField("format", max_length=8)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def content_type(self) -> str:
        return {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg",
                "odt": "application/vnd.oasis.opendocument.text",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}.get(
                    self.kind, "application/octet-stream")


class StandingDocument(DocumentFile):
    """A document of the organisation (statuts, RIB…) reused from one application to the next."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="documents")

    class Meta:
        ordering = ["organisation", "doc_type", "-uploaded_at"]
        verbose_name = "pièce de la structure"
        verbose_name_plural = "pièces de la structure"

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} — {self.original_name}"


# --- Applications ----------------------------------------------------------------------------------------------


class Status(models.TextChoices):
    DRAFT = "draft", "brouillon"
    SUBMITTED = "submitted", "déposée"
    WITHDRAWN = "withdrawn", "retirée"
    INADMISSIBLE = "inadmissible", "irrecevable"
    ADMISSIBLE = "admissible", "recevable, en instruction"
    REVIEWED = "reviewed", "instruite"
    DECIDED = "decided", "votée"
    REFUSED = "refused", "refusée"


# The one table of allowed moves; every move writes an ApplicationTransition.
# submitted → recevable (en instruction) or irrecevable; instruite when the opinions are in; the committee's
# decisions make it « votée » (at least one grant) or « refusée » (every funder refused).
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.WITHDRAWN, Status.ADMISSIBLE, Status.INADMISSIBLE},
    Status.WITHDRAWN: set(),
    Status.INADMISSIBLE: {Status.SUBMITTED},  # the admissibility verdict is reopened
    Status.ADMISSIBLE: {Status.REVIEWED, Status.DECIDED, Status.REFUSED, Status.WITHDRAWN, Status.SUBMITTED},
    Status.REVIEWED: {Status.ADMISSIBLE, Status.DECIDED, Status.REFUSED, Status.WITHDRAWN},
    Status.DECIDED: {Status.REVIEWED},  # a decision cancelled by the committee
    Status.REFUSED: {Status.REVIEWED},
}
EDITABLE_STATUSES = (Status.DRAFT,)
# Statuses of applications that reached the review side (the queue shows these).
REVIEW_STATUSES = (Status.SUBMITTED, Status.INADMISSIBLE, Status.ADMISSIBLE, Status.REVIEWED, Status.DECIDED,
                   Status.REFUSED, Status.WITHDRAWN)


class ApplicationQuerySet(models.QuerySet):
    def of_user(self, user) -> "ApplicationQuerySet":
        """The applications of the organisations the user is a member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user).distinct()


class Application(models.Model):
    """One organisation's request for one action in one call (demande de subvention, Cerfa 12156)."""

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="applications",
                             verbose_name="appel à projets")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="applications",
                                     verbose_name="structure")
    status = models.CharField("statut", max_length=16, choices=Status.choices, default=Status.DRAFT)
    reference = models.CharField("numéro de dossier", max_length=40, unique=True, null=True, blank=True)
    title = models.CharField("intitulé de l'action", max_length=500, blank=True)
    content = models.JSONField("contenu du Cerfa 12156", default=dict, blank=True,
                               help_text="Section « application » du format docs/schemas/application.schema.json.")
    total_budget = models.DecimalField("total des charges", max_digits=14, decimal_places=2, default=0)
    requested_total = models.DecimalField("total demandé", max_digits=14, decimal_places=2, default=0)
    # Columns copied from the content for the review queue's filters and the programme (kept by _sync_columns).
    renewal = models.BooleanField("renouvellement", default=False)
    neighbourhood_codes = models.CharField("quartiers (codes)", max_length=200, blank=True, db_index=True,
                                           help_text="Codes QPV séparés et entourés de virgules : ,QN03001I,QN03002M,")
    beneficiaries = models.PositiveIntegerField("bénéficiaires prévus", default=0)
    beneficiaries_qpv = models.PositiveIntegerField("dont habitants des QPV", default=0)
    # Findings of the rules at submission (or the last review refresh): counts for the queue, list for the page.
    findings = models.JSONField("constats des vérifications", default=list, blank=True)
    findings_blocking = models.PositiveSmallIntegerField("constats bloquants", default=0)
    findings_warnings = models.PositiveSmallIntegerField("constats à vérifier", default=0)
    submitted_at = models.DateTimeField("déposée le", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    standing_documents = models.ManyToManyField(StandingDocument, blank=True, related_name="applications",
                                                verbose_name="pièces de la structure jointes")

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = "demande de subvention"
        verbose_name_plural = "demandes de subvention"

    def __str__(self) -> str:
        return self.reference or f"{self.title or 'Demande sans titre'} (brouillon)"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def neighbourhood_code_list(self) -> list[str]:
        return [c for c in self.neighbourhood_codes.split(",") if c]


class FundingRequest(models.Model):
    """The amount asked of one funder of the call (denormalised from the content for lists and exports)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="funding_requests")
    funder_code = models.CharField("financeur", max_length=60)
    funder = models.ForeignKey("calls.Funder", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("montant demandé", max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = "montant demandé"

    def __str__(self) -> str:
        return f"{self.funder_code} : {self.amount} €"


class ClaimedObjective(models.Model):
    """An objective of the neighbourhood's project the applicant says the action pursues."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="claimed_objectives")
    objective_key = models.CharField("clé de l'objectif", max_length=12, db_index=True)
    text = models.TextField("texte de l'objectif")
    neighbourhood_code = models.CharField("quartier", max_length=8, blank=True)

    class Meta:
        ordering = ["application", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "objective_key", "neighbourhood_code"],
                                               name="claimed_objective_unique")]
        verbose_name = "objectif revendiqué"

    def __str__(self) -> str:
        return self.text[:80]


class ApplicationDocument(DocumentFile):
    """A document attached to one application, in one of the typed slots the call requires."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")

    class Meta:
        ordering = ["application", "doc_type", "-uploaded_at"]
        verbose_name = "pièce jointe"

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} — {self.original_name}"


class ApplicationTransition(models.Model):
    """Every change of status of an application: who, when, from, to, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("ancien statut", max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField("nouveau statut", max_length=16, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField("le", auto_now_add=True)
    why = models.CharField("motif", max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "changement de statut d'une demande"

    def __str__(self) -> str:
        return f"{self.application} : {self.from_status or '—'} → {self.to_status}"


class ReferenceCounter(models.Model):
    """The last reference number given in a call; locked with select_for_update to allocate the next one."""

    call = models.OneToOneField("calls.Call", on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.call_id} : {self.last_number}"


class ReminderKind(models.TextChoices):
    WEEK = "7d", "7 jours avant la clôture"
    DAY = "1d", "1 jour avant la clôture"


class DeadlineReminder(models.Model):
    """A reminder e-mailed to the members of an organisation whose application is still a draft as the call's
    deadline nears; one row per application and kind, so that each leaves once."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="deadline_reminders")
    kind = models.CharField("rappel", max_length=2, choices=ReminderKind.choices)
    closes_at = models.DateTimeField("date limite rappelée")
    recipients = models.JSONField("destinataires", default=list, blank=True)
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = "rappel avant la date limite"
        verbose_name_plural = "rappels avant la date limite"
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="one_reminder_per_kind")]

    def __str__(self) -> str:
        return f"{self.application} : {self.get_kind_display()}"
