"""Forms of the staff pages: a call (with its funders table and its rules table), its extension, its closing.

Dates are typed as a date and a time in Paris time (two fields each, so that every input has its own label);
shares are typed as percentages. The forms check shapes; the services check the business rules.
"""

import re
from datetime import UTC, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from quartiers.calls.models import RULE_SEVERITIES, Call, compact_siret, validate_siret
from quartiers.calls.services import FunderLine
from quartiers.engine.rules.checks import RULES
from quartiers.engine.rules.model import DOCUMENT_TYPES, FUNDER_KINDS
from quartiers.frameworks.models import FrameworkVersion, VersionStatus
from quartiers.territories.models import Contract, Neighbourhood

PARIS = ZoneInfo("Europe/Paris")
HUNDRED = Decimal(100)


class FrenchDecimalField(forms.DecimalField):
    """A decimal typed the French way: « 80 000,50 » as well as « 80000.50 »; shown with a comma."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f€]", "", value).replace(",", ".")
        return super().to_python(value)


class DsfrMixin:
    """Give every widget its DSFR class and tie each error message to its field for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.HiddenInput):
                continue
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "fr-select")
            else:
                widget.attrs.setdefault("class", "fr-input")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}-erreur"


def paris_datetime(day, at: time) -> datetime:
    """A date and a time typed in Paris time, as an aware datetime. Refuses a time skipped by the change to summer
    time; for the hour repeated in October, the first one (summer time) is taken."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=PARIS)
    if aware.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None) != naive:
        raise forms.ValidationError("Cette heure n'existe pas ce jour-là à Paris (passage à l'heure d'été).")
    return aware


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           help_text="Format : jj/mm/aaaa.",
                           error_messages={"required": f"Indiquez la {label.lower()}.",
                                           "invalid": "Date invalide (format attendu : jj/mm/aaaa)."})


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                           help_text="Heure de Paris.",
                           error_messages={"required": f"Indiquez l'{label.lower()}.",
                                           "invalid": "Heure invalide (format attendu : hh:mm)."})


def _share_field(label: str) -> forms.DecimalField:
    return FrenchDecimalField(label=label, min_value=0, max_value=100, max_digits=6, decimal_places=2,
                              error_messages={"required": "Indiquez un pourcentage.",
                                              "min_value": "Le pourcentage doit être compris entre 0 et 100.",
                                              "max_value": "Le pourcentage doit être compris entre 0 et 100.",
                                              "invalid": "Indiquez un nombre (par exemple 50)."})


class CallForm(DsfrMixin, forms.Form):
    """Every field of a draft call. ``contract`` is only asked when the call is created."""

    contract = forms.ModelChoiceField(label="Contrat de ville", queryset=Contract.objects.order_by("name"),
                                      empty_label="Choisir un contrat",
                                      error_messages={"required": "Choisissez le contrat de ville."})
    framework_version = forms.ModelChoiceField(
        label="Référentiel des priorités", empty_label="Choisir la version publiée",
        queryset=FrameworkVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("contract")
        .defer("source_file").order_by("contract__name", "-number"),
        help_text="La version publiée du référentiel sur laquelle s'appuie l'appel.",
        error_messages={"required": "Choisissez la version du référentiel.",
                        "invalid_choice": "Choisissez une version publiée du référentiel."})
    title = forms.CharField(label="Titre", max_length=300,
                            error_messages={"required": "Indiquez le titre de l'appel."})
    slug = forms.SlugField(label="Identifiant court", max_length=80,
                           help_text="Lettres minuscules, chiffres et tirets ; il figure dans l'adresse de la page "
                                     "publique, par exemple ales-2027.",
                           error_messages={"required": "Indiquez l'identifiant court.",
                                           "invalid": "Utilisez seulement des lettres, des chiffres et des tirets."})
    year = forms.IntegerField(label="Année des actions", min_value=2024, max_value=2100,
                              error_messages={"required": "Indiquez l'année des actions financées.",
                                              "min_value": "L'année doit être 2024 ou après.",
                                              "max_value": "L'année doit être avant 2100.",
                                              "invalid": "Indiquez une année (par exemple 2027)."})
    opens_on = _date_field("Date d'ouverture")
    opens_time = _time_field("Heure d'ouverture")
    closes_on = _date_field("Date de clôture")
    closes_time = _time_field("Heure de clôture")
    description = forms.CharField(label="Présentation", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="Ce que l'appel finance, pour qui, et comment déposer une demande.")
    required_documents = forms.MultipleChoiceField(
        label="Pièces demandées", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(key, label[:1].upper() + label[1:]) for key, label in DOCUMENT_TYPES.items()],
        error_messages={"invalid_choice": "Type de pièce inconnu : %(value)s."})
    neighbourhoods = forms.ModelMultipleChoiceField(
        label="Quartiers prioritaires de l'appel", required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Neighbourhood.objects.filter(sections__version__status=VersionStatus.PUBLISHED).defer("perimeter").distinct()
        .order_by("code"),
        help_text="Par défaut, tous les quartiers du référentiel.",
        error_messages={"invalid_choice": "Quartier inconnu.", "invalid_pk_value": "Quartier inconnu."})
    min_qpv_share = _share_field("Part minimale de bénéficiaires habitant un QPV (%)")
    max_public_share = _share_field("Part maximale des subventions dans les produits de l'action (%)")
    weak_match_threshold = FrenchDecimalField(
        label="Seuil d'un rattachement faible (score de 0 à 1)", min_value=0, max_value=1, max_digits=4,
        decimal_places=3,
        error_messages={"required": "Indiquez le seuil.", "min_value": "Le seuil est compris entre 0 et 1.",
                        "max_value": "Le seuil est compris entre 0 et 1.",
                        "invalid": "Indiquez un nombre entre 0 et 1 (par exemple 0,2)."})
    max_total_budget = FrenchDecimalField(
        label="Budget total plausible au plus (€)", min_value=0, max_digits=12, decimal_places=2,
        error_messages={"required": "Indiquez un montant.", "min_value": "Le montant ne peut pas être négatif.",
                        "invalid": "Indiquez un montant en euros."})

    def __init__(self, *args, call: Call | None = None, **kwargs):
        self.call = call
        if call is not None:
            kwargs.setdefault("initial", call_initial(call))
        else:
            kwargs.setdefault("initial", {
                "min_qpv_share": Decimal(50), "max_public_share": Decimal(80), "weak_match_threshold": Decimal("0.2"),
                "max_total_budget": Decimal(2000000),
                "neighbourhoods": list(Neighbourhood.objects.filter(sections__version__status=VersionStatus.PUBLISHED)
                                       .values_list("pk", flat=True)),
                "opens_time": time(9, 0), "closes_time": time(12, 0),
            })
        super().__init__(*args, **kwargs)
        if call is not None:
            del self.fields["contract"]
            self.fields["framework_version"].queryset = self.fields["framework_version"].queryset.filter(
                contract=call.contract)
            self.fields["neighbourhoods"].queryset = Neighbourhood.objects.filter(
                sections__version__contract=call.contract,
                sections__version__status__in=[VersionStatus.PUBLISHED]).distinct().order_by("code")
        for rule in RULES:
            enabled = forms.BooleanField(label=f"Activer la règle « {rule.title} »", required=False)
            severity = forms.ChoiceField(label=f"Gravité de la règle « {rule.title} »", required=False,
                                         choices=[("", f"par défaut ({RULE_SEVERITIES[rule.severity]})"),
                                                  *RULE_SEVERITIES.items()],
                                         error_messages={"invalid_choice": "Gravité inconnue."})
            severity.widget.attrs["class"] = "fr-select"
            self.fields[f"rule_{rule.code}_enabled"] = enabled
            self.fields[f"rule_{rule.code}_severity"] = severity
            if not self.is_bound:
                setting = (call.rule_settings if call else {}).get(rule.code, {})
                self.initial[f"rule_{rule.code}_enabled"] = setting.get("enabled", rule.enabled_by_default)
                self.initial[f"rule_{rule.code}_severity"] = setting.get("severity") or ""

    def rule_rows(self):
        """For the rules table: each rule with its two bound fields."""
        return [{"rule": rule, "default": RULE_SEVERITIES[rule.severity], "enabled": self[f"rule_{rule.code}_enabled"],
                 "severity": self[f"rule_{rule.code}_severity"]} for rule in RULES]

    def clean(self):
        data = super().clean()
        for prefix in ("opens", "closes"):
            day, at = data.get(f"{prefix}_on"), data.get(f"{prefix}_time")
            if day and at:
                try:
                    data[f"{prefix}_at"] = paris_datetime(day, at)
                except forms.ValidationError as exc:
                    self.add_error(f"{prefix}_time", exc)
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_on", "La clôture doit être postérieure à l'ouverture.")
        return data

    def rule_settings(self) -> dict:
        """Only what differs from the rules engine's defaults is stored."""
        settings = {}
        for rule in RULES:
            enabled = self.cleaned_data[f"rule_{rule.code}_enabled"]
            severity = self.cleaned_data[f"rule_{rule.code}_severity"] or None
            if enabled != rule.enabled_by_default or severity is not None:
                settings[rule.code] = {"enabled": enabled, "severity": severity}
        return settings

    def call_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "framework_version": data["framework_version"], "slug": data["slug"], "title": data["title"].strip(),
            "year": data["year"], "opens_at": data["opens_at"], "closes_at": data["closes_at"],
            "description": data["description"].strip(), "required_documents": list(data["required_documents"]),
            "rule_settings": self.rule_settings(),
            "min_qpv_share": data["min_qpv_share"] / HUNDRED, "max_public_share": data["max_public_share"] / HUNDRED,
            "weak_match_threshold": data["weak_match_threshold"], "max_total_budget": data["max_total_budget"],
        }


def call_initial(call: Call) -> dict:
    opens, closes = timezone.localtime(call.opens_at), timezone.localtime(call.closes_at)
    return {
        "framework_version": call.framework_version_id, "title": call.title, "slug": call.slug, "year": call.year,
        "opens_on": opens.date(), "opens_time": opens.time(), "closes_on": closes.date(), "closes_time": closes.time(),
        "description": call.description, "required_documents": list(call.required_documents),
        "neighbourhoods": list(call.neighbourhoods.values_list("pk", flat=True)),
        "min_qpv_share": (call.min_qpv_share * HUNDRED).normalize(),
        "max_public_share": (call.max_public_share * HUNDRED).normalize(),
        "weak_match_threshold": call.weak_match_threshold.normalize(),
        "max_total_budget": call.max_total_budget.normalize(),
    }


class FunderLineForm(DsfrMixin, forms.Form):
    """One row of the funders table: the funder (added to the contract when new) and its envelope."""

    kind = forms.ChoiceField(label="Type de financeur", choices=[("", "Choisir un type")] + list(FUNDER_KINDS.items()),
                             error_messages={"required": "Choisissez le type de financeur.",
                                             "invalid_choice": "Type de financeur inconnu."})
    name = forms.CharField(label="Nom du financeur", max_length=300,
                           error_messages={"required": "Indiquez le nom du financeur."})
    siret = forms.CharField(label="SIRET", max_length=30, validators=[validate_siret],
                            error_messages={"required": "Indiquez le numéro SIRET (14 chiffres)."})
    envelope = FrenchDecimalField(label="Enveloppe (€)", min_value=0, max_digits=12, decimal_places=2,
                                  error_messages={"required": "Indiquez l'enveloppe (0 si elle n'est pas connue).",
                                                  "min_value": "L'enveloppe ne peut pas être négative.",
                                                  "invalid": "Indiquez un montant en euros.",
                                                  "max_decimal_places": "Au plus deux chiffres après la virgule."})

    def clean_siret(self):
        return compact_siret(self.cleaned_data["siret"])


class BaseFunderFormSet(forms.BaseFormSet):
    def _kept(self, index: int, form) -> bool:
        """A row counts when it was already there (initial) or has been filled, and is not marked for removal."""
        filled = index < self.initial_form_count() or form.has_changed()
        return filled and not self._should_delete_form(form) and bool(getattr(form, "cleaned_data", None))

    def clean(self):
        super().clean()
        seen = set()
        for index, form in enumerate(self.forms):
            if not self._kept(index, form):
                continue
            key = (form.cleaned_data.get("kind"), form.cleaned_data.get("siret"))
            if None not in key and key in seen:
                form.add_error("siret", "Ce financeur figure déjà dans le tableau.")
            seen.add(key)

    def lines(self) -> list[tuple[int, FunderLine]]:
        """The filled rows that are not deleted, each with its index in the formset."""
        return [(i, FunderLine(kind=f.cleaned_data["kind"], name=f.cleaned_data["name"].strip(),
                               siret=f.cleaned_data["siret"], envelope=f.cleaned_data["envelope"]))
                for i, f in enumerate(self.forms) if self._kept(i, f)]


FunderFormSet = forms.formset_factory(FunderLineForm, formset=BaseFunderFormSet, extra=2, can_delete=True,
                                      max_num=30, validate_max=True)


def funder_formset(*, data=None, call: Call | None = None) -> BaseFunderFormSet:
    initial = None
    if call is not None:
        initial = [{"kind": cf.funder.kind, "name": cf.funder.name, "siret": cf.funder.siret,
                    "envelope": cf.envelope} for cf in call.call_funders.select_related("funder")]
    formset = FunderFormSet(data=data, initial=initial, prefix="funders")
    for number, form in enumerate(formset.forms, start=1):
        form.fields["kind"].label = f"Type du financeur, ligne {number}"
        form.fields["name"].label = f"Nom du financeur, ligne {number}"
        form.fields["siret"].label = f"SIRET du financeur, ligne {number}"
        form.fields["envelope"].label = f"Enveloppe en euros, ligne {number}"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = f"Retirer la ligne {number}"
    return formset


class ExtendForm(DsfrMixin, forms.Form):
    """Push back the deadline of an open call."""

    closes_on = _date_field("Nouvelle date de clôture")
    closes_time = _time_field("Nouvelle heure de clôture")

    def clean(self):
        data = super().clean()
        if data.get("closes_on") and data.get("closes_time"):
            try:
                data["closes_at"] = paris_datetime(data["closes_on"], data["closes_time"])
            except forms.ValidationError as exc:
                self.add_error("closes_time", exc)
        return data


class TransitionForm(DsfrMixin, forms.Form):
    """Confirm opening or closing a call, with an optional reason kept in its history."""

    why = forms.CharField(label="Motif (facultatif)", required=False, max_length=300,
                          help_text="Conservé dans l'historique de l'appel.")
