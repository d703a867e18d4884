"""The form of the contract's members page."""

from __future__ import annotations

from django import forms

from quartiers.reviews.models import ContractRole


class MemberForm(forms.Form):
    """Add a person to the contract (e-mail of an existing account) or change their role."""

    email = forms.EmailField(label="Courriel du compte", max_length=254,
                             error_messages={"required": "Courriel du compte : saisissez l'adresse de la personne.",
                                             "invalid": "Courriel du compte : cette adresse n'est pas valide."})
    role = forms.ChoiceField(label="Rôle", choices=ContractRole.choices,
                             error_messages={"required": "Rôle : choisissez un rôle.",
                                             "invalid_choice": "Rôle : ce rôle n'existe pas."})
    # any number is accepted here: the service says when the funder belongs to another contract
    funder = forms.IntegerField(label="Financeur représenté", required=False, widget=forms.Select,
                                help_text="Obligatoire pour un représentant d'un financeur ; possible pour une "
                                          "instructrice ou un instructeur.",
                                error_messages={"invalid": "Financeur représenté : choisissez un financeur de la "
                                                           "liste."})

    def __init__(self, data=None, *, funders, with_email: bool = True, **kwargs):
        super().__init__(data=data, **kwargs)
        self.fields["funder"].widget.choices = [("", "Aucun")] + [(f.pk, f.name) for f in funders]
        if not with_email:
            del self.fields["email"]
