"""Contracts, priority neighbourhoods (official QPV 2024 codes) and communes (INSEE codes)."""

from django.db import models


class CommuneQuerySet(models.QuerySet):
    def in_department(self, code: str) -> "CommuneQuerySet":
        return self.filter(department=code)


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=200)
    department = models.CharField("département", max_length=3, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "commune"

    def __str__(self) -> str:
        return f"{self.name} ({self.insee_code})"


class ContractQuerySet(models.QuerySet):
    pass


class Contract(models.Model):
    """A contrat de ville « Engagements Quartiers 2030 »."""

    slug = models.SlugField("identifiant court", max_length=80, unique=True)
    name = models.CharField("nom", max_length=300)
    code = models.CharField("code ANCT", max_length=12, blank=True, help_text="Par exemple CN03001I.")
    lead_name = models.CharField("porteur du contrat", max_length=300, blank=True)
    lead_siren = models.CharField("SIREN du porteur", max_length=9, blank=True)
    department = models.CharField("département", max_length=3, blank=True)
    description = models.TextField("présentation", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "contrat de ville"
        verbose_name_plural = "contrats de ville"

    def __str__(self) -> str:
        return self.name


class NeighbourhoodQuerySet(models.QuerySet):
    def of_contract(self, contract: Contract) -> "NeighbourhoodQuerySet":
        return self.filter(contract=contract)


class Neighbourhood(models.Model):
    """A quartier prioritaire de la politique de la ville, with its official 2024 code."""

    code = models.CharField("code QPV", max_length=8, unique=True, help_text="Code officiel 2024, par exemple QN03001I.")
    name = models.CharField("nom officiel", max_length=300)
    short_name = models.CharField("nom court", max_length=120, blank=True)
    communes = models.ManyToManyField(Commune, related_name="neighbourhoods", verbose_name="communes")
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="neighbourhoods", verbose_name="contrat"
    )
    department = models.CharField("département", max_length=3, blank=True)

    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "quartier prioritaire"
        verbose_name_plural = "quartiers prioritaires"

    def __str__(self) -> str:
        return f"{self.display_name} ({self.code})"

    @property
    def display_name(self) -> str:
        return self.short_name or self.name
