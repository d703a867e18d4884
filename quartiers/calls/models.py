"""Calls for projects (appels à projets): funders, envelopes, dates, required documents and rule settings.

A call belongs to a contract and reads one published version of its framework. It moves draft → open → closed;
every move writes a ``CallTransition`` (who, when, from, to, why). Whether a call accepts applications at a given
instant is decided by the server with ``call_is_accepting`` (status open AND opens_at ≤ now < closes_at), never by
the page the applicant sees.
"""

import re
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from quartiers.engine.rules.checks import RULES_BY_CODE
from quartiers.engine.rules.model import DOCUMENT_TYPES, FUNDER_KINDS, SEVERITIES
from quartiers.frameworks.models import FrameworkVersion
from quartiers.territories.models import Contract, Neighbourhood


def compact_siret(value: str) -> str:
    """The SIRET without spaces, dots or dashes (as typed on forms: « 173 000 019 00013 »)."""
    return re.sub(r"[\s.\-\u00a0\u202f]", "", value or "")


def validate_siret(value: str) -> None:
    """14 digits with a valid Luhn key (SIREN and SIRET); La Poste (SIREN 356 000 000) has its own key, which
    python-stdnum knows."""
    number = compact_siret(value)
    if not number.isascii() or not number.isdigit() or len(number) != 14:
        raise ValidationError("Le numéro SIRET doit compter 14 chiffres.", code="siret_format")
    try:
        stdnum_siret.validate(number)
    except StdnumError:
        raise ValidationError(
            "Ce numéro SIRET n'est pas valide : sa clé de contrôle est fausse. Vérifiez-le sur l'avis de "
            "situation Sirene.", code="siret_checksum") from None


def format_siret(value: str) -> str:
    """« 17300001900013 » → « 173 000 019 00013 »."""
    number = compact_siret(value)
    if len(number) != 14:
        return value
    return f"{number[:3]} {number[3:6]} {number[6:9]} {number[9:]}"


# --- Funders ---------------------------------------------------------------------------------------------------


class FunderQuerySet(models.QuerySet):
    def of_contract(self, contract: Contract) -> "FunderQuerySet":
        return self.filter(contract=contract)


class Funder(models.Model):
    """An organisation that funds actions of a contract (État BOP 147, agglomération, commune, CAF…)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="funders", verbose_name="contrat")
    kind = models.CharField("type de financeur", max_length=16, choices=list(FUNDER_KINDS.items()))
    name = models.CharField("nom", max_length=300)
    siret = models.CharField("SIRET", max_length=14, validators=[validate_siret],
                             help_text="14 chiffres, par exemple 173 000 019 00013.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FunderQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind", "siret"], name="funder_unique_contract_kind_siret"),
        ]
        verbose_name = "financeur"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def clean(self) -> None:
        self.siret = compact_siret(self.siret)

    @property
    def code(self) -> str:
        """The stable code the rules engine and the applications use for this funder: « kind:siret »."""
        return f"{self.kind}:{self.siret}"

    @property
    def siret_display(self) -> str:
        return format_siret(self.siret)


# --- Calls -----------------------------------------------------------------------------------------------------


class CallStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    OPEN = "open", "Ouvert"
    CLOSED = "closed", "Clos"


# The one table of allowed moves between statuses.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    CallStatus.DRAFT: {CallStatus.OPEN},
    CallStatus.OPEN: {CallStatus.CLOSED},
    CallStatus.CLOSED: set(),
}

RULE_SEVERITIES: dict[str, str] = {"blocking": "bloquant", "warning": "avertissement", "info": "information"}


def validate_required_documents(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError("Les pièces demandées doivent être une liste de types de pièces.")
    unknown = [v for v in value if v not in DOCUMENT_TYPES]
    if unknown:
        raise ValidationError("Type de pièce inconnu : %(codes)s.", params={"codes": ", ".join(unknown)},
                              code="unknown_document")


def validate_rule_settings(value) -> None:
    """``{"CODE": {"enabled": bool, "severity": "blocking" | "warning" | "info" | null}}``; absent: defaults."""
    if not isinstance(value, dict):
        raise ValidationError("Les réglages des règles doivent être un dictionnaire par code de règle.")
    unknown = [code for code in value if code not in RULES_BY_CODE]
    if unknown:
        raise ValidationError("Code de règle inconnu : %(codes)s.", params={"codes": ", ".join(sorted(unknown))},
                              code="unknown_rule")
    for code, setting in value.items():
        if not isinstance(setting, dict) or set(setting) - {"enabled", "severity"}:
            raise ValidationError("Réglage mal formé pour la règle %(code)s.", params={"code": code})
        if not isinstance(setting.get("enabled", True), bool):
            raise ValidationError("Réglage « activée » mal formé pour la règle %(code)s.", params={"code": code})
        severity = setting.get("severity")
        if severity is not None and severity not in SEVERITIES:
            raise ValidationError("Gravité inconnue « %(severity)s » pour la règle %(code)s.",
                                  params={"severity": severity, "code": code}, code="unknown_severity")


SHARE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


class CallQuerySet(models.QuerySet):
    def of_contract(self, contract: Contract) -> "CallQuerySet":
        return self.filter(contract=contract)

    def visible(self) -> "CallQuerySet":
        """What the public may see: calls that have been opened (open or closed), never drafts."""
        return self.filter(status__in=[CallStatus.OPEN, CallStatus.CLOSED])

    def open_now(self, now: datetime) -> "CallQuerySet":
        """Calls accepting applications at ``now`` (the same test as ``call_is_accepting``)."""
        return self.filter(status=CallStatus.OPEN, opens_at__lte=now, closes_at__gt=now)

    def past_deadline(self, now: datetime) -> "CallQuerySet":
        """Open calls whose deadline has passed at ``now``: ``close-calls`` closes them."""
        return self.filter(status=CallStatus.OPEN, closes_at__lte=now)


class Call(models.Model):
    """A yearly call for projects (appel à projets) of a contract."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="calls", verbose_name="contrat")
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="calls",
                                          verbose_name="version du référentiel")
    slug = models.SlugField("identifiant court", max_length=80, unique=True,
                            help_text="Utilisé dans l'adresse de la page, par exemple ales-2027.")
    title = models.CharField("titre", max_length=300)
    year = models.PositiveIntegerField("année des actions",
                                       validators=[MinValueValidator(2024), MaxValueValidator(2100)])
    opens_at = models.DateTimeField("ouverture")
    closes_at = models.DateTimeField("clôture", help_text="Date et heure limites de dépôt (heure de Paris).")
    status = models.CharField("statut", max_length=8, choices=CallStatus.choices, default=CallStatus.DRAFT)
    description = models.TextField("présentation", blank=True)
    required_documents = models.JSONField("pièces demandées", default=list, blank=True,
                                          validators=[validate_required_documents])
    neighbourhoods = models.ManyToManyField(Neighbourhood, related_name="calls", blank=True,
                                            verbose_name="quartiers prioritaires de l'appel")
    rule_settings = models.JSONField("réglages des règles", default=dict, blank=True,
                                     validators=[validate_rule_settings])
    min_qpv_share = models.DecimalField("part minimale de bénéficiaires habitant un QPV", max_digits=5,
                                        decimal_places=4, default=Decimal("0.5"), validators=SHARE_VALIDATORS)
    max_public_share = models.DecimalField("part maximale des subventions dans les produits", max_digits=5,
                                           decimal_places=4, default=Decimal("0.8"), validators=SHARE_VALIDATORS)
    weak_match_threshold = models.DecimalField("seuil d'un rattachement faible", max_digits=4, decimal_places=3,
                                               default=Decimal("0.2"), validators=SHARE_VALIDATORS)
    max_total_budget = models.DecimalField("budget total plausible au plus", max_digits=12, decimal_places=2,
                                           default=Decimal("2000000"), validators=[MinValueValidator(Decimal(0))])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")),
                                   name="call_closes_after_opening"),
        ]
        verbose_name = "appel à projets"
        verbose_name_plural = "appels à projets"

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"

    def clean(self) -> None:
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = "La clôture doit être postérieure à l'ouverture."
        if self.framework_version_id and self.contract_id and self.framework_version.contract_id != self.contract_id:
            errors["framework_version"] = "Cette version du référentiel appartient à un autre contrat."
        if errors:
            raise ValidationError(errors)

    def is_accepting(self, now: datetime) -> bool:
        return call_is_accepting(self, now)


def call_is_accepting(call: Call, now: datetime) -> bool:
    """Does the call accept applications at ``now``? Status open AND opens_at ≤ now < closes_at.

    The deadline is an instant (stored in UTC, entered and shown in Europe/Paris): an application submitted at
    ``closes_at`` or later is refused, even when ``close-calls`` has not yet moved the call to closed.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return call.status == CallStatus.OPEN and call.opens_at <= now < call.closes_at


class CallTransition(models.Model):
    """Every change of status of a call: who, when, from, to, why."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("ancien statut", max_length=8, choices=CallStatus.choices, blank=True)
    to_status = models.CharField("nouveau statut", max_length=8, choices=CallStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name="par")
    at = models.DateTimeField("le", auto_now_add=True)
    why = models.CharField("motif", max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "changement de statut d'un appel"
        verbose_name_plural = "changements de statut des appels"

    def __str__(self) -> str:
        return f"{self.call.title} : {self.from_status or '—'} → {self.to_status}"


class CallFunderQuerySet(models.QuerySet):
    def of_call(self, call: Call) -> "CallFunderQuerySet":
        return self.filter(call=call)


class CallFunder(models.Model):
    """A funder taking part in a call, with the envelope (enveloppe) it sets aside for it."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="call_funders", verbose_name="appel")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="call_funders",
                               verbose_name="financeur")
    envelope = models.DecimalField("enveloppe (€)", max_digits=12, decimal_places=2,
                                   validators=[MinValueValidator(Decimal(0))])

    objects = CallFunderQuerySet.as_manager()

    class Meta:
        ordering = ["call", "funder__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "funder"], name="call_funder_unique"),
            models.CheckConstraint(condition=models.Q(envelope__gte=0), name="call_funder_envelope_not_negative"),
        ]
        verbose_name = "enveloppe d'un financeur"
        verbose_name_plural = "enveloppes des financeurs"

    def __str__(self) -> str:
        return f"{self.funder.name} — {self.call.title}"

    def clean(self) -> None:
        if self.call_id and self.funder_id and self.funder.contract_id != self.call.contract_id:
            raise ValidationError({"funder": "Ce financeur appartient à un autre contrat."})
