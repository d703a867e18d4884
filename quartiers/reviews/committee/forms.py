"""Forms of the committee pages: a session, and one funder's decision on one application."""

from __future__ import annotations

from django import forms

from quartiers.reviews.committee.validation import decision_errors, parse_amount
from quartiers.reviews.models import CommitteeSession, Outcome, PaymentTerms


class SessionForm(forms.ModelForm):
    class Meta:
        model = CommitteeSession
        fields = ["title", "date", "place"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "fr-input"}),
            "date": forms.DateInput(attrs={"class": "fr-input", "type": "date"}, format="%Y-%m-%d"),
            "place": forms.TextInput(attrs={"class": "fr-input"}),
        }
        labels = {"title": "Intitulé de la séance", "date": "Date de la séance", "place": "Lieu"}
        error_messages = {
            "title": {"required": "Intitulé de la séance : ce champ est obligatoire."},
            "date": {"required": "Date de la séance : ce champ est obligatoire.",
                     "invalid": "Date de la séance : écrivez une date, par exemple 2027-02-15."},
        }


def _date_field(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required,
                           widget=forms.DateInput(attrs={"class": "fr-input", "type": "date"}, format="%Y-%m-%d"),
                           error_messages={"invalid": f"{label} : écrivez une date, par exemple 2027-02-15.",
                                           "required": f"{label} : ce champ est obligatoire."})


class DecisionForm(forms.Form):
    """One funder's decision; prefixed ``d<application>-<funder>`` so every form of the page has its own ids."""

    outcome = forms.ChoiceField(label="Décision", choices=Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Décision : choisissez « accordée » ou « refusée »."})
    amount = forms.CharField(label="Montant accordé (€)", required=False,
                             widget=forms.TextInput(attrs={"class": "fr-input", "inputmode": "decimal"}))
    conditions = forms.CharField(label="Conditions", required=False,
                                 widget=forms.Textarea(attrs={"class": "fr-input", "rows": 2}))
    reason = forms.CharField(label="Motif du refus", required=False,
                             widget=forms.Textarea(attrs={"class": "fr-input", "rows": 2}))
    decided_on = _date_field("Date de la décision")
    reference = forms.CharField(label="Référence de l'acte (délibération, arrêté)", required=False, max_length=100,
                                widget=forms.TextInput(attrs={"class": "fr-input"}))
    payment_terms = forms.ChoiceField(label="Conditions de versement", choices=PaymentTerms.choices,
                                      initial=PaymentTerms.SINGLE,
                                      widget=forms.Select(attrs={"class": "fr-select"}))
    payment_dates = forms.CharField(label="Dates ou période de versement", required=False, max_length=21,
                                    help_text="AAAA-MM-JJ ou AAAA-MM-JJ/AAAA-MM-JJ",
                                    widget=forms.TextInput(attrs={"class": "fr-input"}),
                                    error_messages={"max_length": "Dates de versement : 21 caractères au plus "
                                                                  "(AAAA-MM-JJ/AAAA-MM-JJ)."})
    convention_date = _date_field("Date de la convention")

    def clean(self):
        data = super().clean()
        errors = decision_errors(outcome=data.get("outcome", ""), amount=data.get("amount"),
                                 reason=data.get("reason", ""),
                                 payment_terms=data.get("payment_terms", PaymentTerms.SINGLE),
                                 payment_dates=data.get("payment_dates", ""))
        for name, message in errors.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        if "amount" not in self.errors and data.get("outcome") == Outcome.GRANTED:
            data["amount"] = parse_amount(data.get("amount"))
        return data

    @classmethod
    def initial_for(cls, decision, session) -> dict:
        if decision is None:
            return {"decided_on": session.date, "payment_terms": PaymentTerms.SINGLE}
        return {"outcome": decision.outcome,
                "amount": f"{decision.amount:f}".replace(".", ",") if decision.outcome == Outcome.GRANTED else "",
                "conditions": decision.conditions, "reason": decision.reason, "decided_on": decision.decided_on,
                "reference": decision.reference, "payment_terms": decision.payment_terms,
                "payment_dates": decision.payment_dates, "convention_date": decision.convention_date}
