"""Forms of the review of one application and of the call's scoring grid (labels and messages in French)."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.forms import modelformset_factory

from quartiers.reviews.models import AdvisoryStance, Opinion, ScoringCriterion


class DsfrMixin:
    """Give each widget the design system's class (inputs, selects, text areas); radios are drawn by the template."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self):
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, (forms.RadioSelect, forms.HiddenInput)):
                continue
            w.attrs.setdefault("class", "fr-select" if isinstance(w, forms.Select) else "fr-input")


VERDICTS = [("admissible", "Recevable"), ("inadmissible", "Irrecevable")]


class AdmissibilityForm(DsfrMixin, forms.Form):
    verdict = forms.ChoiceField(label="Décision sur la recevabilité", choices=VERDICTS, widget=forms.RadioSelect,
                                error_messages={"required": "Recevabilité : choisissez recevable ou irrecevable."})
    reason = forms.CharField(label="Motif (obligatoire si irrecevable, communiqué au porteur)", required=False,
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("verdict") == "inadmissible" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Motif : indiquez pourquoi la demande est irrecevable.")
        return data


class ConfirmMatchForm(DsfrMixin, forms.Form):
    objective = forms.TypedChoiceField(label="Objectif", coerce=int, error_messages={
        "required": "Objectif : choisissez l'objectif que sert l'action.",
        "invalid_choice": "Objectif : choisissez un objectif du référentiel de cet appel à projets."})

    def __init__(self, *args, objectives=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for o in objectives:
            section = o.theme.section
            code = section.neighbourhood.code if section.neighbourhood_id else ""
            group = f"{section.name}{f' ({code})' if code else ''} — {o.theme.title}"
            groups.setdefault(group, []).append((o.pk, o.label or o.text[:120]))
        self.fields["objective"].choices = [("", "— Choisir un objectif —"), *groups.items()]
        self.fields["objective"].widget.attrs.update({"class": "fr-select", "required": True})


# A dot followed by exactly three digits: a thousands separator (4.500 = 4 500 €) or a decimal point (4,50 €)?
AMBIGUOUS_DOT = re.compile(r"\d+\.\d{3}")


class AssessmentForm(DsfrMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    opinion = forms.ChoiceField(label="Avis", required=False, choices=[("", "— Avis à donner —"), *Opinion.choices])
    proposed_amount = forms.DecimalField(
        label="Montant proposé (€)", required=False, min_value=Decimal(0), max_digits=12, decimal_places=2,
        localize=True,
        error_messages={"invalid": "Montant proposé : saisissez un montant en euros, par exemple 4 500 ou 4500,50.",
                        "min_value": "Montant proposé : le montant ne peut pas être négatif.",
                        "max_decimal_places": "Montant proposé : deux chiffres après la virgule au plus.",
                        "max_digits": "Montant proposé : le montant est trop grand.",
                        "max_whole_digits": "Montant proposé : le montant est trop grand."},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    comment = forms.CharField(label="Commentaire", required=False, max_length=10000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"score_{c.pk}"] = forms.TypedChoiceField(
                label=c.label, required=False, coerce=int, empty_value=None, help_text=c.help_text,
                choices=[("", "— non noté —"), *((i, f"{i} / {c.scale_max}") for i in range(c.scale_max + 1))],
                error_messages={"invalid_choice": f"Note « {c.label} » : choisissez une note entre 0 et "
                                                  f"{c.scale_max}."})
        self.style()

    def clean(self):
        data = super().clean()
        if data.get("opinion") == Opinion.FAVOURABLE_MODIFIED and data.get("proposed_amount") is None:
            self.add_error("proposed_amount", "Montant proposé : indiquez le montant pour un avis « favorable avec "
                                              "un montant modifié ».")
        return data

    def score_fields(self):
        return [self[f"score_{c.pk}"] for c in self.criteria]

    def scores(self) -> dict:
        return {str(c.pk): self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria
                if self.cleaned_data.get(f"score_{c.pk}") is not None}

    def full_clean(self):
        key = self.add_prefix("proposed_amount")
        ambiguous = None
        if self.data and key in self.data:  # « 4 500,00 € » as typed in French
            data = self.data.copy()
            typed = data[key]
            bare = re.sub(r"[\s\u202f\u00a0€]", "", typed)
            if AMBIGUOUS_DOT.fullmatch(bare):  # « 4.500 »: 4,50 € or 4 500 € ?
                ambiguous = (typed.strip(), bare.replace(".", ""))
            data[key] = ambiguous[1] if ambiguous else bare.replace(",", ".")  # refused below, without a 2nd error
            self.data = data
        super().full_clean()
        if ambiguous:
            typed, digits = ambiguous
            grouped = f"{int(digits):,}".replace(",", " ")
            self.add_error("proposed_amount", f"Montant proposé : « {typed} » est ambigu ; écrivez {grouped} ou "
                                              f"{digits},00.")


def assessment_initial(assessment, criteria) -> dict:
    if assessment is None:
        return {"version": 0}
    initial = {"version": assessment.version, "opinion": assessment.opinion,
               "proposed_amount": assessment.proposed_amount, "comment": assessment.comment}
    for c in criteria:
        if str(c.pk) in (assessment.scores or {}):
            initial[f"score_{c.pk}"] = assessment.scores[str(c.pk)]
    return initial


class ConflictForm(DsfrMixin, forms.Form):
    reason = forms.CharField(label="Nature du lien (facultatif)", required=False, max_length=300)


class InfoRequestForm(DsfrMixin, forms.Form):
    question = forms.CharField(label="Question au porteur de projet", max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": "Question : écrivez ce que vous demandez au porteur."})


class InfoAnswerForm(DsfrMixin, forms.Form):
    answer = forms.CharField(label="Votre réponse", max_length=20000, widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Réponse : écrivez votre réponse avant de l'envoyer."})


class AdviceForm(DsfrMixin, forms.Form):
    stance = forms.ChoiceField(label="Avis du conseil citoyen", choices=AdvisoryStance.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Avis : choisissez soutien, réserves ou opposition."})
    comment = forms.CharField(label="Commentaire", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "Commentaire : expliquez votre avis en quelques mots."})


class CriterionForm(DsfrMixin, forms.ModelForm):
    class Meta:
        model = ScoringCriterion
        fields = ["label", "help_text", "weight", "scale_max", "position"]
        localized_fields = ["weight"]  # « 1,5 » as typed in French
        widgets = {"help_text": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "label": {"required": "Critère : donnez un intitulé au critère."},
            "weight": {"invalid": "Poids : saisissez un nombre, par exemple 1 ou 1,5.",
                       "min_value": "Poids : au moins 0,01."},
            "scale_max": {"invalid": "Note maximale : un nombre entier entre 1 et 20.",
                          "min_value": "Note maximale : au moins 1.", "max_value": "Note maximale : 20 au plus."},
        }


CriterionFormSet = modelformset_factory(ScoringCriterion, form=CriterionForm, extra=2, can_delete=True)
