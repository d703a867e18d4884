"""Query budgets of the main staff and public pages, on situations built by the factories.

Two contracts side by side: a small one (3 applications) and a large one (30 applications at every stage, 12 of
them on the committee's agenda). Each page is read once per contract; both readings must stay within the page's
budget, the figure measured on the small contract: a page whose count grows with the number of applications,
assessments or decisions (an N+1 query) fails here. (The match page serves the published framework through the
matcher cache: its first reading builds the matcher, the second costs one query.)
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from quartiers.applications.models import Status
from quartiers.reviews.models import CommitteeSession
from tests.factories import (
    ALES_QPVS,
    NIMES_QPVS,
    YOUTH,
    ApplicationFactory,
    CallFactory,
    ContractFactory,
    ContractMemberFactory,
    administrator_of,
    project_lead_of,
)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMALL = (Status.SUBMITTED, Status.REVIEWED, Status.DECIDED)
LARGE = (Status.SUBMITTED, Status.ADMISSIBLE, Status.REVIEWED, Status.DECIDED, Status.REFUSED) * 6


@dataclass
class Situation:
    call: object
    lead: object  # the contract's project lead (also staff)
    applicant: object  # administrator of the organisation of every application
    decided: object  # a voted application
    session: object  # the committee session where it was voted
    code: str  # a QPV of the contract
    objective_key: str  # the youth objective of that QPV


def _situation(slug: str, qpvs: dict, statuses) -> Situation:
    from quartiers.frameworks.models import Objective
    from quartiers.reviews.committee.services import session_close

    call = CallFactory(contract=ContractFactory(slug=slug, qpvs=qpvs), slug=f"{slug}-2027")
    lead = project_lead_of(call.contract)
    lead.is_staff = True
    lead.save()
    for role in ("reviewer_for_funder", "funder_representative", "committee", "resident", "observer"):
        ContractMemberFactory(contract=call.contract, **{role: True})
    first = ApplicationFactory(call=call, status=statuses[0])
    apps = [first] + [ApplicationFactory(call=call, organisation=first.organisation, status=s) for s in statuses[1:]]
    decided = next(a for a in apps if a.status == Status.DECIDED)
    code = sorted(qpvs)[0]
    objective = Objective.objects.get(theme__section__version=call.framework_version,
                                      theme__section__neighbourhood__code=code, text__startswith=YOUTH)
    session = CommitteeSession.objects.get(call=call)
    session_close(session=session, by=lead)  # the decisions are notified: the applicant reads the letter
    return Situation(call=call, lead=lead, applicant=administrator_of(first.organisation), decided=decided,
                     session=session, code=code, objective_key=objective.key)


@pytest.fixture(scope="module")
def situations(django_db_setup, django_db_blocker):
    from django.test import override_settings

    with django_db_blocker.unblock(), transaction.atomic(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield {"small": _situation("ales", ALES_QPVS, SMALL), "large": _situation("nimes", NIMES_QPVS, LARGE)}
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shared_client():
    return Client()


# page → (reader: "anonymous", "lead" or "applicant"; the URL of a situation s)
PAGES = {
    "public home": ("anonymous", lambda s: reverse("core:home")),
    "public contract": ("anonymous", lambda s: reverse("frameworks:contract", args=[s.call.contract.slug])),
    "public neighbourhood": ("anonymous", lambda s: reverse("frameworks:neighbourhood", args=[s.code])),
    "public objective": ("anonymous", lambda s: reverse("frameworks:objective", args=[s.code, s.objective_key])),
    "public search": ("anonymous", lambda s: reverse("frameworks:search") + "?q=jeunes"),
    "match page": ("anonymous", lambda s: reverse("frameworks:match") + f"?quartier={s.code}"),
    "calls list": ("anonymous", lambda s: reverse("calls:list")),
    "call detail": ("anonymous", lambda s: reverse("calls:detail", args=[s.call.slug])),
    "staff calls": ("lead", lambda s: reverse("calls:staff_calls")),
    "staff call": ("lead", lambda s: reverse("calls:staff_call", args=[s.call.pk])),
    "staff framework version": ("lead", lambda s: reverse("frameworks:staff_version",
                                                          args=[s.call.framework_version.pk])),
    "review home": ("lead", lambda s: reverse("reviews:home")),
    "queue": ("lead", lambda s: reverse("reviews:queue", args=[s.call.slug])),
    "review page": ("lead", lambda s: reverse("reviews:application", args=[s.decided.pk])),
    "committee sessions": ("lead", lambda s: reverse("reviews:sessions", args=[s.call.slug])),
    "committee session": ("lead", lambda s: reverse("reviews:session", args=[s.session.pk])),
    "programme": ("lead", lambda s: reverse("programme:table", args=[s.call.slug])),
    "applicant dashboard": ("applicant", lambda s: reverse("applications:dashboard")),
    "decision letter": ("applicant", lambda s: reverse("reviews:letter", args=[s.decided.pk])),
}
# The figures measured (SQLite), the same for 3 and for 30 applications.
BUDGETS = {
    "public home": 6, "public contract": 4, "public neighbourhood": 9, "public objective": 5, "public search": 3,
    "match page": 7, "calls list": 6, "call detail": 3, "staff calls": 4, "staff call": 7,
    "staff framework version": 12, "review home": 6, "queue": 12, "review page": 34, "committee sessions": 6,
    "committee session": 18, "programme": 13, "applicant dashboard": 7, "decision letter": 7,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_query_budget_holds_when_the_situation_grows(name, situations, shared_client, db,
                                                          django_assert_max_num_queries, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    reader, url = PAGES[name]
    counts = {}
    for size, s in situations.items():
        shared_client.logout()
        if reader != "anonymous":
            shared_client.force_login(getattr(s, reader))
        with django_assert_max_num_queries(BUDGETS[name]) as ctx:
            response = shared_client.get(url(s))
        assert response.status_code == 200, (name, size, response.status_code)
        counts[size] = len(ctx.captured_queries)
    assert counts["large"] <= counts["small"], counts  # ten times the applications, not one query more
