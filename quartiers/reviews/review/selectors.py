"""Reads of the review of one application: what a reader may see of it, computed once for the page.

``review_page(reader, application)`` applies the reading rules of ``reviews/perms.py`` (assessments, conflicts and
advices for insiders without a conflict; decisions for those who may read them; documents for insiders) and returns
a ``ReviewPage``; the view only adds the forms. Reads shared with the services (the version's objectives, the
contract's confirmed examples, the engine's ranking, the amount asked of a funder) live here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal

from quartiers.applications.engine_adapter import (
    Suggestion,
    application_file,
    application_proposal,
    objective_suggestions,
)
from quartiers.applications.models import Application, Status
from quartiers.applications.selectors import budget_totals
from quartiers.engine.matching import LabelledExample
from quartiers.frameworks.models import Objective
from quartiers.reviews import perms
from quartiers.reviews.models import Admissibility, Advice, ConfirmedMatch, ScoringCriterion


def version_objectives(version):
    """The objectives of a framework version with their theme and neighbourhood (one query)."""
    return (Objective.objects.filter(theme__section__version=version)
            .select_related("theme__section__neighbourhood")
            .order_by("theme__section__position", "theme__section__pk", "theme__position", "theme__pk", "position",
                      "pk"))


def objective_code(objective: Objective) -> str:
    section = objective.theme.section
    neighbourhood = section.neighbourhood if section.neighbourhood_id else None
    return neighbourhood.code if neighbourhood is not None else ""


def confirmed_examples(call_or_contract, *, exclude: Application | None = None) -> list:
    """The primary confirmed matches of the contract as the engine's ``LabelledExample``: the nearest confirmed
    cases raise their objective a little and are shown as evidence when ranking a new application."""
    contract_id = getattr(call_or_contract, "contract_id", None) or call_or_contract.pk
    rows = (ConfirmedMatch.objects.filter(is_primary=True, application__call__contract_id=contract_id)
            .select_related("application").order_by("application__reference", "pk"))
    if exclude is not None:
        rows = rows.exclude(application_id=exclude.pk)
    examples = []
    for row in rows:
        app = row.application
        proposal = application_proposal(app)
        examples.append(LabelledExample(reference=app.reference or f"#{app.pk}", title=proposal.title,
                                        description=proposal.description, objective_key=row.objective_key,
                                        neighbourhood_code=row.neighbourhood_code))
    return examples


def review_ranking(application: Application, *, examples=(), limit: int = 5) -> list[Suggestion]:
    """The engine's ranked objectives per neighbourhood of the application, with evidence and the nearest confirmed
    cases (``row["similar_cases"]``) when ``examples`` are given."""
    return objective_suggestions(application, limit, examples=examples)


def requested_amount(application: Application, funder) -> Decimal:
    return sum((r.amount for r in application.funding_requests.all() if r.funder_id == funder.pk), Decimal(0))


def funders_asked(application) -> list:
    """The funders the application asked money from (each gets one assessment block)."""
    seen: dict[int, object] = {}
    for r in application.funding_requests.all():
        if r.funder_id and r.funder_id not in seen:
            seen[r.funder_id] = r.funder
    return sorted(seen.values(), key=lambda f: f.name)


def _ranking(application, objectives) -> list:
    """The engine's ranking (with the contract's confirmed cases as examples) and each row's objective number."""
    ids = {(o.key, objective_code(o)): o.pk for o in objectives}
    ranking = review_ranking(application, examples=confirmed_examples(application.call, exclude=application))
    for hood in ranking:
        for row in hood.rows:
            row["objective_pk"] = ids.get((row["match"].objective.key, hood.code))
    return ranking


def _rows(application, *, insider: bool, decisions: bool) -> dict:
    """The review rows of the application, each fetched once; what only insiders read stays empty for others, and
    the committee's moves (to « décidée » or « refusée », whose reason may name decisions) and the decision lines
    are kept for those who may read decisions."""
    return {
        "transitions": [t for t in application.transitions.select_related("by")
                        if decisions or not ({t.from_status, t.to_status} & set(perms.DECISION_STATUSES))],
        "matches": list(application.confirmed_matches.select_related("objective__theme", "confirmed_by")),
        "info_requests": list(application.info_requests.select_related("asked_by", "answered_by")),
        # confirmations of the match for everyone; the assessments' versions for insiders; decision lines for those
        # who may read decisions
        "events": [e for e in application.review_events.select_related("by")
                   if e.kind == "match" or (e.kind == "decision" and decisions)
                   or (e.kind not in ("match", "decision") and insider)],
        "assessments": list(application.assessments.select_related("updated_by", "funder")) if insider else [],
        "conflicts": list(application.conflicts.select_related("user")) if insider else [],
        "advices": list(application.advices.select_related("author")) if insider else [],
    }


def _history(rows: dict) -> list[dict]:
    """Every change on the application, oldest first: status moves and the review rows (who, when, what)."""
    events = [{"at": t.at, "by": t.by, "what": f"{t.get_from_status_display() or 'création'} → "
                                               f"{t.get_to_status_display()}" + (f" ({t.why})" if t.why else "")}
              for t in rows["transitions"]]
    events += [{"at": e.at, "by": e.by, "what": e.what} for e in rows["events"]]
    for r in rows["info_requests"]:
        events.append({"at": r.asked_at, "by": r.asked_by, "what": "demande de compléments envoyée au porteur"})
        if r.answered_at:
            events.append({"at": r.answered_at, "by": r.answered_by, "what": "réponse du porteur reçue"})
    for c in rows["conflicts"]:
        events.append({"at": c.declared_at, "by": c.user, "what": "déclaration de conflit d'intérêts"})
    for adv in rows["advices"]:
        events.append({"at": adv.at, "by": adv.author, "what": f"avis du conseil citoyen : {adv.get_stance_display()}"})
    return sorted(events, key=lambda e: e["at"])


@dataclass
class ReviewPage:
    """What ``reader`` reads of one application on its review page; the names are the template's."""

    application: Application
    call: object
    content: dict
    organisation: object
    totals: object
    funding_requests: object
    claimed: list
    documents: list
    history: list[dict]
    conflicted: bool
    insider: bool
    can_read_documents: bool
    confirmed: ConfirmedMatch | None
    objectives: list
    ranking: list
    can_confirm: bool
    verdict: Admissibility | None
    can_set_admissibility: bool
    criteria: list
    can_configure_grid: bool
    assessments: list  # the funders' assessments, for insiders without a conflict only
    can_declare_conflict: bool
    conflicts: list
    info_requests: list
    can_request_info: bool
    advices: list  # every advice for insiders; a residents' council member reads their own
    own_advice: Advice | None
    can_give_advice: bool
    can_mark_reviewed: bool
    blocking: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    infos: list = field(default_factory=list)

    def context(self) -> dict:
        """The page's template context (shallow: the model instances are passed as they are)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def review_page(reader, application: Application) -> ReviewPage:
    """The review page of ``application`` as ``reader`` may read it (the findings are the ones stored)."""
    insider = perms.can_see_assessments(reader, application)
    rows = _rows(application, insider=insider, decisions=perms.can_read_decisions(reader, application))
    objectives = list(version_objectives(application.call.framework_version))
    own_advice = next((a for a in rows["advices"] if a.author_id == reader.pk), None) if insider else \
        Advice.objects.filter(application=application, author=reader).first()
    findings = application.findings or []
    return ReviewPage(
        application=application, call=application.call, content=application.content or {},
        organisation=application.organisation,
        totals=budget_totals(application_file(application)),
        funding_requests=application.funding_requests.all(),
        claimed=list(application.claimed_objectives.all()),
        documents=list(application.documents.all()) + list(application.standing_documents.all()),
        history=_history(rows),
        conflicted=perms.has_conflict(reader, application), insider=insider,
        can_read_documents=perms.can_read_documents(reader, application),
        confirmed=next((m for m in rows["matches"] if m.is_primary), None),
        objectives=objectives,
        ranking=_ranking(application, objectives),
        can_confirm=perms.can_confirm_match(reader, application),
        verdict=Admissibility.objects.filter(application=application).select_related("by").first(),
        can_set_admissibility=perms.can_set_admissibility(reader, application),
        criteria=list(ScoringCriterion.objects.filter(call=application.call)),
        can_configure_grid=perms.can_configure_grid(reader, application.call),
        assessments=rows["assessments"],
        can_declare_conflict=perms.can_declare_conflict(reader, application),
        conflicts=rows["conflicts"],
        info_requests=rows["info_requests"],
        can_request_info=perms.can_request_info(reader, application),
        advices=rows["advices"] if insider else ([own_advice] if own_advice else []),
        own_advice=own_advice,
        can_give_advice=perms.can_give_advice(reader, application),
        can_mark_reviewed=perms.can_mark_reviewed(reader, application) and application.status == Status.ADMISSIBLE,
        blocking=[f for f in findings if f.get("severity") == "blocking"],
        warnings=[f for f in findings if f.get("severity") == "warning"],
        infos=[f for f in findings if f.get("severity") == "info"],
    )
