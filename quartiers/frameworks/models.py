"""Versions of a contract's framework: neighbourhood sections → themes → objectives → constraints.

A version is imported from an annex (kept byte for byte, with its checksum), reviewed and corrected as a draft,
then published. Publishing a new version archives the previous published one, which stays readable.
"""

from django.conf import settings
from django.db import models

from quartiers.engine.framework import CANONICAL_THEMES, CONSTRAINT_TAGS, WARNING_KINDS
from quartiers.territories.models import Contract, Neighbourhood


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publiée"
    ARCHIVED = "archived", "Archivée"


# The one table of allowed moves between statuses.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    VersionStatus.DRAFT: {VersionStatus.PUBLISHED},
    VersionStatus.PUBLISHED: {VersionStatus.ARCHIVED},
    VersionStatus.ARCHIVED: set(),
}


class FrameworkVersionQuerySet(models.QuerySet):
    def published(self) -> "FrameworkVersionQuerySet":
        return self.filter(status=VersionStatus.PUBLISHED)

    def of_contract(self, contract: Contract) -> "FrameworkVersionQuerySet":
        return self.filter(contract=contract)


class FrameworkVersion(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="framework_versions",
                                 verbose_name="contrat")
    number = models.PositiveIntegerField("numéro de version")
    status = models.CharField("statut", max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    title = models.CharField("titre", max_length=300, blank=True)
    source_name = models.CharField("fichier source", max_length=255)
    source_file = models.BinaryField("contenu du fichier source", editable=False)
    source_text = models.TextField("texte extrait", blank=True,
                                   help_text="Le texte lu dans le document, ligne par ligne (pour citer les lignes).")
    checksum = models.CharField("empreinte SHA-256", max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="importé par")
    imported_at = models.DateTimeField("importé le", auto_now_add=True)
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    notes = models.TextField("notes", blank=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "-number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="framework_version_unique_number")]
        verbose_name = "version du référentiel"
        verbose_name_plural = "versions du référentiel"

    def __str__(self) -> str:
        return f"{self.contract} — version {self.number} ({self.get_status_display()})"


class FrameworkTransition(models.Model):
    """Every change of status of a version: who, when, from, to, why."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=VersionStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=VersionStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    why = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.version} : {self.from_status or '—'} → {self.to_status}"


class SourceLinesMixin(models.Model):
    first_line = models.PositiveIntegerField("première ligne", null=True, blank=True)
    last_line = models.PositiveIntegerField("dernière ligne", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def source_lines(self) -> str:
        if not self.first_line:
            return ""
        if self.last_line and self.last_line != self.first_line:
            return f"lignes {self.first_line} à {self.last_line}"
        return f"ligne {self.first_line}"


class NeighbourhoodSection(SourceLinesMixin):
    """The project of one neighbourhood inside a version (one section of the annex)."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="sections")
    neighbourhood = models.ForeignKey(Neighbourhood, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="sections", verbose_name="quartier prioritaire")
    name = models.CharField("nom", max_length=300)
    heading = models.TextField("intitulé dans l'annexe", blank=True)
    commune = models.CharField("commune", max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = "projet de quartier"
        verbose_name_plural = "projets de quartier"

    def __str__(self) -> str:
        return self.name


class Theme(SourceLinesMixin):
    section = models.ForeignKey(NeighbourhoodSection, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField("intitulé", max_length=500)
    canonical_theme = models.CharField("thème de référence", max_length=20,
                                       choices=list(CANONICAL_THEMES.items()), default="other")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["section", "position", "pk"]
        verbose_name = "thème"

    def __str__(self) -> str:
        return self.title


class Objective(SourceLinesMixin):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField("texte")
    label = models.TextField("intitulé court")
    action_types = models.JSONField("types d'action", default=list, blank=True)
    key = models.CharField("clé de contenu", max_length=12, db_index=True,
                           help_text="Empreinte du texte : stable d'une version à l'autre si le texte ne change pas.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["theme", "position", "pk"]
        verbose_name = "objectif"

    def __str__(self) -> str:
        return self.label


class Constraint(SourceLinesMixin):
    """A condition attached to a theme (objective is null) or to one objective."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="constraints")
    objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="constraints")
    tag = models.CharField("type", max_length=24, choices=list(CONSTRAINT_TAGS.items()), default="other")
    text = models.TextField("texte")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["theme", "position", "pk"]
        verbose_name = "contrainte"

    def __str__(self) -> str:
        return f"{self.get_tag_display()} — {self.text[:60]}"


class ImportNote(models.Model):
    """A warning raised by the importer (damaged text, orphan lines…), kept with the version for review."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="import_notes")
    line = models.PositiveIntegerField("ligne", default=0)
    kind = models.CharField("type", max_length=24, choices=list(WARNING_KINDS.items()))
    message = models.TextField("message")
    text = models.TextField("texte concerné", blank=True)
    resolved = models.BooleanField("traité", default=False)

    class Meta:
        ordering = ["version", "line", "pk"]
        verbose_name = "avertissement d'import"

    def __str__(self) -> str:
        return f"Ligne {self.line} : {self.message}"
