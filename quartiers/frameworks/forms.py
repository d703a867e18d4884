"""Forms of the staff pages: import an annex, correct a draft version, compare two versions."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from quartiers.engine.framework import CANONICAL_THEMES, CONSTRAINT_TAGS
from quartiers.engine.importer import ACCEPTED_EXTENSIONS
from quartiers.frameworks.models import FrameworkVersion, Theme
from quartiers.territories.models import Contract, Neighbourhood

ANNEX_EXTENSIONS = ACCEPTED_EXTENSIONS


class DsfrMixin:
    """Give every widget the DSFR class it needs and tie each error message to its field for screen readers.

    Labels, hints and errors are laid out by ``frameworks/staff/_field.html``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "fr-select")
            elif isinstance(widget, forms.FileInput):
                widget.attrs.setdefault("class", "fr-upload")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "fr-input")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}-erreur"


class AnnexUploadForm(DsfrMixin, forms.Form):
    contract = forms.ModelChoiceField(label="Contrat de ville", queryset=Contract.objects.order_by("name"),
                                      empty_label="Choisir un contrat",
                                      error_messages={"required": "Choisissez le contrat de ville.",
                                                      "invalid_choice": "Choisissez un contrat de la liste."})
    annex = forms.FileField(
        label="Annexe des projets de quartier",
        error_messages={"required": "Choisissez le fichier de l'annexe.", "empty": "Le fichier est vide.",
                        "invalid": "Le fichier n'a pas pu être lu."},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ANNEX_EXTENSIONS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annex"].help_text = (
            f"Formats acceptés : .txt, .md, .docx, .pdf, .odt. Taille maximale : {filesizeformat(settings.ANNEX_MAX_BYTES)}."
        )

    def clean_annex(self):
        annex = self.cleaned_data["annex"]
        if Path(annex.name).suffix.lower() not in ANNEX_EXTENSIONS:
            raise forms.ValidationError(
                "Ce format de fichier n'est pas pris en charge : choisissez un fichier .txt, .md, .docx, .pdf ou .odt."
            )
        if annex.size > settings.ANNEX_MAX_BYTES:
            raise forms.ValidationError(
                f"Le fichier est trop volumineux ({filesizeformat(annex.size)}) : la taille maximale est de "
                f"{filesizeformat(settings.ANNEX_MAX_BYTES)}."
            )
        return annex


class ObjectiveTextForm(DsfrMixin, forms.Form):
    text = forms.CharField(label="Texte de l'objectif", widget=forms.Textarea(attrs={"rows": 5}),
                           help_text="L'intitulé court (avant les deux-points) et les types d'action (après, séparés "
                                     "par des points-virgules) sont déduits du texte.",
                           error_messages={"required": "Le texte ne peut pas être vide."})


class ObjectiveSplitForm(DsfrMixin, forms.Form):
    second_start = forms.CharField(
        label="Début du second objectif",
        help_text="Recopiez les premiers mots du second objectif, tels qu'ils figurent dans le texte : "
                  "l'objectif est coupé juste avant eux.",
        error_messages={"required": "Indiquez les premiers mots du second objectif."},
    )

    def __init__(self, *args, text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.text = text

    def clean_second_start(self):
        start = " ".join(self.cleaned_data["second_start"].split())
        at = self.text.find(start)
        if at <= 0:
            raise forms.ValidationError(
                "Ces mots ne se trouvent pas dans le texte de l'objectif après son début : recopiez-les exactement."
            )
        self.cleaned_data["at"] = at
        return start


class ObjectiveMoveForm(DsfrMixin, forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Monter"), ("down", "Descendre")], required=False,
                                  widget=forms.HiddenInput)
    theme = forms.ModelChoiceField(label="Déplacer vers le thème", queryset=Theme.objects.none(), required=False,
                                   empty_label="Choisir un thème")

    def __init__(self, *args, version: FrameworkVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(section__version=version).select_related("section")
        self.fields["theme"].label_from_instance = lambda t: f"{t.section.name} — {t.title}"

    def clean(self):
        data = super().clean()
        if not data.get("direction") and not data.get("theme"):
            raise forms.ValidationError("Choisissez un thème, ou monter ou descendre l'objectif.")
        return data


class ObjectiveConstraintForm(DsfrMixin, forms.Form):
    tag = forms.ChoiceField(label="Type de condition", choices=list(CONSTRAINT_TAGS.items()), initial="other")


class ThemeForm(DsfrMixin, forms.Form):
    title = forms.CharField(label="Intitulé du thème", max_length=500,
                            error_messages={"required": "L'intitulé ne peut pas être vide."})
    canonical_theme = forms.ChoiceField(label="Thème de référence", choices=list(CANONICAL_THEMES.items()))


class SectionAttachForm(DsfrMixin, forms.Form):
    neighbourhood = forms.ModelChoiceField(label="Quartier prioritaire officiel", queryset=Neighbourhood.objects.none(),
                                           required=False, empty_label="Aucun (à rattacher)")

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(contract=contract).order_by("code")


class CompareForm(DsfrMixin, forms.Form):
    de = forms.ModelChoiceField(label="Version de départ", queryset=FrameworkVersion.objects.none(),
                                to_field_name="number", empty_label=None)
    a = forms.ModelChoiceField(label="Version d'arrivée", queryset=FrameworkVersion.objects.none(),
                               to_field_name="number", empty_label=None)

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        versions = FrameworkVersion.objects.filter(contract=contract).order_by("-number")
        for name in ("de", "a"):
            self.fields[name].queryset = versions
            self.fields[name].label_from_instance = lambda v: f"Version {v.number} ({v.get_status_display().lower()})"
