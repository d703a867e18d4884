"""What the rules read: a call, an organisation and an application, as frozen dataclasses.

The fields follow the Cerfa 12156*06 (DOMAIN.md §4) and the call's own settings (DOMAIN.md §2: « Config »).
Money is always ``decimal.Decimal`` (euros, two decimals at most); datetimes are aware (Europe/Paris for a call).
The Django apps build these objects from their models; ``quartiers.engine.rules.io`` builds them from JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal

Severity = Literal["blocking", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("blocking", "warning", "info")

FunderKind = Literal["etat_bop147", "epci", "commune", "departement", "region", "caf", "other"]
FUNDER_KINDS: dict[str, str] = {
    "etat_bop147": "État (BOP 147 « Politique de la ville »)",
    "epci": "Intercommunalité (EPCI)",
    "commune": "Commune",
    "departement": "Département",
    "region": "Région",
    "caf": "Caisse d'allocations familiales",
    "other": "Autre financeur",
}

SlotKind = Literal["school_time", "out_of_school_time", "evening", "weekend", "school_holidays"]
SLOT_KINDS: dict[str, str] = {
    "school_time": "temps scolaire",
    "out_of_school_time": "hors temps scolaire",
    "evening": "soirée",
    "weekend": "week-end",
    "school_holidays": "vacances scolaires",
}

WEEKDAYS: dict[str, str] = {
    "monday": "lundi",
    "tuesday": "mardi",
    "wednesday": "mercredi",
    "thursday": "jeudi",
    "friday": "vendredi",
    "saturday": "samedi",
    "sunday": "dimanche",
}

SEXES: dict[str, str] = {"female": "femmes", "male": "hommes", "other": "autre ou non précisé"}
AGE_BANDS: tuple[str, ...] = ("0-5", "6-10", "11-14", "15-17", "18-25", "26-64", "65+", "unknown")

# Legal forms (forme juridique). INSEE categories: 9220 association déclarée, 9260 association de droit local
# (Bas-Rhin, Haut-Rhin, Moselle), 9300 fondation, 7210 commune, 7361 CCAS…
LEGAL_FORMS: dict[str, str] = {
    "association": "association déclarée (loi 1901)",
    "local_law_association": "association de droit local (Alsace-Moselle)",
    "foundation": "fondation",
    "commune": "commune ou service communal",
    "ccas": "centre communal d'action sociale",
    "public_body": "autre établissement public",
    "social_landlord": "bailleur social",
    "school": "établissement public local d'enseignement",
    "other_non_profit": "autre organisme à but non lucratif",
    "religious_association": "association cultuelle",
    "company": "entreprise",
}
ASSOCIATION_FORMS = frozenset({"association", "local_law_association"})
DEFAULT_ALLOWED_LEGAL_FORMS: tuple[str, ...] = (
    "association",
    "local_law_association",
    "foundation",
    "commune",
    "ccas",
    "public_body",
    "social_landlord",
    "school",
    "other_non_profit",
)

# Document types a call may require (DOMAIN.md §2 R13), with their French labels.
DOCUMENT_TYPES: dict[str, str] = {
    "statutes": "statuts à jour",
    "board_list": "liste des dirigeants",
    "general_meeting_minutes": "procès-verbal de la dernière assemblée générale",
    "declaration_receipt": "récépissé de déclaration en préfecture",
    "sirene_notice": "avis de situation au répertoire Sirene",
    "bank_details": "relevé d'identité bancaire (RIB)",
    "annual_accounts": "derniers comptes annuels approuvés",
    "activity_report": "dernier rapport d'activité",
    "organisation_budget": "budget prévisionnel de la structure",
    "signature_delegation": "délégation de signature",
    "financial_report": "compte rendu financier (Cerfa 15059) de l'action précédente",
}

# Budget lines of the Cerfa 12156 grid (DOMAIN.md §4). 86 and 87 (contributions in kind) are kept apart from totals.
CHARGE_LINES: dict[str, str] = {
    "60": "achats",
    "61": "services extérieurs",
    "62": "autres services extérieurs",
    "63": "impôts et taxes",
    "64": "charges de personnel",
    "65": "autres charges de gestion courante",
    "66": "charges financières",
    "67": "charges exceptionnelles",
    "68": "dotation aux amortissements",
    "69": "impôt sur les bénéfices",
    "86": "emplois des contributions volontaires en nature",
}
INCOME_LINES: dict[str, str] = {
    "70": "ventes de produits finis, prestations de services",
    "73": "dotations et produits de tarification",
    "74": "subventions d'exploitation",
    "75": "autres produits de gestion courante (cotisations, dons)",
    "76": "produits financiers",
    "77": "produits exceptionnels",
    "78": "reprises sur amortissements et provisions",
    "79": "transferts de charges",
    "87": "contributions volontaires en nature",
}
VOLUNTARY_CHARGES = "86"
VOLUNTARY_INCOME = "87"
SUBSIDIES = "74"


@dataclass(frozen=True, slots=True)
class Funder:
    """A funder taking part in the call, with the envelope it sets aside."""

    code: str
    kind: FunderKind
    name: str
    siret: str = ""
    envelope: Decimal | None = None


@dataclass(frozen=True, slots=True)
class RuleSetting:
    """How a call uses one rule: on or off, and its severity (None: the rule's default)."""

    enabled: bool = True
    severity: Severity | None = None


@dataclass(frozen=True)
class RuleSettings:
    """The call's rule configuration: one ``RuleSetting`` per rule code (absent: defaults) and the thresholds."""

    rules: dict[str, RuleSetting] = field(default_factory=dict)
    min_qpv_share: Decimal = Decimal("0.5")
    max_public_share: Decimal = Decimal("0.8")
    weak_match_threshold: float = 0.2
    max_total_budget: Decimal = Decimal("2000000")
    allowed_legal_forms: tuple[str, ...] = DEFAULT_ALLOWED_LEGAL_FORMS

    def setting(self, code: str) -> RuleSetting:
        return self.rules.get(code, RuleSetting())

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.rules.items())), self.min_qpv_share, self.max_public_share,
                     self.weak_match_threshold, self.max_total_budget, self.allowed_legal_forms))


@dataclass(frozen=True, slots=True)
class Call:
    """A yearly call for projects (appel à projets)."""

    year: int
    opens_at: datetime
    closes_at: datetime
    funders: tuple[Funder, ...] = ()
    neighbourhood_codes: tuple[str, ...] = ()
    required_documents: tuple[str, ...] = ()
    settings: RuleSettings = field(default_factory=RuleSettings)
    title: str = ""

    def funder(self, code: str) -> Funder | None:
        return next((f for f in self.funders if f.code == code), None)


@dataclass(frozen=True, slots=True)
class Organisation:
    """The applicant (porteur de projet). ``rna`` may hold an Alsace-Moselle register number instead."""

    legal_name: str
    siret: str
    rna: str = ""
    legal_form: str = "association"
    legal_representative: str = ""


@dataclass(frozen=True, slots=True)
class AudienceGroup:
    """Beneficiaries of one sex and age band, and how many of them live in a QPV."""

    sex: str
    age_band: str
    count: int
    qpv_count: int


@dataclass(frozen=True, slots=True)
class Slot:
    """One recurring time slot of the action. ``weekday`` is an English day name, or None (e.g. holidays)."""

    kind: SlotKind
    weekday: str | None = None
    start: time | None = None
    end: time | None = None
    label: str = ""


@dataclass(frozen=True, slots=True)
class Indicator:
    name: str
    target: str = ""


@dataclass(frozen=True, slots=True)
class CerAttestation:
    """The Contrat d'engagement républicain, attested by a signatory (DOMAIN.md §8)."""

    attested: bool = False
    signatory: str = ""
    signed_on: date | None = None


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """One line of the grid: its two-digit code (60…69, 86, 70…79 except 74, 87) and amount."""

    code: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class SubsidyLine:
    """One detail of line 74: the funder asked and the amount asked of it in the budget."""

    funder: str
    amount: Decimal
    label: str = ""


@dataclass(frozen=True, slots=True)
class Budget:
    charges: tuple[BudgetLine, ...] = ()
    income: tuple[BudgetLine, ...] = ()
    subsidies: tuple[SubsidyLine, ...] = ()

    def charge(self, code: str) -> Decimal:
        return sum((line.amount for line in self.charges if line.code == code), Decimal(0))

    def income_line(self, code: str) -> Decimal:
        if code == SUBSIDIES:
            return self.subsidies_total
        return sum((line.amount for line in self.income if line.code == code), Decimal(0))

    @property
    def total_charges(self) -> Decimal:
        """TOTAL CHARGES of the Cerfa: every charge line but 86."""
        return sum((line.amount for line in self.charges if line.code != VOLUNTARY_CHARGES), Decimal(0))

    @property
    def subsidies_total(self) -> Decimal:
        return sum((s.amount for s in self.subsidies), Decimal(0))

    @property
    def total_income(self) -> Decimal:
        """TOTAL PRODUITS of the Cerfa: every income line but 87, line 74 included."""
        others = sum((line.amount for line in self.income if line.code != VOLUNTARY_INCOME), Decimal(0))
        return others + self.subsidies_total


@dataclass(frozen=True, slots=True)
class FundingRequest:
    """The amount the application asks of one funder of the call."""

    funder: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ObjectiveClaim:
    """An objective the applicant says the action serves: by key (``Objective.key``) or by text.

    ``neighbourhood`` (a code or a name) narrows the search when the same text exists in several neighbourhoods.
    """

    key: str = ""
    text: str = ""
    neighbourhood: str = ""


@dataclass(frozen=True, slots=True)
class Application:
    """One organisation's request for one action in one call (Cerfa 12156, section 6)."""

    title: str
    need: str = ""
    objectives: str = ""
    description: str = ""
    activities: tuple[str, ...] = ()
    audience: tuple[AudienceGroup, ...] = ()
    neighbourhoods: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    schedule: tuple[Slot, ...] = ()
    start_date: date | None = None
    end_date: date | None = None
    out_of_year_justification: str = ""
    renewal: bool = False
    previous_report_provided: bool = False
    partners: tuple[str, ...] = ()
    means: str = ""
    indicators: tuple[Indicator, ...] = ()
    cer: CerAttestation = field(default_factory=CerAttestation)
    budget: Budget = field(default_factory=Budget)
    requested: tuple[FundingRequest, ...] = ()
    claimed_objectives: tuple[ObjectiveClaim, ...] = ()
    documents: tuple[str, ...] = ()
    submitted_at: datetime | None = None

    @property
    def audience_total(self) -> int:
        return sum(g.count for g in self.audience)

    @property
    def audience_qpv(self) -> int:
        return sum(g.qpv_count for g in self.audience)
