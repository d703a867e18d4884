"""Contracts, priority neighbourhoods (official QPV 2024 codes), communes (INSEE codes) and EPCI (SIREN).

Two kinds of contract: `ReferenceContract` is a row of the national list of the 2024 contrats de ville, loaded by
`quartiers load-reference`; `Contract` is a contract this instance runs (the tenant), created from the reference by
`quartiers contract-create CODE` (or in code by the demo) and linked to it by `Contract.reference`.
"""

from django.conf import settings
from django.db import models


class Epci(models.Model):
    """An EPCI à fiscalité propre (CC, CA, CU, métropole) or an établissement public territorial (EPT) of the Grand Paris."""

    siren = models.CharField("SIREN", max_length=9, unique=True)
    name = models.CharField("nom", max_length=200)
    nature = models.CharField("nature", max_length=8, blank=True, help_text="CC, CA, CU, METRO, MET69 ou EPT.")
    members_count = models.PositiveIntegerField("nombre de communes", default=0)
    population = models.PositiveIntegerField("population", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self) -> str:
        return f"{self.name} ({self.siren})"


class CommuneQuerySet(models.QuerySet):
    def in_department(self, code: str) -> "CommuneQuerySet":
        return self.filter(department=code)


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=200)
    department = models.CharField("département", max_length=3, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    kind = models.CharField("type", max_length=16, default="commune",
                            help_text="commune, arrondissement (Paris, Lyon, Marseille) ou deleguee (ancienne commune).")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="parts",
                               verbose_name="commune de rattachement")
    region = models.CharField("région", max_length=3, blank=True)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    postcodes = models.CharField("codes postaux", max_length=200, blank=True, help_text="Séparés par des espaces.")
    epci = models.ForeignKey(Epci, null=True, blank=True, on_delete=models.SET_NULL, related_name="communes",
                             verbose_name="EPCI")
    ept = models.ForeignKey(Epci, null=True, blank=True, on_delete=models.SET_NULL, related_name="ept_communes",
                            verbose_name="établissement public territorial")

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "commune"

    def __str__(self) -> str:
        return f"{self.name} ({self.insee_code})"


class ReferenceContract(models.Model):
    """A contrat de ville of the national 2024 list (ANCT), whether or not this instance runs it."""

    code = models.CharField("code ANCT", max_length=12, unique=True)
    name = models.CharField("nom", max_length=300, help_text="Sans le préfixe « 30 - » de la liste.")
    territory_codes = models.CharField("territoire", max_length=100, blank=True,
                                       help_text="SIREN de l'EPCI ou code INSEE de la commune (séparés par « ; »).")
    epci = models.ForeignKey(Epci, null=True, blank=True, on_delete=models.SET_NULL, related_name="reference_contracts",
                             verbose_name="EPCI")
    department = models.CharField("département", max_length=3, blank=True)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    population = models.PositiveIntegerField("population", null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "contrat de ville (référentiel)"
        verbose_name_plural = "contrats de ville (référentiel)"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


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
    reference = models.OneToOneField(ReferenceContract, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="tenant", verbose_name="contrat du référentiel national")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="créé par")

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
    reference_contract = models.ForeignKey(
        ReferenceContract, null=True, blank=True, on_delete=models.SET_NULL, related_name="neighbourhoods",
        verbose_name="contrat de ville (référentiel)",
        help_text="Le contrat dont le territoire couvre les communes du quartier, calculé par load-reference.",
    )
    reference_ambiguous = models.BooleanField("rattachement ambigu", default=False, editable=False,
                                              help_text="Ses communes relèvent de plusieurs contrats.")
    perimeter = models.JSONField("périmètre", null=True, blank=True, help_text="Géométrie GeoJSON (WGS 84).")
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)

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

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        """(min_lon, min_lat, max_lon, max_lat) of the perimeter, or None before load-reference."""
        if self.min_lon is None or self.min_lat is None or self.max_lon is None or self.max_lat is None:
            return None
        return (self.min_lon, self.min_lat, self.max_lon, self.max_lat)

    @property
    def contract_name(self) -> str:
        """The contract to show on the public page: the one this instance runs, else the national reference's."""
        if self.contract_id is not None and self.contract is not None:
            return self.contract.name
        if self.reference_contract_id is not None and self.reference_contract is not None:
            return self.reference_contract.name
        return ""


class PlaceWord(models.Model):
    """One folded word of a searchable place's name or code: the index behind territory_search.

    kind is "contract" (ReferenceContract.code), "commune" (Commune.insee_code) or "neighbourhood"
    (Neighbourhood.code). Rebuilt by load-reference and kept in step by neighbourhoods_load.
    """

    word = models.CharField(max_length=60, db_index=True)  # on PostgreSQL, also a varchar_pattern_ops index for LIKE
    kind = models.CharField(max_length=16)
    code = models.CharField(max_length=12)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["word", "kind", "code"], name="placeword_unique")]
        indexes = [models.Index(fields=["code", "kind"], name="placeword_code_kind")]  # not kind first: word leads
        verbose_name = "mot de recherche"

    def __str__(self) -> str:
        return f"{self.word} → {self.kind} {self.code}"
