"""Organisations with their members, and applications brought to each status through the real services, so that
every move has its transition row (who, when, from, to, why).

``ApplicationFactory(call=…)`` makes a draft; the traits ``submitted``, ``inadmissible``, ``admissible`` (recevable,
en instruction), ``reviewed`` (instruite), ``decided`` (votée), ``refused`` and ``withdrawn`` take it further,
step by step, as the pages would: submission by the organisation's administrator; admissibility, the claimed
objective confirmed and an opinion per requested funder by a reviewer of the contract; decisions by its project
lead in a committee session.
"""

from datetime import date
from decimal import Decimal

import factory
from stdnum import luhn

from quartiers.applications.models import Status
from tests.factories.accounts import UserFactory
from tests.factories.calls import CallFactory
from tests.factories.reviews import project_lead_of, reviewer_of
from tests.factories.territories import YOUTH


def siret(n: int) -> str:
    """A valid SIRET (Luhn keys of the SIREN and of the SIRET) numbered ``n``."""
    base = f"8{n:07d}"
    siren = base + luhn.calc_check_digit(base)
    nic = f"{n % 10000:04d}"
    return f"{siren}{nic}{luhn.calc_check_digit(siren + nic)}"


class OrganisationFactory(factory.Factory):
    """An association made by ``organisation_create``: ``admin`` (a new user by default) is its administrator."""

    class Meta:
        model = object  # built by the applications services, see _create

    admin = factory.SubFactory(UserFactory)
    legal_name = factory.Sequence(lambda n: f"Association n° {n} des quartiers")
    siret = factory.Sequence(lambda n: siret(n + 1))
    rna = factory.Sequence(lambda n: f"W30{n + 1:07d}")
    legal_form = "association"
    street = "12 rue du Luxembourg"
    postcode = "30140"
    commune = "Anduze"
    representative_name = factory.LazyAttribute(lambda o: o.admin.get_full_name() or "Nadia Benali")

    @classmethod
    def _create(cls, model_class, *, admin, **fields):
        from quartiers.applications.services import organisation_create

        return organisation_create(user=admin, **fields)

    _build = _create


def administrator_of(organisation):
    from quartiers.applications.models import Role

    return organisation.memberships.filter(role=Role.ADMINISTRATOR).select_related("user").order_by("pk")[0].user


def application_content(call, *, code: str | None = None, title: str = "Les soirées du local jeunes",
                        requested: dict[str, str] | None = None) -> dict:
    """A complete Cerfa content (schema format) without blocking finding: an evening youth action in the QPV
    ``code`` (the call's first by default) claiming its youth objective, asking each of the call's funders
    (``requested``: kind → amount, 4 000 € each by default), the budget balanced by the association's own funds."""
    from quartiers.frameworks.models import Objective

    funders = {cf.funder.kind: cf.funder.code for cf in call.call_funders.select_related("funder")}
    requested = requested or dict.fromkeys(sorted(funders), "4000.00")
    code = code or call.neighbourhoods.order_by("code").values_list("code", flat=True)[0]
    objective = Objective.objects.get(theme__section__version=call.framework_version,
                                      theme__section__neighbourhood__code=code, text__startswith=YOUTH)
    subsidies = [{"funder": funders[kind], "amount": amount} for kind, amount in requested.items()]
    charges = {"60": "2000.00", "62": "3000.00", "64": "15000.00"}
    asked = sum((Decimal(a) for a in requested.values()), Decimal(0))
    own = Decimal("20000") - Decimal("2000") - asked
    return {
        "title": title,
        "need": "Les adolescents du quartier n'ont aucun lieu ouvert le soir ni le week-end.",
        "objectives": "Ouvrir un accueil encadré en soirée et construire le programme avec les jeunes.",
        "description": ("Ouverture du local jeunes le vendredi soir : activités sportives et culturelles pour les "
                        "adolescents, sorties, projets portés par les jeunes."),
        "activities": ["Accueil du vendredi soir", "Projets de jeunes"],
        "audience": [{"sex": "female", "age_band": "11-14", "count": 12, "qpv_count": 9},
                     {"sex": "male", "age_band": "15-17", "count": 14, "qpv_count": 10}],
        "neighbourhoods": [code],
        "places": ["Local jeunes du quartier"],
        "schedule": [{"kind": "evening", "weekday": "friday", "start": "18:00", "end": "21:00"}],
        "start_date": f"{call.year}-01-08", "end_date": f"{call.year}-12-17", "renewal": False,
        "partners": ["Mission locale"], "means": "Un animateur à mi-temps, deux bénévoles.",
        "indicators": [{"name": "Jeunes accueillis", "target": "26"}],
        "cer": {"attested": True, "signatory": "Nadia Benali", "signed_on": f"{call.year - 1}-11-20"},
        "budget": {"charges": charges, "income": {"70": "2000.00", "74": subsidies, "75": f"{own:.2f}"}},
        "requested": [dict(s) for s in subsidies],
        "claimed_objectives": [{"key": objective.key, "text": objective.text, "neighbourhood": code}],
    }


STAGES = (Status.SUBMITTED, Status.ADMISSIBLE, Status.REVIEWED)  # the path to the committee, in order
INADMISSIBLE_REASON = "Action sur le temps scolaire : elle relève du droit commun de l'Éducation nationale."
REFUSAL_REASON = "Action déjà financée par le droit commun."


class ApplicationFactory(factory.Factory):
    """An application of ``organisation`` to ``call``, brought to ``status`` (a trait per status)."""

    class Meta:
        model = object  # built by the applications and reviews services, see _create

    class Params:
        draft = factory.Trait(status=Status.DRAFT)
        submitted = factory.Trait(status=Status.SUBMITTED)
        withdrawn = factory.Trait(status=Status.WITHDRAWN)
        inadmissible = factory.Trait(status=Status.INADMISSIBLE)
        admissible = factory.Trait(status=Status.ADMISSIBLE)
        reviewed = factory.Trait(status=Status.REVIEWED)
        decided = factory.Trait(status=Status.DECIDED)
        refused = factory.Trait(status=Status.REFUSED)

    status = Status.DRAFT
    call = factory.SubFactory(CallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Les soirées du local jeunes n° {n}")
    code = None  # the QPV of the action (the call's first by default)
    requested = None  # funder kind → amount (every funder of the call, 4 000 € each, by default)
    content = factory.LazyAttribute(lambda o: application_content(o.call, code=o.code, title=o.title,
                                                                   requested=o.requested))

    @classmethod
    def _create(cls, model_class, *, status, call, organisation, content, **_):
        from quartiers.applications.models import Application
        from quartiers.applications.services import application_create, application_submit, application_withdraw

        applicant = administrator_of(organisation)
        app = application_create(call=call, organisation=organisation, user=applicant, content=content)
        if status == Status.DRAFT:
            return app
        app = application_submit(application=app, user=applicant, notify=False)
        if status == Status.WITHDRAWN:
            return application_withdraw(application=app, user=applicant, why="retrait par le porteur")
        if status != Status.SUBMITTED:
            _review(app, status)
        return Application.objects.select_related("call", "organisation").get(pk=app.pk)

    _build = _create


def _review(app, status: str) -> None:
    """From « déposée » to ``status``, through the review and committee services."""
    from quartiers.frameworks.models import Objective
    from quartiers.reviews.committee.services import agenda_add, decision_record, session_create
    from quartiers.reviews.models import CommitteeSession, Opinion, Outcome, SessionStatus
    from quartiers.reviews.review.services import (
        admissibility_set,
        application_mark_reviewed,
        assessment_save,
        match_confirm,
    )

    contract = app.call.contract
    reviewer = reviewer_of(contract)
    if status == Status.INADMISSIBLE:
        admissibility_set(application=app, user=reviewer, admissible=False, reason=INADMISSIBLE_REASON)
        return
    admissibility_set(application=app, user=reviewer, admissible=True)
    if status == Status.ADMISSIBLE:
        return
    claimed = app.claimed_objectives.order_by("pk").first()
    if claimed is not None:  # the reviewer confirms the objective the applicant claimed
        objective = Objective.objects.get(theme__section__version=app.call.framework_version_id,
                                          theme__section__neighbourhood__code=claimed.neighbourhood_code,
                                          key=claimed.objective_key)
        match_confirm(application=app, objective=objective, user=reviewer)
    requests = list(app.funding_requests.select_related("funder").order_by("pk"))
    for r in requests:
        assessment_save(application=app, funder=r.funder, user=reviewer, version=0,
                        opinion=Opinion.FAVOURABLE if status != Status.REFUSED else Opinion.UNFAVOURABLE,
                        proposed_amount=r.amount if status != Status.REFUSED else None)
    application_mark_reviewed(application=app, user=reviewer)
    if status == Status.REVIEWED:
        return
    session = (CommitteeSession.objects.filter(call=app.call).exclude(status=SessionStatus.CLOSED).order_by("pk")
               .first() or session_create(call=app.call, title="Comité de programmation", date=date(2027, 3, 15)))
    agenda_add(session=session, application_ids=[app.pk])
    lead = project_lead_of(contract)
    for r in requests:
        if status == Status.DECIDED:
            decision_record(session=session, application=app, funder=r.funder, by=lead, outcome=Outcome.GRANTED,
                            amount=r.amount, decided_on=session.date)
        else:
            decision_record(session=session, application=app, funder=r.funder, by=lead, outcome=Outcome.REFUSED,
                            reason=REFUSAL_REASON, decided_on=session.date)
