"""The filters of the programme table and the threshold of the SCDL file."""

from decimal import Decimal, InvalidOperation

from django import forms

from quartiers.programme.selectors import STATUS_CHOICES


class ProgrammeFilterForm(forms.Form):
    financeur = forms.TypedChoiceField(label="Financeur", required=False, coerce=int, empty_value=None)
    statut = forms.ChoiceField(label="Statut de la demande", required=False,
                               choices=[("", "Tous les statuts"), *STATUS_CHOICES])

    def __init__(self, *args, funders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.funders = {f.pk: f for f in funders}
        self.fields["financeur"].choices = [("", "Tous les financeurs"), *((f.pk, f.name) for f in funders)]
        self.fields["financeur"].error_messages["invalid_choice"] = (
            "Financeur : choisissez un financeur de l'appel dans la liste.")
        self.fields["statut"].error_messages["invalid_choice"] = (
            "Statut de la demande : choisissez un statut dans la liste.")

    def filters(self) -> dict:
        """``{"funder": Funder | None, "status": str | None}`` of a valid form (no filter when invalid)."""
        if not self.is_valid():
            return {"funder": None, "status": None}
        return {"funder": self.funders.get(self.cleaned_data["financeur"]),
                "status": self.cleaned_data["statut"] or None}


THRESHOLD_ERROR = "Seuil : indiquez un montant en euros positif, par exemple 23000."


def parse_threshold(raw: str | None) -> Decimal | None:
    """« 23000 », « 23 000 » or « 23000,50 » → Decimal; empty → None; ValueError with a French message otherwise."""
    if raw is None or not str(raw).strip():
        return None
    text = str(raw).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    text = text.removesuffix("€")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(THRESHOLD_ERROR) from None
    if not value.is_finite() or value < 0:
        raise ValueError(THRESHOLD_ERROR)
    if value >= Decimal("1e12"):  # beyond any amount column (PostgreSQL's numeric(12, 2) would refuse it)
        raise ValueError("Seuil : au plus 999 999 999 999 €.")
    return value
