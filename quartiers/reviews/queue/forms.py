"""Forms of the queue pages: the filters (read from the query string), the CSV columns and the saved views. Every message names its field, in French."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import transaction
from django.http import QueryDict

from quartiers.reviews.models import SavedView
from quartiers.reviews.queue.selectors import (
    DEFAULT_SORT,
    FINDINGS_FILTERS,
    RENEWAL_FILTERS,
    SORTS,
    STATUS_ORDER,
    QueueChoices,
    QueueFilters,
)

ANY = [("", "Tous")]


AMOUNT_LIMIT = Decimal("1e12")


class FrenchAmountField(forms.CharField):
    """An amount typed the French way: « 5 000 », « 1 250,50 », « 1250.5 »."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, required=False, max_length=20, **kwargs)

    def clean(self, value):
        text = re.sub(r"[\s\u00a0\u202f€]", "", super().clean(value) or "").replace(",", ".")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(f"{self.label} : saisissez un nombre en euros, par exemple 5 000 ou "
                                        "1 250,50.") from None
        if not amount.is_finite() or amount < 0:
            raise forms.ValidationError(f"{self.label} : saisissez un montant positif.")
        if amount >= AMOUNT_LIMIT:  # beyond any column's range (PostgreSQL's numeric(14, 2) would refuse it)
            raise forms.ValidationError(f"{self.label} : au plus 999 999 999 999 €.")
        return amount


class QueueFilterForm(forms.Form):
    """The queue's filters, as GET parameters (French names: they show in the address and the saved views)."""

    q = forms.CharField(label="Recherche (intitulé, numéro de dossier, structure)", required=False, max_length=200)
    quartier = forms.ChoiceField(label="Quartier", required=False)
    theme = forms.ChoiceField(label="Thème", required=False)
    objectif = forms.ChoiceField(label="Objectif", required=False)
    statut = forms.ChoiceField(label="Statut", required=False)
    financeur = forms.TypedChoiceField(label="Financeur sollicité", required=False, coerce=int, empty_value=None)
    constats = forms.ChoiceField(label="Constats des vérifications", required=False,
                                 choices=ANY + list(FINDINGS_FILTERS.items()))
    type = forms.ChoiceField(label="Nouvelle action ou renouvellement", required=False,
                             choices=[("", "Toutes")] + list(RENEWAL_FILTERS.items()))
    montant_min = FrenchAmountField(label="Montant demandé minimum (€)")
    montant_max = FrenchAmountField(label="Montant demandé maximum (€)")
    tri = forms.ChoiceField(label="Trier par", required=False, choices=[(k, v[0]) for k, v in SORTS.items()])
    ordre = forms.ChoiceField(label="Ordre", required=False,
                              choices=[("asc", "croissant"), ("desc", "décroissant")])

    # what a saved view keeps (never the page number)
    KEPT = ("q", "quartier", "theme", "objectif", "statut", "financeur", "constats", "type", "montant_min",
            "montant_max", "tri", "ordre")

    def __init__(self, data, *, choices: QueueChoices):
        super().__init__(data=data)
        self.choices = choices
        self.fields["quartier"].choices = ANY + choices.neighbourhoods
        self.fields["theme"].choices = ANY + choices.themes
        self.fields["objectif"].choices = ANY + choices.objectives
        self.fields["statut"].choices = ANY + [(s.value, s.label) for s in STATUS_ORDER]
        self.fields["financeur"].choices = ANY + [(f.pk, f.name) for f in choices.funders]

    def clean(self):
        data = super().clean()
        low, high = data.get("montant_min"), data.get("montant_max")
        if low is not None and high is not None and low > high:
            self.add_error("montant_max", "Montant demandé maximum : il doit être supérieur ou égal au minimum.")
        return data

    def filters(self) -> QueueFilters:
        """The valid filters; a field in error is left out (the page says which and why)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        d = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        funders = {f.pk: f for f in self.choices.funders}
        return QueueFilters(
            neighbourhood=d.get("quartier") or "", theme=d.get("theme") or "", objective=d.get("objectif") or "",
            status=d.get("statut") or "", funder=funders.get(d.get("financeur")), findings=d.get("constats") or "",
            renewal=d.get("type") or "", amount_min=d.get("montant_min"), amount_max=d.get("montant_max"),
            text=(d.get("q") or "").strip(), sort=d.get("tri") or DEFAULT_SORT, descending=d.get("ordre") == "desc",
        )

    def error_messages(self) -> list[str]:
        """One sentence per field in error, naming the field."""
        out = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for e in errors:
                out.append(e if label and e.startswith(label) else f"{label} : {e}" if label else e)
        return out

    def query_string(self, *, without: tuple[str, ...] = ()) -> str:
        """The filters as typed, in a stable order (for links, the CSV and saved views)."""
        q = QueryDict(mutable=True)
        for name in self.KEPT:
            value = (self.data.get(name) or "").strip()
            if value and name not in without:
                q[name] = value
        return q.urlencode()


def kept_query(query: str) -> str:
    """A query string reduced to the filters a saved view keeps."""
    source = QueryDict(query)
    q = QueryDict(mutable=True)
    for name in QueueFilterForm.KEPT:
        value = (source.get(name) or "").strip()
        if value:
            q[name] = value
    return q.urlencode()


def csv_columns(funders) -> list[tuple[str, str]]:
    """(key, French header) of every column the export offers, in the order of the file."""
    cols = [
        ("reference", "Numéro de dossier"),
        ("organisation", "Structure"),
        ("siret", "SIRET"),
        ("title", "Intitulé de l'action"),
        ("neighbourhoods", "Quartiers"),
        ("status", "Statut"),
        ("renewal", "Nouvelle action ou renouvellement"),
        ("submitted_at", "Déposée le"),
        ("total_budget", "Budget total (€)"),
        ("requested_total", "Montant demandé (€)"),
    ]
    cols += [(f"funder_{f.pk}", f"Demandé à {f.name} (€)") for f in funders]
    cols += [
        ("findings_blocking", "Constats bloquants"),
        ("findings_warnings", "Constats à vérifier"),
        ("objective", "Objectif confirmé"),
        ("theme", "Thème de l'objectif confirmé"),
        ("opinions", "Avis rendus"),
        ("proposed_total", "Total proposé par les financeurs (€)"),
    ]
    return cols


DEFAULT_CSV_COLUMNS = ("reference", "organisation", "title", "neighbourhoods", "status", "requested_total",
                       "objective")


class CsvColumnsForm(forms.Form):
    colonnes = forms.MultipleChoiceField(label="Colonnes du fichier", widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": "Colonnes du fichier : cochez au moins une "
                                                                     "colonne.",
                                                         "invalid_choice": "Colonnes du fichier : la colonne "
                                                                           "« %(value)s » n'existe pas."})

    def __init__(self, data=None, *, funders, **kwargs):
        super().__init__(data=data, **kwargs)
        self.fields["colonnes"].choices = csv_columns(funders)
        self.fields["colonnes"].initial = list(DEFAULT_CSV_COLUMNS)


class SavedViewForm(forms.Form):
    name = forms.CharField(label="Nom de la vue", max_length=100,
                           error_messages={"required": "Nom de la vue : donnez un nom à cette vue.",
                                           "max_length": "Nom de la vue : 100 caractères au plus."})
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput,
                            error_messages={"max_length": "Filtres : trop longs pour être enregistrés."})

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Nom de la vue : donnez un nom à cette vue.")
        return name

    def clean_query(self):
        return kept_query(self.cleaned_data.get("query") or "")

    @transaction.atomic
    def save(self, *, user, call) -> tuple[SavedView, bool]:
        """Keep the filters under this name; a view of the same name is replaced. (view, created)"""
        return SavedView.objects.update_or_create(user=user, call=call, name=self.cleaned_data["name"],
                                                  defaults={"query": self.cleaned_data["query"]})
