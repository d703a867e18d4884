"""The applications' side of the bridge to the rules and matching engines: models in, engine dataclasses out.

Read side only (the writes stay in ``services``). ``application_file`` builds the self-contained ``ApplicationFile``
(call, organisation, application) that the rules read and the JSON export writes; the call's half is
``calls.selectors.call_to_engine`` and the framework's is ``frameworks.matching.matcher_for`` (one engine per
published version and per process).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.utils import timezone

from quartiers.applications.models import Application, Organisation
from quartiers.calls.selectors import call_to_engine
from quartiers.engine.matching.types import MatchingError, Proposal
from quartiers.engine.rules import Application as EngineApplication
from quartiers.engine.rules import ApplicationFile, Finding, check_application, load_application_file
from quartiers.engine.rules import Organisation as EngineOrganisation
from quartiers.engine.rules.io import dump_call, dump_organisation
from quartiers.frameworks.matching import matcher_for, proposal_problem, result_rows

__all__ = [
    "Suggestion",
    "application_file",
    "application_findings",
    "application_proposal",
    "load_content",
    "make_scorer",
    "objective_suggestions",
    "organisation_to_engine",
    "proposal_of",
    "provided_document_types",
]


def organisation_to_engine(org: Organisation) -> EngineOrganisation:
    return EngineOrganisation(legal_name=org.legal_name, siret=org.siret, rna=org.rna, legal_form=org.legal_form,
                              legal_representative=org.representative_name)


def provided_document_types(application: Application) -> tuple[str, ...]:
    types = {d.doc_type for d in application.documents.all()}
    types |= {d.doc_type for d in application.standing_documents.all()}
    return tuple(sorted(types))


def _loaded(application: Application, content: dict) -> ApplicationFile:
    """``content`` read by the engine's loader with the application's call and organisation around it.

    Raises ``ApplicationFormatError`` (French message naming the field) when the content is malformed."""
    return load_application_file({
        "call": dump_call(call_to_engine(application.call)),
        "organisation": dump_organisation(organisation_to_engine(application.organisation)),
        "application": content,
    })


def load_content(application: Application, content: dict) -> EngineApplication:
    """The engine's Application for a Cerfa content about to be stored (what ``application_save`` checks)."""
    return _loaded(application, content).application


def application_file(application: Application, *, with_documents: bool = True) -> ApplicationFile:
    """The engine's view of a stored application. The stored content went through the loader when saved."""
    loaded = _loaded(application, application.content or {"title": application.title})
    app = loaded.application
    if with_documents:
        app = replace(app, documents=provided_document_types(application))
    return replace(loaded, application=app)


def proposal_of(app: EngineApplication) -> Proposal:
    description = "\n".join(p for p in (app.description, app.objectives, app.need, *app.activities) if p.strip())
    return Proposal(title=app.title, description=description)


def make_scorer(matcher, app: EngineApplication):
    """``OBJECTIVE_WEAK_MATCH``'s scorer: the matching engine's score of each objective, computed once."""
    scores: dict[str, float] = {}
    done = False

    def scorer(_application, objective):
        nonlocal done
        if not done:
            done = True
            proposal = proposal_of(app)
            if proposal.title.strip() or proposal.description.strip():
                try:
                    for m in matcher.match(proposal, None).matches:
                        scores[m.objective.key] = max(scores.get(m.objective.key, 0.0), m.score)
                except MatchingError:
                    pass
        return scores.get(objective.key)

    return scorer


def application_findings(application: Application, *, now: datetime | None = None,
                         file: ApplicationFile | None = None) -> list[Finding]:
    """What the rules find in the application at ``now``; ``file`` is its ``application_file`` when the caller
    already built it (the edit page does)."""
    now = now or timezone.now()
    file = file or application_file(application)
    matcher = matcher_for(application.call.framework_version)
    app = file.application
    if application.submitted_at and not app.submitted_at:
        app = replace(app, submitted_at=application.submitted_at)
    return check_application(app, call=file.call, framework=matcher.framework, organisation=file.organisation,
                             now=now, scorer=make_scorer(matcher, app))


@dataclass(frozen=True)
class Suggestion:
    neighbourhood_name: str
    neighbourhood_code: str
    rows: list
    no_match: bool
    problem: str = ""

    @property
    def name(self) -> str:
        return self.neighbourhood_name

    @property
    def code(self) -> str:
        return self.neighbourhood_code


def application_proposal(application: Application) -> Proposal:
    """What the engine reads of an application: its title and its need, objectives, description and activities."""
    content = application.content or {}
    return proposal_of(EngineApplication(
        title=content.get("title", application.title), need=content.get("need", ""),
        objectives=content.get("objectives", ""), description=content.get("description", ""),
        activities=tuple(content.get("activities", ()))))


def objective_suggestions(application: Application, limit: int = 5, *, examples=()) -> list[Suggestion]:
    """For each chosen neighbourhood, the objectives the description serves, best first, with the evidence
    (each row also carries its ``rank`` and, with confirmed ``examples``, the nearest ``similar_cases``)."""
    content = application.content or {}
    matcher = matcher_for(application.call.framework_version)
    proposal = application_proposal(application)
    problem = proposal_problem(proposal.title, proposal.description)
    text = " — ".join(p for p in (proposal.title, proposal.description) if p)
    out = []
    for code in content.get("neighbourhoods", []):
        try:
            hood = matcher.neighbourhood(code)
        except MatchingError:
            continue
        if problem:
            out.append(Suggestion(hood.name, hood.code, [], True, problem))
            continue
        result = matcher.match(proposal, hood, examples=list(examples))
        rows = result_rows(result, text, limit)
        for rank, row in enumerate(rows, start=1):
            row["rank"] = rank
            row["similar_cases"] = row["match"].similar_cases
        out.append(Suggestion(hood.name, hood.code, rows, result.no_match))
    return out
