"""Query budgets of every page a user meets, when the instance grows from one contract to many.

One world is read twice: first with a single contract (Alès: a draft, a few applications), then after four more
contracts (other real QPVs, each with a call and applications at every stage) and more applications in Alès itself.
Each page is read at both sizes by the same reader, after one warm-up reading (the matcher cache is warm, as on a
running server); the count must not grow and must stay within the page's budget (the figure measured on one
contract). A page whose count grows queries per contract, per QPV or per application: find the new query (an N+1)
before raising a figure. The national-size timings are in docs/performance.md (bench/bench_national_pages.py).
"""

from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from quartiers.applications.models import Status
from tests.applications.factories import ANDUZE, YOUTH, anduze_post, objective_value
from tests.factories import (
    ALES_QPVS,
    ApplicationFactory,
    CallFactory,
    ContractFactory,
    administrator_of,
    project_lead_of,
)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Real QPVs of other departments, two per contract (codes are unique nationally).
OTHER_CONTRACTS = {
    "montpellier": {"QN03401M": "", "QN03402M": ""},
    "beziers": {"QN03403M": "", "QN03404M": ""},
    "sete": {"QN03405M": "", "QN03406I": ""},
    "lunel": {"QN03407I": "", "QN03408I": ""},
}
FIRST = (Status.DRAFT, Status.SUBMITTED, Status.REVIEWED, Status.DECIDED)
MORE = (Status.SUBMITTED, Status.ADMISSIBLE, Status.REVIEWED, Status.DECIDED, Status.REFUSED)
OTHERS = (Status.SUBMITTED, Status.DECIDED)

# page → budget: the figures measured on one contract (SQLite), the same with five.
BUDGETS = {
    "national home": 6,
    "QPV page": 9,
    "match page": 3,
    "queue": 12,
    "review page": 28,
    "programme": 13,
    "applicant edit page": 13,
    "applicant autosave": 23,
}


@dataclass
class World:
    call: object
    lead: object
    applicant: object
    draft: object
    decided: object
    post: dict


def _pages(w: World) -> dict:
    """page → (reader, method, url)."""
    return {
        "national home": (None, "get", "/"),
        "QPV page": (None, "get", reverse("frameworks:neighbourhood", args=[ANDUZE])),
        "match page": (None, "get", reverse("frameworks:match") + f"?quartier={ANDUZE}"),
        "queue": (w.lead, "get", reverse("reviews:queue", args=[w.call.slug])),
        "review page": (w.lead, "get", reverse("reviews:application", args=[w.decided.pk])),
        "programme": (w.lead, "get", reverse("programme:table", args=[w.call.slug])),
        "applicant edit page": (w.applicant, "get", reverse("applications:edit", args=[w.draft.pk])),
        "applicant autosave": (w.applicant, "post", reverse("applications:autosave", args=[w.draft.pk])),
    }


def _read(w: World) -> dict[str, tuple[int, int]]:
    """page → (status code, queries of the second reading)."""
    out = {}
    for name, (reader, method, url) in _pages(w).items():
        client = Client()
        if reader is not None:
            client.force_login(reader)
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                if method == "post":
                    response = client.post(url, w.post, HTTP_HX_REQUEST="true")
                else:
                    response = client.get(url)
        ok = response.status_code == 200 and (method == "get" or response["X-Draft-Saved"] == "1")
        out[name] = (response.status_code if ok else -response.status_code, len(ctx.captured_queries))
    return out


def _applications(call, organisation, statuses) -> list:
    return [ApplicationFactory(call=call, organisation=organisation, status=s) for s in statuses]


@pytest.fixture(scope="module")
def readings(django_db_setup, django_db_blocker):
    """The counts of every page on one contract, then on five."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call = CallFactory(contract=ContractFactory(slug="ales", qpvs=ALES_QPVS), slug="ales-2027")
        draft = ApplicationFactory(call=call, status=FIRST[0], code=ANDUZE)
        apps = [draft, *_applications(call, draft.organisation, FIRST[1:])]
        w = World(call=call, lead=project_lead_of(call.contract), applicant=administrator_of(draft.organisation),
                  draft=draft, decided=next(a for a in apps if a.status == Status.DECIDED),
                  post=anduze_post(call, objective=objective_value(call, YOUTH)))
        one = _read(w)
        for slug, qpvs in OTHER_CONTRACTS.items():
            other = CallFactory(contract=ContractFactory(slug=slug, qpvs=qpvs), slug=f"{slug}-2027")
            first = ApplicationFactory(call=other, status=OTHERS[0])
            _applications(other, first.organisation, OTHERS[1:])
        _applications(call, draft.organisation, MORE)
        _applications(call, ApplicationFactory(call=call, status=Status.SUBMITTED).organisation, MORE)
        five = _read(w)
        transaction.set_rollback(True)
    return one, five


@pytest.mark.parametrize("name", list(BUDGETS))
def test_page_queries_do_not_grow_with_the_number_of_contracts(name, readings, db):
    one, five = readings
    (status_one, queries_one), (status_five, queries_five) = one[name], five[name]
    assert status_one == status_five == 200, (name, status_one, status_five)
    assert queries_one <= BUDGETS[name], (name, queries_one)
    assert queries_five <= queries_one, (name, {"one contract": queries_one, "five contracts": queries_five})
