"""Forms of the organisations and applications pages (labels and errors in French)."""

from django import forms
from django.core.exceptions import ValidationError

from quartiers.applications.models import Organisation, Role
from quartiers.applications.validators import (
    normalise_siret,
    validate_postcode,
    validate_rna,
    validate_siret,
    validate_upload,
)
from quartiers.engine.rules.model import DOCUMENT_TYPES


class OrganisationForm(forms.ModelForm):
    siret = forms.CharField(label="Numéro SIRET", max_length=30)  # spaces allowed while typing

    class Meta:
        model = Organisation
        fields = ["legal_name", "acronym", "siret", "rna", "legal_form", "street", "postcode", "commune",
                  "representative_name", "representative_role", "representative_email", "representative_phone"]
        help_texts = {
            "siret": "14 chiffres, sur l'avis de situation Sirene (par exemple 813 245 676 00017).",
            "rna": "W suivi de 9 chiffres, sur le récépissé de déclaration en préfecture ; en Alsace-Moselle, "
                   "le numéro d'inscription au registre du tribunal.",
        }

    def clean_siret(self):
        value = normalise_siret(self.cleaned_data.get("siret", ""))
        validate_siret(value)
        if Organisation.objects.filter(siret=value).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Une structure avec ce numéro SIRET existe déjà sur Quartiers : demandez à son "
                                  "administrateur de vous inviter.")
        return value

    def clean_postcode(self):
        value = (self.cleaned_data.get("postcode") or "").strip()
        validate_postcode(value)
        return value

    def clean(self):
        cleaned = super().clean()
        rna = (cleaned.get("rna") or "").strip().upper().replace(" ", "")
        try:
            validate_rna(rna, cleaned.get("legal_form") or "association")
        except ValidationError as exc:
            self.add_error("rna", exc)
        else:
            cleaned["rna"] = rna
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique de la personne à inviter")
    role = forms.ChoiceField(label="Rôle", choices=Role.choices, initial=Role.EDITOR,
                             help_text="Rédacteur : remplit les demandes. Signataire : atteste le contrat "
                                       "d'engagement républicain et dépose. Administrateur : gère aussi les membres.")


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label="Type de pièce", choices=list(DOCUMENT_TYPES.items()))
    file = forms.FileField(label="Fichier", help_text="PDF, ODT, DOCX, JPG ou PNG, 10 Mo au plus.")

    def __init__(self, *args, doc_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        if doc_types is not None:
            self.fields["doc_type"].choices = [(t, DOCUMENT_TYPES.get(t, t)) for t in doc_types]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.kind = validate_upload(uploaded)
        return uploaded


class NewApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Structure qui dépose la demande", queryset=Organisation.objects.none(),
                                          empty_label=None)
    call = forms.ModelChoiceField(label="Appel à projets", queryset=None, empty_label=None)

    def __init__(self, *args, organisations, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["call"].queryset = calls


class ImportForm(NewApplicationForm):
    file = forms.FileField(label="Fichier JSON d'une demande",
                           help_text="Un fichier exporté depuis Quartiers (format docs/schemas/application.schema.json).")
