"""The rules: one small pure function per rule, each reading a ``Context`` and returning ``Hit``s.

Every rule is registered in ``RULES`` (at the bottom) with its stable code, its default severity, whether it runs
by default, the call setting that tunes it and the DOMAIN.md section it comes from. ``docs/rules.md`` lists them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import time
from decimal import Decimal

from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siret as stdnum_siret

from quartiers.engine.framework import CONSTRAINT_TAGS, Constraint
from quartiers.engine.rules.context import Claim, Context
from quartiers.engine.rules.findings import (
    NBSP,
    Hit,
    format_date,
    format_datetime,
    format_euros,
    format_number,
    format_percent,
    format_time,
    quote,
)
from quartiers.engine.rules.model import (
    ASSOCIATION_FORMS,
    CHARGE_LINES,
    DOCUMENT_TYPES,
    INCOME_LINES,
    LEGAL_FORMS,
    SEXES,
    SLOT_KINDS,
    VOLUNTARY_CHARGES,
    VOLUNTARY_INCOME,
    WEEKDAYS,
    Severity,
    Slot,
)
from quartiers.engine.rules.resolve import Located, fold, neighbourhood_candidates

RuleCheck = Callable[[Context], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    check: RuleCheck
    title: str
    setting: str = ""
    source: str = ""
    enabled_by_default: bool = True


# --- identity --------------------------------------------------------------------------------------------------

LA_POSTE_SIREN = "356000000"


def siret_invalid(ctx: Context) -> Iterator[Hit]:
    """SIRET: 14 digits, Luhn key; La Poste establishments (SIREN 356 000 000) use « sum of digits % 5 == 0 »."""
    raw = ctx.organisation.siret
    number = re.sub(r"[\s.\-\u00a0\u202f]", "", raw)
    field = "organisation.siret"
    if not number:
        yield Hit("Le numéro SIRET de la structure n'est pas renseigné (14 chiffres, sur l'avis de situation Sirene).",
                  field)
        return
    if not number.isascii() or not number.isdigit():
        yield Hit(f"Le numéro SIRET {quote(raw)} ne doit contenir que des chiffres (14 chiffres).", field)
        return
    if len(number) != 14:
        yield Hit(f"Le numéro SIRET {quote(raw)} doit compter 14 chiffres ; il en compte {len(number)}.", field)
        return
    try:
        stdnum_siret.validate(number)
    except InvalidChecksum:
        if number.startswith(LA_POSTE_SIREN) and number != "35600000000048":
            total = sum(int(c) for c in number)
            yield Hit(
                f"Le numéro SIRET {quote(raw)} (établissement de La Poste) est invalide : la somme de ses chiffres "
                f"({total}) doit être un multiple de 5.",
                field,
            )
        elif not luhn.is_valid(number):
            yield Hit(f"Le numéro SIRET {quote(raw)} est invalide : sa clé de contrôle (Luhn) ne correspond pas. "
                      "Vérifiez-le sur l'avis de situation Sirene.", field)
        else:
            yield Hit(f"Le numéro SIRET {quote(raw)} est invalide : le SIREN {number[:9]} qu'il contient "
                      "a une clé de contrôle fausse.", field)
    except ValidationError:
        yield Hit(f"Le numéro SIRET {quote(raw)} est invalide.", field)


RNA_STRICT = re.compile(r"^W\d{9}$")
RNA_LENIENT = re.compile(r"^W[0-9A-Z]{9}$")


def rna_invalid(ctx: Context) -> Iterator[Hit]:
    """RNA: W + 9 digits (DOMAIN.md §8). Alsace-Moselle associations give their register number instead.

    Non-associations may leave it empty. W + 9 letters-or-digits (Corsica: 2A, 2B) is only a warning.
    """
    org = ctx.organisation
    rna = re.sub(r"\s", "", org.rna).upper()
    field = "organisation.rna"
    local_law = org.legal_form == "local_law_association"
    if not rna:
        if local_law:
            yield Hit("Le numéro d'inscription au registre des associations du tribunal judiciaire n'est pas "
                      "renseigné (association de droit local d'Alsace-Moselle).", field)
        elif org.legal_form in ASSOCIATION_FORMS:
            yield Hit("Le numéro RNA de l'association n'est pas renseigné : il figure sur le récépissé de "
                      "déclaration en préfecture (W suivi de 9 chiffres).", field)
        return
    if RNA_STRICT.match(rna):
        return
    if RNA_LENIENT.match(rna):
        yield Hit(f"Le numéro RNA {quote(org.rna)} a un format inhabituel (lettres après le W) : à vérifier sur le "
                  "récépissé de déclaration.", field, "warning")
        return
    if local_law and re.search(r"\d", rna):
        return  # a register number of the tribunal judiciaire: no national format
    hint = ""
    if org.legal_form == "association" and not rna.startswith("W"):
        hint = (" Si l'association relève du droit local (Bas-Rhin, Haut-Rhin, Moselle), choisissez cette forme "
                "juridique et indiquez son numéro au registre du tribunal.")
    yield Hit(f"Le numéro RNA {quote(org.rna)} est invalide : il doit s'écrire W suivi de 9 chiffres "
              f"(par exemple W301234567).{hint}", field)


def legal_form_not_allowed(ctx: Context) -> Iterator[Hit]:
    form = ctx.organisation.legal_form
    allowed = ctx.call.settings.allowed_legal_forms
    if allowed and form not in allowed:
        label = LEGAL_FORMS.get(form, form)
        yield Hit(f"La forme juridique de la structure ({label}) n'est pas admise par cet appel à projets.",
                  "organisation.legal_form")


# --- attestations ----------------------------------------------------------------------------------------------


def cer_missing(ctx: Context) -> Iterator[Hit]:
    cer = ctx.application.cer
    if not cer.attested:
        yield Hit("Le contrat d'engagement républicain n'est pas attesté : le représentant légal doit déclarer que "
                  "la structure y souscrit (loi 2000-321, art. 10-1).", "cer.attested")
        return
    if not cer.signatory.strip():
        yield Hit("L'attestation du contrat d'engagement républicain ne nomme pas son signataire.", "cer.signatory")
    if cer.signed_on is None:
        yield Hit("L'attestation du contrat d'engagement républicain n'est pas datée.", "cer.signed_on")


def signature_delegation_missing(ctx: Context) -> Iterator[Hit]:
    rep = ctx.organisation.legal_representative.strip()
    signatory = ctx.application.cer.signatory.strip()
    if rep and signatory and fold(rep) != fold(signatory) and "signature_delegation" not in ctx.application.documents:
        yield Hit(f"Le signataire ({signatory}) n'est pas le représentant légal ({rep}) : joignez la délégation de "
                  "signature.", "documents")


# --- calendar --------------------------------------------------------------------------------------------------


def call_not_open(ctx: Context) -> Iterator[Hit]:
    when = ctx.submitted_at
    if when < ctx.call.opens_at:
        yield Hit(f"L'appel à projets n'ouvre que le {format_datetime(ctx.call.opens_at)} (heure de Paris) ; "
                  f"le dossier est daté du {format_datetime(when)}.", "submitted_at")


def deadline_passed(ctx: Context) -> Iterator[Hit]:
    when = ctx.submitted_at
    closes = ctx.call.closes_at
    if when > closes:
        what = "a été déposé" if ctx.application.submitted_at else "est vérifié"
        yield Hit(f"Le dossier {what} le {format_datetime(when)}, après la clôture de l'appel à projets le "
                  f"{format_datetime(closes)} (heure de Paris) : il est irrecevable.", "submitted_at")


def dates_inverted(ctx: Context) -> Iterator[Hit]:
    app = ctx.application
    if app.start_date and app.end_date and app.end_date < app.start_date:
        yield Hit(f"La date de fin de l'action ({format_date(app.end_date)}) précède sa date de début "
                  f"({format_date(app.start_date)}).", "end_date")


def action_outside_call_year(ctx: Context) -> Iterator[Hit]:
    app = ctx.application
    year = ctx.call.year
    justified = bool(app.out_of_year_justification.strip())
    for name, label, value in (("start_date", "commence", app.start_date), ("end_date", "se termine", app.end_date)):
        if value is not None and value.year != year:
            tail = (" ; la justification fournie sera examinée." if justified
                    else " ; une action à cheval sur deux années doit être justifiée.")
            yield Hit(f"L'action {label} le {format_date(value)}, hors de l'année civile {year} de l'appel à "
                      f"projets{tail}", name, "warning" if justified else None)


# --- completeness ----------------------------------------------------------------------------------------------

REQUIRED_TEXTS: tuple[tuple[str, str], ...] = (
    ("title", "l'intitulé de l'action"),
    ("need", "le besoin auquel répond l'action"),
    ("objectives", "les objectifs de l'action"),
    ("description", "la description de l'action"),
    ("means", "les moyens humains et matériels"),
)


def required_field_missing(ctx: Context) -> Iterator[Hit]:
    app = ctx.application
    if not ctx.organisation.legal_name.strip():
        yield Hit("Le nom de la structure n'est pas renseigné.", "organisation.legal_name")
    for name, label in REQUIRED_TEXTS:
        value = getattr(app, name)
        if not isinstance(value, str) or not value.strip():
            yield Hit(f"Champ obligatoire non renseigné : {label}.", name)
    if not any(p.strip() for p in app.places):
        yield Hit("Champ obligatoire non renseigné : les lieux de réalisation de l'action.", "places")
    if app.start_date is None:
        yield Hit("Champ obligatoire non renseigné : la date de début de l'action.", "start_date")
    if app.end_date is None:
        yield Hit("Champ obligatoire non renseigné : la date de fin de l'action.", "end_date")


def indicator_missing(ctx: Context) -> Iterator[Hit]:
    if not any(i.name.strip() and i.target.strip() for i in ctx.application.indicators):
        yield Hit("Aucun indicateur d'évaluation avec une valeur cible : indiquez au moins un indicateur et son "
                  "objectif chiffré.", "indicators")


def document_missing(ctx: Context) -> Iterator[Hit]:
    provided = set(ctx.application.documents)
    for doc in ctx.call.required_documents:
        if doc not in provided:
            yield Hit(f"Pièce obligatoire manquante : {DOCUMENT_TYPES.get(doc, doc)}.", f"documents.{doc}")


def previous_report_missing(ctx: Context) -> Iterator[Hit]:
    app = ctx.application
    if app.renewal and not app.previous_report_provided and "financial_report" not in app.documents:
        yield Hit("Renouvellement sans bilan : le compte rendu financier (Cerfa 15059) de l'action précédente doit "
                  "accompagner toute nouvelle demande.", "previous_report_provided")


# --- territory -------------------------------------------------------------------------------------------------


def no_neighbourhood(ctx: Context) -> Iterator[Hit]:
    if not any(r.strip() for r in ctx.application.neighbourhoods):
        yield Hit("Aucun quartier prioritaire n'est indiqué : choisissez au moins un QPV concerné par l'action.",
                  "neighbourhoods")


def neighbourhood_unknown(ctx: Context) -> Iterator[Hit]:
    for r in ctx.neighbourhoods:
        if r.ref.strip() and r.neighbourhood is None and not r.code:
            several = neighbourhood_candidates(r.ref, ctx.framework)
            if several:
                names = ", ".join(quote(n.name) for n in several)
                yield Hit(f"Le quartier {quote(r.ref)} est ambigu : il peut désigner {names}. Indiquez son code "
                          "officiel (QN…) ou son nom complet.", f"neighbourhoods[{r.index}]")
            else:
                yield Hit(f"Le quartier {quote(r.ref)} ne correspond à aucun quartier prioritaire du référentiel : "
                          "indiquez son code officiel (QN…) ou son nom.", f"neighbourhoods[{r.index}]")


def neighbourhood_not_in_call(ctx: Context) -> Iterator[Hit]:
    allowed = {c.upper() for c in ctx.call.neighbourhood_codes}
    if not allowed:
        return
    for r in ctx.neighbourhoods:
        if r.code and r.code not in allowed:
            name = f" ({r.neighbourhood.name})" if r.neighbourhood is not None else ""
            yield Hit(f"Le quartier {r.code}{name} ne fait pas partie des quartiers de l'appel à projets "
                      f"({', '.join(sorted(allowed))}).", f"neighbourhoods[{r.index}]")


# --- priorities ------------------------------------------------------------------------------------------------


def _claim_label(claim: Claim) -> str:
    if claim.anywhere:
        return quote(claim.anywhere[0].objective.label or claim.anywhere[0].objective.text)
    return quote(claim.claim.text or claim.claim.key)


def no_objective(ctx: Context) -> Iterator[Hit]:
    if not ctx.application.claimed_objectives:
        yield Hit("Aucun objectif du projet de quartier n'est indiqué : rattachez l'action à au moins un objectif "
                  "du contrat de ville.", "claimed_objectives")


def objective_unknown(ctx: Context) -> Iterator[Hit]:
    for c in ctx.claims:
        if not c.anywhere:
            yield Hit(f"L'objectif {_claim_label(c)} est introuvable dans le référentiel du contrat de ville.",
                      f"claimed_objectives[{c.index}]")


def objective_not_in_neighbourhood(ctx: Context) -> Iterator[Hit]:
    for c in ctx.claims:
        if c.anywhere and not c.served:
            where = ", ".join(sorted({loc.neighbourhood.name for loc in c.anywhere}))
            yield Hit(f"L'objectif {_claim_label(c)} appartient au projet de quartier de {where}, qui n'est pas "
                      "un quartier de l'action.", f"claimed_objectives[{c.index}]")


def objective_weak_match(ctx: Context) -> Iterator[Hit]:
    """Needs a scorer (the matching engine); without one the rule says nothing."""
    scorer = ctx.scorer
    if scorer is None:
        return
    threshold = ctx.call.settings.weak_match_threshold
    for c in ctx.claims:
        scores = [s for s in (scorer(ctx.application, loc.objective) for loc in c.served) if s is not None]
        if scores and max(scores) < threshold:
            yield Hit(f"Le rattachement à l'objectif {_claim_label(c)} paraît peu probable : score "
                      f"{format_number(Decimal(str(max(scores))))} pour un seuil de "
                      f"{format_number(Decimal(str(threshold)))}. Vérifiez que l'action y répond.",
                      f"claimed_objectives[{c.index}]")


# --- constraints of the annex ----------------------------------------------------------------------------------

# Hours of school in a week (primary and secondary schools; Wednesday morning only). A slot overlapping them, on
# a school day and outside the holidays, is in school time whatever its declared kind.
SCHOOL_HOURS: dict[str, tuple[time, time]] = {
    "monday": (time(8, 30), time(16, 30)),
    "tuesday": (time(8, 30), time(16, 30)),
    "wednesday": (time(8, 30), time(12, 0)),
    "thursday": (time(8, 30), time(16, 30)),
    "friday": (time(8, 30), time(16, 30)),
}
EVENING_FROM = time(18, 0)


def constraint_tag(c: Constraint) -> str:
    """The constraint's tag; untagged constraints are recognised from their text."""
    if c.tag in CONSTRAINT_TAGS and c.tag != "other":
        return c.tag
    text = fold(c.text)
    if "hors temps scolaire" in text:
        return "out_of_school_time"
    if any(w in text for w in ("horaires decales", "en soiree", "week end", "weekend", "vacances scolaires")):
        return "off_hours"
    return c.tag


def constraints_of(loc: Located) -> list[tuple[str, Constraint, str]]:
    """(tag, constraint, where) for the theme's and the objective's constraints."""
    out = [(constraint_tag(c), c, f"le thème {quote(loc.theme.title)}") for c in loc.theme.constraints]
    out += [(constraint_tag(c), c, f"l'objectif {quote(loc.objective.label or loc.objective.text)}")
            for c in loc.objective.constraints]
    return out


def in_school_time(slot: Slot) -> bool:
    if slot.kind == "school_time":
        return True
    if slot.kind == "school_holidays" or slot.weekday not in SCHOOL_HOURS:
        return False
    if slot.start is None or slot.end is None:
        return False
    first, last = SCHOOL_HOURS[slot.weekday]
    return slot.start < last and slot.end > first


def off_hours(slot: Slot) -> bool:
    if slot.kind in ("evening", "weekend", "school_holidays"):
        return not in_school_time(slot)
    if slot.weekday in ("saturday", "sunday"):
        return True
    return slot.start is not None and slot.start >= EVENING_FROM


def describe_slot(slot: Slot) -> str:
    parts = [WEEKDAYS.get(slot.weekday, slot.weekday) if slot.weekday else SLOT_KINDS[slot.kind]]
    if slot.start and slot.end:
        parts.append(f"{format_time(slot.start)}–{format_time(slot.end)}")
    return " ".join(parts)


def _where(loc: Located) -> str:
    return f" du quartier {loc.neighbourhood.name}" if loc.neighbourhood.name else ""


def constraint_violated(ctx: Context) -> Iterator[Hit]:
    """Out-of-school-time slots for themes that demand it (blocking); off-hours slots when demanded (warning)."""
    schedule = ctx.application.schedule
    seen: set[tuple[str, str]] = set()
    for c in ctx.claims:
        for loc in c.served:
            for tag, constraint, where in constraints_of(loc):
                if tag == "out_of_school_time":
                    for i, slot in enumerate(schedule):
                        if in_school_time(slot) and (tag, f"schedule[{i}]") not in seen:
                            seen.add((tag, f"schedule[{i}]"))
                            declared = "" if slot.kind == "school_time" else (
                                f", bien que déclaré « {SLOT_KINDS[slot.kind]} »")
                            yield Hit(f"Le créneau {describe_slot(slot)} est sur le temps scolaire{declared}, alors "
                                      f"que {where}{_where(loc)} exige des actions hors temps scolaire "
                                      f"({quote(constraint.text)}).", f"schedule[{i}]")
                elif tag == "off_hours" and schedule and not any(off_hours(s) for s in schedule):
                    if (tag, "schedule") not in seen:
                        seen.add((tag, "schedule"))
                        yield Hit(f"Aucun créneau en soirée, le week-end ou pendant les vacances scolaires, alors que "
                                  f"{where}{_where(loc)} vise des horaires décalés ({quote(constraint.text)}).",
                                  "schedule", "warning")


def schedule_missing(ctx: Context) -> Iterator[Hit]:
    if ctx.application.schedule:
        return
    for c in ctx.claims:
        for loc in c.served:
            for tag, _constraint, where in constraints_of(loc):
                if tag in ("out_of_school_time", "off_hours"):
                    label = CONSTRAINT_TAGS[tag].lower()
                    yield Hit(f"Les créneaux de l'action (jours et horaires) ne sont pas indiqués, alors que {where}"
                              f"{_where(loc)} impose une condition d'horaires ({label}).", "schedule")
                    return


def schedule_invalid(ctx: Context) -> Iterator[Hit]:
    for i, slot in enumerate(ctx.application.schedule):
        if slot.start is not None and slot.end is not None and slot.end <= slot.start:
            yield Hit(f"Le créneau {describe_slot(slot)} finit avant de commencer.", f"schedule[{i}].end")


# --- public ----------------------------------------------------------------------------------------------------


def audience_missing(ctx: Context) -> Iterator[Hit]:
    if ctx.application.audience_total == 0:
        yield Hit("Le nombre de bénéficiaires prévus n'est pas indiqué (par sexe et tranche d'âge, dont habitants "
                  "des quartiers prioritaires).", "audience")


def audience_inconsistent(ctx: Context) -> Iterator[Hit]:
    for i, g in enumerate(ctx.application.audience):
        if g.qpv_count > g.count:
            yield Hit(f"Bénéficiaires ({SEXES.get(g.sex, g.sex)}, {g.age_band} ans) : {g.qpv_count} habitants des quartiers prioritaires "
                      f"déclarés pour {g.count} bénéficiaires au total.", f"audience[{i}].qpv_count")


def qpv_share_too_low(ctx: Context) -> Iterator[Hit]:
    app = ctx.application
    total, qpv = app.audience_total, app.audience_qpv
    minimum = ctx.call.settings.min_qpv_share
    if total <= 0:
        return
    share = Decimal(qpv) / Decimal(total)
    if share < minimum:
        yield Hit(f"Seuls {format_percent(share)} des bénéficiaires prévus habitent un quartier prioritaire "
                  f"({qpv} sur {total}) ; l'appel à projets en demande au moins {format_percent(minimum)}.",
                  "audience")


def cost_per_beneficiary(ctx: Context) -> Iterator[Hit]:
    total = ctx.application.audience_total
    charges = ctx.application.budget.total_charges
    if total > 0 and charges > 0:
        yield Hit(f"Coût par bénéficiaire : {format_euros(charges / total)} ({format_euros(charges)} pour {total} "
                  "bénéficiaires).", "budget")


# --- budget ----------------------------------------------------------------------------------------------------


def _amount_fields(ctx: Context) -> Iterator[tuple[str, str, Decimal]]:
    budget = ctx.application.budget
    for line in budget.charges:
        yield f"budget.charges.{line.code}", f"la ligne {line.code} ({CHARGE_LINES.get(line.code, '')})", line.amount
    for line in budget.income:
        yield f"budget.income.{line.code}", f"la ligne {line.code} ({INCOME_LINES.get(line.code, '')})", line.amount
    for i, s in enumerate(budget.subsidies):
        yield f"budget.income.74[{i}].amount", f"la subvention demandée à {_funder_name(ctx, s.funder)}", s.amount
    for i, r in enumerate(ctx.application.requested):
        yield f"requested[{i}].amount", f"le montant demandé à {_funder_name(ctx, r.funder)}", r.amount


def _funder_name(ctx: Context, code: str) -> str:
    funder = ctx.call.funder(code)
    return funder.name if funder is not None and funder.name else quote(code)


def negative_amount(ctx: Context) -> Iterator[Hit]:
    for field, label, amount in _amount_fields(ctx):
        if amount < 0:
            yield Hit(f"Montant négatif pour {label} : {format_euros(amount)}.", field)


def budget_empty(ctx: Context) -> Iterator[Hit]:
    if ctx.application.budget.total_charges <= 0:
        yield Hit("Le budget prévisionnel de l'action ne comporte aucune charge.", "budget.charges")


def budget_too_large(ctx: Context) -> Iterator[Hit]:
    total = ctx.application.budget.total_charges
    ceiling = ctx.call.settings.max_total_budget
    if total > ceiling:
        yield Hit(f"Le budget de l'action ({format_euros(total)} de charges) dépasse {format_euros(ceiling)} : "
                  "vérifiez les montants (une virgule mal placée ?).", "budget.charges")


def budget_unbalanced(ctx: Context) -> Iterator[Hit]:
    budget = ctx.application.budget
    charges, income = budget.total_charges, budget.total_income
    if charges != income:
        yield Hit(f"Le budget n'est pas équilibré : {format_euros(charges)} de charges pour {format_euros(income)} "
                  "de produits.", "budget")


def voluntary_contributions_unbalanced(ctx: Context) -> Iterator[Hit]:
    budget = ctx.application.budget
    uses, resources = budget.charge(VOLUNTARY_CHARGES), budget.income_line(VOLUNTARY_INCOME)
    if uses != resources:
        yield Hit(f"Les contributions volontaires en nature ne sont pas équilibrées : {format_euros(uses)} "
                  f"d'emplois (ligne 86) pour {format_euros(resources)} de contributions (ligne 87).",
                  "budget.charges.86")


def public_funding_share_exceeded(ctx: Context) -> Iterator[Hit]:
    budget = ctx.application.budget
    total, subsidies = budget.total_income, budget.subsidies_total
    cap = ctx.call.settings.max_public_share
    if total <= 0:
        return
    share = subsidies / total
    if share > cap:
        yield Hit(f"Les subventions demandées (ligne 74) représentent {format_percent(share)} des produits de "
                  f"l'action ({format_euros(subsidies)} sur {format_euros(total)}) ; l'appel à projets les "
                  f"plafonne à {format_percent(cap)}.", "budget.income.74")


def funder_not_in_call(ctx: Context) -> Iterator[Hit]:
    for i, s in enumerate(ctx.application.budget.subsidies):
        if ctx.call.funder(s.funder) is None:
            yield Hit(f"Le financeur {quote(s.funder)} de la ligne 74 n'est pas un financeur de l'appel à projets "
                      f"({', '.join(f.code for f in ctx.call.funders) or 'aucun'}).", f"budget.income.74[{i}].funder")
    for i, r in enumerate(ctx.application.requested):
        if ctx.call.funder(r.funder) is None:
            yield Hit(f"Le montant demandé à {quote(r.funder)} vise un financeur qui ne participe pas à l'appel à "
                      "projets.", f"requested[{i}].funder")


def no_funding_requested(ctx: Context) -> Iterator[Hit]:
    if not any(r.amount > 0 for r in ctx.application.requested):
        yield Hit("Aucun montant n'est demandé aux financeurs de l'appel à projets.", "requested")


def requested_amounts_mismatch(ctx: Context) -> Iterator[Hit]:
    app = ctx.application
    asked: dict[str, Decimal] = {}
    budgeted: dict[str, Decimal] = {}
    first_request: dict[str, int] = {}
    for i, r in enumerate(app.requested):
        asked[r.funder] = asked.get(r.funder, Decimal(0)) + r.amount
        first_request.setdefault(r.funder, i)
    for s in app.budget.subsidies:
        budgeted[s.funder] = budgeted.get(s.funder, Decimal(0)) + s.amount
    for code in sorted(asked):
        in_budget = budgeted.get(code, Decimal(0))
        if asked[code] != in_budget:
            yield Hit(f"Montant demandé à {_funder_name(ctx, code)} : {format_euros(asked[code])}, mais "
                      f"{format_euros(in_budget)} inscrits pour ce financeur à la ligne 74 du budget.",
                      f"requested[{first_request[code]}].amount")
    for code in sorted(budgeted):
        if code not in asked and ctx.call.funder(code) is not None:
            yield Hit(f"La ligne 74 du budget inscrit {format_euros(budgeted[code])} pour {_funder_name(ctx, code)}, "
                      "mais aucun montant ne lui est demandé.", "requested")


def request_exceeds_envelope(ctx: Context) -> Iterator[Hit]:
    for i, r in enumerate(ctx.application.requested):
        funder = ctx.call.funder(r.funder)
        if funder is not None and funder.envelope is not None and r.amount > funder.envelope:
            yield Hit(f"Montant demandé à {_funder_name(ctx, r.funder)} : {format_euros(r.amount)}, au-delà de son "
                      f"enveloppe pour l'appel à projets ({format_euros(funder.envelope)}).", f"requested[{i}].amount")


def single_funder(ctx: Context) -> Iterator[Hit]:
    budget = ctx.application.budget
    funders = {s.funder for s in budget.subsidies if s.amount > 0}
    others = sum((line.amount for line in budget.income if line.code != VOLUNTARY_INCOME), Decimal(0))
    if len(funders) == 1 and others <= 0:
        code = next(iter(funders))
        yield Hit(f"Une seule ressource : {_funder_name(ctx, code)} financerait l'action à 100{NBSP}% ; les "
                  "actions de la politique de la ville sont en principe cofinancées (autres financeurs, "
                  "ressources propres).", "budget.income.74")


# --- the table -------------------------------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule("SIRET_INVALID", "blocking", siret_invalid, "SIRET valide (14 chiffres, clé de Luhn, exception La Poste)",
         source="§8, R11"),
    Rule("RNA_INVALID", "blocking", rna_invalid, "RNA valide (W + 9 chiffres) ou numéro du registre d'Alsace-Moselle",
         source="§8, R11"),
    Rule("LEGAL_FORM_NOT_ALLOWED", "blocking", legal_form_not_allowed, "Forme juridique admise par l'appel",
         setting="allowed_legal_forms", source="R20"),
    Rule("CER_MISSING", "blocking", cer_missing, "Contrat d'engagement républicain attesté, signé et daté",
         source="§8, R10"),
    Rule("SIGNATURE_DELEGATION_MISSING", "warning", signature_delegation_missing,
         "Délégation de signature quand le signataire n'est pas le représentant légal", source="R13, check 2"),
    Rule("CALL_NOT_OPEN", "blocking", call_not_open, "Dossier déposé après l'ouverture de l'appel", source="R12"),
    Rule("DEADLINE_PASSED", "blocking", deadline_passed, "Dossier déposé avant la clôture (heure de Paris)",
         source="R12"),
    Rule("REQUIRED_FIELD_MISSING", "blocking", required_field_missing, "Champs obligatoires du Cerfa renseignés",
         source="R19, check 4"),
    Rule("INDICATOR_MISSING", "warning", indicator_missing, "Au moins un indicateur avec une valeur cible",
         source="R19"),
    Rule("DOCUMENT_MISSING", "blocking", document_missing, "Pièces obligatoires de l'appel fournies",
         setting="required_documents", source="R13"),
    Rule("PREVIOUS_REPORT_MISSING", "blocking", previous_report_missing,
         "Bilan (Cerfa 15059) de l'action précédente pour un renouvellement", source="R14, check 11"),
    Rule("NO_NEIGHBOURHOOD", "blocking", no_neighbourhood, "Au moins un quartier prioritaire", source="R1, R2"),
    Rule("NEIGHBOURHOOD_UNKNOWN", "blocking", neighbourhood_unknown, "Quartier reconnu dans le référentiel",
         source="R2"),
    Rule("NEIGHBOURHOOD_NOT_IN_CALL", "blocking", neighbourhood_not_in_call, "Quartier couvert par l'appel",
         setting="neighbourhood_codes", source="R2"),
    Rule("NO_OBJECTIVE", "blocking", no_objective, "Au moins un objectif du projet de quartier", source="R3"),
    Rule("OBJECTIVE_UNKNOWN", "blocking", objective_unknown, "Objectif présent dans le référentiel", source="R3"),
    Rule("OBJECTIVE_NOT_IN_NEIGHBOURHOOD", "blocking", objective_not_in_neighbourhood,
         "Objectif du projet d'un quartier de l'action", source="R3"),
    Rule("OBJECTIVE_WEAK_MATCH", "warning", objective_weak_match,
         "Rattachement plausible selon le moteur de rapprochement", setting="weak_match_threshold", source="R3"),
    Rule("SCHEDULE_MISSING", "blocking", schedule_missing, "Créneaux indiqués quand le thème impose des horaires",
         source="R16"),
    Rule("SCHEDULE_INVALID", "blocking", schedule_invalid, "Créneaux cohérents (fin après le début)", source="R16"),
    Rule("CONSTRAINT_VIOLATED", "blocking", constraint_violated,
         "Conditions du projet de quartier respectées (hors temps scolaire ; horaires décalés en avertissement)",
         source="R16, check 8"),
    Rule("AUDIENCE_MISSING", "blocking", audience_missing, "Bénéficiaires prévus indiqués", source="R18"),
    Rule("AUDIENCE_INCONSISTENT", "blocking", audience_inconsistent,
         "Habitants des QPV pas plus nombreux que les bénéficiaires", source="R1, R18"),
    Rule("QPV_SHARE_TOO_LOW", "blocking", qpv_share_too_low, "Part des bénéficiaires habitant un QPV",
         setting="min_qpv_share", source="R1"),
    Rule("COST_PER_BENEFICIARY", "info", cost_per_beneficiary, "Coût par bénéficiaire (information)",
         source="R18", enabled_by_default=False),
    Rule("DATES_INVERTED", "blocking", dates_inverted, "Date de fin après la date de début", source="R5"),
    Rule("ACTION_OUTSIDE_CALL_YEAR", "blocking", action_outside_call_year,
         "Action dans l'année civile de l'appel (avertissement si justifiée)", source="R5"),
    Rule("NEGATIVE_AMOUNT", "blocking", negative_amount, "Aucun montant négatif", source="check 10"),
    Rule("BUDGET_EMPTY", "blocking", budget_empty, "Budget avec des charges", source="§4"),
    Rule("BUDGET_TOO_LARGE", "warning", budget_too_large, "Budget d'un ordre de grandeur plausible",
         setting="max_total_budget", source="check 10"),
    Rule("BUDGET_UNBALANCED", "blocking", budget_unbalanced, "Total des charges = total des produits", source="R8"),
    Rule("VOLUNTARY_CONTRIBUTIONS_UNBALANCED", "blocking", voluntary_contributions_unbalanced,
         "Contributions volontaires : 86 = 87", source="R8"),
    Rule("PUBLIC_FUNDING_SHARE_EXCEEDED", "blocking", public_funding_share_exceeded,
         "Part des subventions (ligne 74) dans les produits", setting="max_public_share", source="R6"),
    Rule("FUNDER_NOT_IN_CALL", "blocking", funder_not_in_call, "Financeurs de la ligne 74 et des demandes connus",
         setting="funders", source="R21"),
    Rule("NO_FUNDING_REQUESTED", "blocking", no_funding_requested, "Un montant demandé à un financeur de l'appel",
         source="§4"),
    Rule("REQUESTED_AMOUNTS_MISMATCH", "blocking", requested_amounts_mismatch,
         "Montants demandés = détail de la ligne 74", source="check 10"),
    Rule("REQUEST_EXCEEDS_ENVELOPE", "warning", request_exceeds_envelope, "Montant demandé dans l'enveloppe",
         setting="funders[].envelope", source="§1"),
    Rule("SINGLE_FUNDER", "warning", single_funder, "Cofinancement (plus d'une ressource)", source="R7"),
)

RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
