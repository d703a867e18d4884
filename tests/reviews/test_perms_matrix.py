"""Every role against every page and action of the review side, the committee, the programme and the applicant's
pages that show review information: nobody sees or changes what is not theirs.

The expected outcome of each cell is written in ``MATRIX`` below (one line per page or action, one column per role);
each cell is its own test, e.g. ``test_matrix[observer-assessment_a_post]``. The world (the demo call ``ales-2027``
and the extra people of ``matrix_setup.py``) is built once for the module; each test runs in its own savepoint.

Cells:
  ok     allowed: a page answers 200 (a file too); an action answers 302 (back to its page) and its row is written
  login  anonymous: 302 to the login page
  403    refused with the 403 page (a whole call's pages)
  404    refused as if the object did not exist
  400    refused with a French message naming the reason (the page shows again), nothing written
  none   the landing page of someone without a role here: 200 or 403, and none of the contract's calls listed
A refused action writes nothing: the rows it would change are compared before and after.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, resolve, reverse

from quartiers.applications.models import Application
from quartiers.reviews.models import (
    Admissibility,
    Advice,
    AgendaItem,
    Assessment,
    CommitteeSession,
    ConfirmedMatch,
    ConflictOfInterest,
    ContractInvitation,
    ContractMember,
    Decision,
    InfoRequest,
    SavedView,
    ScoringCriterion,
)
from quartiers.territories.models import Contract
from tests.reviews.matrix_setup import (
    ADVICE,
    ASSESSMENT_A,
    ASSESSMENT_B,
    DECIDED_ASSESSMENT,
    DECIDED_CONDITIONS,
    FAST_HASHERS,
    PROPOSED_A,
    PROPOSED_TOTAL,
    ROLES,
    World,
    build_world,
)

COLUMNS = {  # the header of MATRIX → the role (the account that plays it: matrix_setup.ROLES)
    "anon": "anonymous",
    "appl": "applicant",  # a member of the organisation of the application the page is about
    "oapp": "other_applicant",  # a member of another organisation
    "none": "no_role",  # signed in, no role anywhere
    "lead": "project_lead",
    "rev": "reviewer",  # attached to no funder
    "revA": "reviewer_funder_a",  # attached to funder A (the State)
    "funA": "funder_a",  # representative of funder A (the State)
    "funB": "funder_b",  # representative of funder B (Alès Agglomération)
    "comm": "committee",
    "res": "resident",  # conseil citoyen
    "obs": "observer",
    "oth": "other_contract",  # project lead of another contract
    "conf": "conflicted_reviewer",  # a reviewer who declared a conflict on every application used below
}

MATRIX = """
page or action        anon   appl   oapp   none   lead   rev    revA   funA   funB   comm   res    obs    oth    conf
home                  login  none   none   none   ok     ok     ok     ok     ok     ok     ok     ok     none   ok
queue                 login  403    403    403    ok     ok     ok     ok     ok     ok     ok     ok     403    ok
queue_csv             login  403    403    403    ok     ok     ok     ok     ok     ok     403    ok     403    ok
view_save             login  403    403    403    ok     ok     ok     ok     ok     ok     ok     ok     403    ok
view_delete           login  403    403    403    ok     404    404    404    404    404    404    404    403    404
members               login  403    403    403    ok     403    403    403    403    403    403    403    403    403
members_post          login  403    403    403    ok     403    403    403    403    403    403    403    403    403
grid                  login  403    403    403    ok     403    403    403    403    403    403    403    403    403
grid_post             login  403    403    403    ok     403    403    403    403    403    403    403    403    403
application           login  404    404    404    ok     ok     ok     ok     ok     ok     ok     ok     404    ok
application_submitted login  404    404    404    ok     ok     ok     ok     ok     ok     ok     ok     404    ok
application_advice    login  404    404    404    ok     ok     ok     ok     ok     ok     ok     ok     404    ok
application_draft     login  404    404    404    404    404    404    404    404    404    404    404    404    404
document              login  404    404    404    ok     ok     ok     ok     ok     ok     404    ok     404    ok
document_structure    login  404    404    404    ok     ok     ok     ok     ok     ok     404    ok     404    ok
admissibility         login  404    404    404    ok     ok     ok     404    404    404    404    404    404    404
confirm_match         login  404    404    404    ok     ok     ok     404    404    404    404    404    404    404
assessment_a          login  404    404    404    ok     ok     ok     ok     404    404    404    404    404    404
assessment_a_post     login  404    404    404    ok     ok     ok     ok     404    404    404    404    404    404
assessment_b          login  404    404    404    ok     ok     404    404    ok     404    404    404    404    404
assessment_b_post     login  404    404    404    ok     ok     404    404    ok     404    404    404    404    404
conflict              login  404    404    404    ok     ok     ok     ok     ok     ok     ok     ok     404    404
info_request          login  404    404    404    ok     ok     ok     404    404    404    404    404    404    404
advice                login  404    404    404    404    404    404    404    404    404    ok     404    404    404
mark_reviewed         login  404    404    404    ok     ok     ok     404    404    404    404    404    404    404
info_answer           login  ok     404    404    404    404    404    404    404    404    404    404    404    404
sessions              login  403    403    403    ok     ok     ok     ok     ok     ok     403    ok     403    ok
sessions_post         login  403    403    403    ok     403    403    403    403    403    403    403    403    403
session               login  404    404    404    ok     ok     ok     ok     ok     ok     404    ok     404    ok
agenda                login  404    404    404    ok     404    404    404    404    404    404    404    404    404
decide_a              login  404    404    404    ok     404    404    ok     404    404    404    404    404    400
decide_b              login  404    404    404    ok     404    404    404    ok     404    404    404    404    400
session_close         login  404    404    404    ok     404    404    404    404    404    404    404    404    404
letter                login  ok     404    404    ok     ok     ok     ok     ok     ok     404    ok     404    ok
letter_unnotified     login  404    404    404    ok     ok     ok     ok     ok     ok     404    ok     404    ok
letter_pdf            login  ok     404    404    ok     ok     ok     ok     ok     ok     404    ok     404    ok
letter_pdf_unnotified login  404    404    404    ok     ok     ok     ok     ok     ok     404    ok     404    ok
notify                login  404    404    404    ok     404    404    404    404    404    404    404    404    404
programme             login  403    403    403    ok     ok     ok     ok     ok     ok     403    ok     403    ok
programme_export      login  403    403    403    ok     ok     ok     ok     ok     ok     403    ok     403    ok
scdl_a                login  403    403    403    ok     403    403    ok     403    403    403    403    403    403
scdl_b                login  403    403    403    ok     403    403    403    ok     403    403    403    403    403
receipt               login  ok     404    404    404    404    404    404    404    404    404    404    404    404
receipt_unnotified    login  ok     404    404    404    404    404    404    404    404    404    404    404    404
receipt_info          login  ok     404    404    404    404    404    404    404    404    404    404    404    404
platform              login  403    403    403    403    403    403    403    403    403    403    403    403    403
platform_create       login  403    403    403    403    403    403    403    403    403    403    403    403    403
platform_create_post  login  403    403    403    403    403    403    403    403    403    403    403    403    403
"""


# Roles that read the funders' assessments, scores and proposed amounts (insiders without a conflict).
SEE_ASSESSMENTS = {"project_lead", "reviewer", "reviewer_funder_a", "funder_a", "funder_b", "committee", "observer"}


def _parse(text: str) -> dict[tuple[str, str], str]:
    lines = [line.split() for line in text.strip().splitlines()]
    header = [COLUMNS[c] for c in lines[0][3:]]  # "page or action" takes three words
    cells = {}
    for action, *outcomes in lines[1:]:
        assert len(outcomes) == len(header), action
        cells.update({(role, action): outcome for role, outcome in zip(header, outcomes, strict=True)})
    return cells


CELLS = _parse(MATRIX)


# --- the pages and actions -------------------------------------------------------------------------------------


@dataclass
class Page:
    """One page or action: its URL, what it posts, which application it is about (for the « applicant » row), the
    rows it writes (compared before and after), and what only some roles may read on it."""

    url: object  # World → str
    post: object = None  # (World, user) → dict, for an action
    about: object = None  # World → Application
    state: object = None  # World → a comparable value of the rows the action writes
    secrets: tuple[str, ...] = ()  # text shown to the roles of ``readers`` only
    readers: set = field(default_factory=set)
    shown: tuple[str, ...] = ()  # text every allowed role reads on the page (proves the page is the real one)


def _rows(qs, *fields):
    return sorted(qs.values_list(*fields))


def _assessment_post(funder):
    def data(w: World, _user) -> dict:
        current = Assessment.objects.get(application=w.reviewed, funder=funder(w))
        p = f"f{funder(w).pk}"
        return {f"{p}-version": current.version, f"{p}-opinion": "reserved", f"{p}-proposed_amount": "5 000",
                f"{p}-comment": "Avis de la matrice des droits."}
    return data


def _assessment_state(funder):
    return lambda w: _rows(Assessment.objects.filter(application=w.reviewed, funder=funder(w)),
                           "version", "opinion", "comment")


def _decision_post(funder):
    def data(w: World, _user) -> dict:
        p = f"d{w.reviewed.pk}-{funder(w).pk}"
        return {"funder": funder(w).pk, f"{p}-outcome": "granted", f"{p}-amount": "4 000",
                f"{p}-decided_on": "2027-02-09", f"{p}-payment_terms": "unique", f"{p}-payment_dates": "2027-03-01"}
    return data


def _grid_post(w: World, _user) -> dict:
    criteria = list(ScoringCriterion.objects.filter(call=w.call).order_by("position", "pk"))
    data = {"criteres-TOTAL_FORMS": len(criteria), "criteres-INITIAL_FORMS": len(criteria),
            "criteres-MIN_NUM_FORMS": 0, "criteres-MAX_NUM_FORMS": 1000}
    for i, c in enumerate(criteria):
        data.update({f"criteres-{i}-id": c.pk, f"criteres-{i}-label": c.label + (" (révisé)" if i == 0 else ""),
                     f"criteres-{i}-help_text": c.help_text, f"criteres-{i}-weight": str(c.weight).replace(".", ","),
                     f"criteres-{i}-scale_max": c.scale_max, f"criteres-{i}-position": c.position})
    return data


def _call_url(name: str, *more):
    return lambda w: reverse(name, args=[w.call.slug, *more])


ASSESSMENT_SECRETS = (ASSESSMENT_A, ASSESSMENT_B)
ETAT, AGGLO = (lambda w: w.funder_a), (lambda w: w.funder_b)

PAGES: dict[str, Page] = {
    "home": Page(url=lambda w: reverse("reviews:home"), shown=("Appel à projets 2027",)),
    # The platform staff's pages (superusers; no contract role opens them).
    "platform": Page(url=lambda w: reverse("core:platform_contracts"), shown=("Contrats de la plateforme",)),
    "platform_create": Page(url=lambda w: reverse("core:platform_contract_create"), shown=("Créer le contrat",)),
    "platform_create_post": Page(url=lambda w: reverse("core:platform_contract_create"),
                                 post=lambda w, u: {"code": "CN03005I", "lead_email": "nouvelle@agglo.fr"},
                                 state=lambda w: (_rows(Contract.objects.all(), "slug"),
                                                  _rows(ContractInvitation.objects.all(), "email"))),
    "queue": Page(url=_call_url("reviews:queue"), shown=("Permanences d'accès aux droits",),
                  secrets=(PROPOSED_TOTAL[0],), readers=SEE_ASSESSMENTS),
    "queue_csv": Page(url=lambda w: _call_url("reviews:queue_csv")(w) + "?colonnes=reference&colonnes=proposed_total",
                      shown=(";Total proposé",), secrets=(PROPOSED_TOTAL[1],), readers=SEE_ASSESSMENTS),
    "view_save": Page(url=_call_url("reviews:view_save"), post=lambda w, u: {"name": "Dossiers instruits",
                                                                              "query": "statut=reviewed"},
                      state=lambda w: _rows(SavedView.objects.filter(call=w.call), "user", "name", "query")),
    "view_delete": Page(url=lambda w: reverse("reviews:view_delete", args=[w.call.slug, w.saved_view.pk]),
                        post=lambda w, u: {}, state=lambda w: _rows(SavedView.objects.all(), "pk")),
    "members": Page(url=_call_url("reviews:members"), shown=("Courriel du compte",)),
    "members_post": Page(url=_call_url("reviews:members"),
                         post=lambda w, u: {"action": "add", "email": w.users["no_role"].email, "role": "observer"},
                         state=lambda w: _rows(ContractMember.objects.all(), "contract", "user", "role")),
    "grid": Page(url=_call_url("reviews:grid"), shown=("Capacité à faire du porteur",)),
    "grid_post": Page(url=_call_url("reviews:grid"), post=_grid_post,
                      state=lambda w: _rows(ScoringCriterion.objects.filter(call=w.call), "label", "weight")),
    "application": Page(url=lambda w: reverse("reviews:application", args=[w.reviewed.pk]),
                        shown=("Permanences d'accès aux droits aux Prés Saint-Jean",),
                        secrets=(*ASSESSMENT_SECRETS, PROPOSED_A[0]), readers=SEE_ASSESSMENTS),
    "application_advice": Page(url=lambda w: reverse("reviews:application", args=[w.reviewed.pk]),
                               secrets=(ADVICE,), readers=SEE_ASSESSMENTS | {"resident"}),  # the resident wrote it
    "application_draft": Page(url=lambda w: reverse("reviews:application", args=[w.draft.pk]),
                              about=lambda w: w.draft),
    "application_submitted": Page(url=lambda w: reverse("reviews:application", args=[w.submitted.pk]),
                                  shown=("Atelier de création de jeux vidéo",)),
    "document": Page(url=lambda w: reverse("reviews:document", args=[w.reviewed.pk, w.document.pk]),
                     shown=("%PDF",)),
    "document_structure": Page(url=lambda w: reverse("reviews:document", args=[w.reviewed.pk,
                                                                             w.standing_document.pk]) + "?structure=1",
                               shown=("%PDF",)),
    "admissibility": Page(url=lambda w: reverse("reviews:admissibility", args=[w.admissible.pk]),
                          post=lambda w, u: {"verdict": "inadmissible", "reason": "Action hors du contrat de ville."},
                          state=lambda w: (Application.objects.get(pk=w.admissible.pk).status,
                                           _rows(Admissibility.objects.filter(application=w.admissible),
                                                 "admissible", "reason"))),
    "confirm_match": Page(url=lambda w: reverse("reviews:confirm_match", args=[w.admissible.pk]),
                          post=lambda w, u: {"objective": w.objective_pk},
                          state=lambda w: _rows(ConfirmedMatch.objects.filter(application=w.admissible),
                                                "objective", "is_primary")),
    "assessment_a": Page(url=lambda w: reverse("reviews:assessment", args=[w.reviewed.pk, w.funder_a.pk]),
                         shown=(ASSESSMENT_A,)),
    "assessment_a_post": Page(url=lambda w: reverse("reviews:assessment", args=[w.reviewed.pk, w.funder_a.pk]),
                              post=_assessment_post(ETAT), state=_assessment_state(ETAT)),
    "assessment_b": Page(url=lambda w: reverse("reviews:assessment", args=[w.reviewed.pk, w.funder_b.pk]),
                         shown=(ASSESSMENT_B,)),
    "assessment_b_post": Page(url=lambda w: reverse("reviews:assessment", args=[w.reviewed.pk, w.funder_b.pk]),
                              post=_assessment_post(AGGLO), state=_assessment_state(AGGLO)),
    "conflict": Page(url=lambda w: reverse("reviews:conflict", args=[w.reviewed.pk]),
                     post=lambda w, u: {"reason": "ancien salarié"},
                     state=lambda w: _rows(ConflictOfInterest.objects.filter(application=w.reviewed), "user")),
    "info_request": Page(url=lambda w: reverse("reviews:info_request", args=[w.reviewed.pk]),
                         post=lambda w, u: {"question": "Quel est le nombre de permanences prévues en 2027 ?"},
                         state=lambda w: _rows(InfoRequest.objects.filter(application=w.reviewed), "question")),
    "advice": Page(url=lambda w: reverse("reviews:advice", args=[w.reviewed.pk]),
                   post=lambda w, u: {"stance": "reserved", "comment": "Les horaires ne conviennent pas à tous."},
                   state=lambda w: _rows(Advice.objects.filter(application=w.reviewed), "author", "stance",
                                         "comment")),
    "mark_reviewed": Page(url=lambda w: reverse("reviews:mark_reviewed", args=[w.admissible.pk]),
                          post=lambda w, u: {},
                          state=lambda w: Application.objects.get(pk=w.admissible.pk).status),
    "info_answer": Page(url=lambda w: reverse("reviews:info_answer", args=[w.reviewed.pk, w.open_request.pk]),
                        post=lambda w, u: {"answer": "Le budget 2027 est joint au dossier."},
                        about=lambda w: w.reviewed,
                        state=lambda w: _rows(InfoRequest.objects.filter(pk=w.open_request.pk), "answer",
                                              "answered_by")),
    "sessions": Page(url=_call_url("reviews:sessions"), shown=("Comité de programmation — seconde vague",)),
    "sessions_post": Page(url=_call_url("reviews:sessions"),
                          post=lambda w, u: {"title": "Comité de printemps", "date": "2027-04-06", "place": "Alès"},
                          state=lambda w: _rows(CommitteeSession.objects.filter(call=w.call), "title")),
    "session": Page(url=lambda w: reverse("reviews:session", args=[w.open_session.pk]),
                    shown=("Permanences d'accès aux droits",), secrets=(*ASSESSMENT_SECRETS, ADVICE, PROPOSED_A[0]),
                    readers=SEE_ASSESSMENTS),
    "agenda": Page(url=lambda w: reverse("reviews:agenda", args=[w.open_session.pk]),
                   post=lambda w, u: {"action": "add", "applications": [w.admissible.pk]},
                   state=lambda w: _rows(AgendaItem.objects.filter(session=w.open_session), "application")),
    "decide_a": Page(url=lambda w: reverse("reviews:decide", args=[w.open_session.pk, w.reviewed.pk]),
                     post=_decision_post(ETAT),
                     state=lambda w: _rows(Decision.objects.filter(application=w.reviewed), "funder", "amount")),
    "decide_b": Page(url=lambda w: reverse("reviews:decide", args=[w.open_session.pk, w.reviewed.pk]),
                     post=_decision_post(AGGLO),
                     state=lambda w: _rows(Decision.objects.filter(application=w.reviewed), "funder", "amount")),
    "session_close": Page(url=lambda w: reverse("reviews:session_close", args=[w.open_session.pk]),
                          post=lambda w, u: {},
                          state=lambda w: CommitteeSession.objects.get(pk=w.open_session.pk).status),
    "letter": Page(url=lambda w: reverse("reviews:letter", args=[w.decided.pk]), about=lambda w: w.decided,
                   shown=(DECIDED_CONDITIONS,)),
    "letter_unnotified": Page(url=lambda w: reverse("reviews:letter", args=[w.unnotified.pk]),
                              about=lambda w: w.unnotified, shown=("Jardin partagé de l'Écusson",)),
    "letter_pdf": Page(url=lambda w: reverse("reviews:letter_pdf", args=[w.decided.pk]), about=lambda w: w.decided,
                       shown=("%PDF",)),
    "letter_pdf_unnotified": Page(url=lambda w: reverse("reviews:letter_pdf", args=[w.unnotified.pk]),
                                  about=lambda w: w.unnotified, shown=("%PDF",)),
    "notify": Page(url=lambda w: reverse("reviews:notify", args=[w.unnotified.pk]), post=lambda w, u: {},
                   state=lambda w: _rows(Decision.objects.filter(application=w.unnotified, notified_at__isnull=True),
                                         "pk")),
    "programme": Page(url=lambda w: reverse("programme:table", args=[w.call.slug]),
                      shown=("Permis solidaire et atelier mobilité",), secrets=(PROPOSED_A[0],),
                      readers=SEE_ASSESSMENTS),
    "programme_export": Page(url=lambda w: reverse("programme:export", args=[w.call.slug, "csv"]),
                             shown=("Permis solidaire et atelier mobilité",), secrets=(PROPOSED_A[1],),
                             readers=SEE_ASSESSMENTS),
    "scdl_a": Page(url=lambda w: reverse("programme:scdl", args=[w.call.slug, w.funder_a.siret])),
    "scdl_b": Page(url=lambda w: reverse("programme:scdl", args=[w.call.slug, w.funder_b.siret])),
    "receipt": Page(url=lambda w: reverse("applications:receipt", args=[w.decided.pk]), about=lambda w: w.decided,
                    shown=("Décisions du comité de programmation", DECIDED_CONDITIONS),
                    secrets=(DECIDED_ASSESSMENT,)),
    "receipt_unnotified": Page(url=lambda w: reverse("applications:receipt", args=[w.unnotified.pk]),
                               about=lambda w: w.unnotified, shown=("Jardin partagé de l'Écusson",),
                               secrets=("Décisions du comité de programmation",)),  # not notified yet
    "receipt_info": Page(url=lambda w: reverse("applications:receipt", args=[w.reviewed.pk]),
                         about=lambda w: w.reviewed,
                         shown=("Joignez le budget prévisionnel de la structure pour 2027.",),
                         secrets=(*ASSESSMENT_SECRETS, PROPOSED_A[0])),
}


def test_the_matrix_covers_every_page_and_role():
    assert {action for _, action in CELLS} == set(PAGES)
    assert {role for role, _ in CELLS} == set(ROLES)
    assert len(CELLS) == len(PAGES) * len(ROLES)


def _route_names(namespace: str) -> set[str]:
    _, resolver = get_resolver().namespace_dict[namespace]
    return {f"{namespace}:{p.name}" for p in resolver.url_patterns if p.name}


def test_the_matrix_covers_every_route(world):
    """A page added to reviews/urls*.py or programme/urls.py without its line in the matrix fails here."""
    tried = {resolve(urlsplit(page.url(world)).path).view_name for page in PAGES.values()}
    assert _route_names("reviews") | _route_names("programme") | {"applications:receipt"} <= tried
    assert {"core:platform_contracts", "core:platform_contract_create"} <= tried


# --- the world, once per module ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shared_client():
    """One client for the module: each new client loads the middleware again, and WhiteNoise's scan of the static
    files costs more than half a second."""
    return Client()


@pytest.fixture
def client(shared_client, db):
    shared_client.logout()
    return shared_client


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def _text(response) -> str:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    # No response.close() here: the test client already closed the response (a second close would fire
    # request_finished, whose handler closes the database connection inside the module's transaction on PostgreSQL).
    text = body.decode("utf-8", errors="replace")
    return re.sub(r"[\u202f\u00a0]", " ", html.unescape(text))


def _cells():
    for role, action in sorted(CELLS, key=lambda cell: (list(PAGES).index(cell[1]), cell[0])):
        yield pytest.param(role, action, id=f"{role}-{action}")


@pytest.mark.parametrize(("role", "action"), list(_cells()))
def test_matrix(role, action, world, client, db):
    w, page, expected = world, PAGES[action], CELLS[(role, action)]
    about = page.about(w) if page.about else w.reviewed  # call-level pages: the reviewed application's applicant
    user = w.user(role, about) if role == "applicant" else w.users[role]
    if user is not None:
        client.force_login(user)
    url = page.url(w)
    before = page.state(w) if page.state else None
    response = client.post(url, page.post(w, user)) if page.post else client.get(url)
    text = _text(response)
    after = page.state(w) if page.state else None
    cell = f"{role} × {action}: got {response.status_code}"

    if expected == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("core:login")), cell
    elif expected == "none":
        assert response.status_code in (200, 403), cell
        assert w.call.title not in text, cell
    elif expected == "ok":
        assert response.status_code == (302 if page.post else 200), cell
        for shown in page.shown:
            assert shown in text, f"{cell}, « {shown} » missing"
        if page.post:
            assert after != before, f"{cell}, nothing written"
        for secret in page.secrets:
            if role in page.readers:
                assert secret in text, f"{cell}, « {secret} » missing"
            else:
                assert secret not in text, f"{cell}, « {secret} » leaks"
    else:
        assert response.status_code == int(expected), cell
        for shown in page.shown + page.secrets:
            assert shown not in text, f"{cell}, « {shown} » leaks"
    if expected != "ok" and page.post:
        assert after == before, f"{cell}, written although refused"
        assert mail.outbox == [], f"{cell}, an e-mail was sent although refused"


# --- one object through another's URL --------------------------------------------------------------------------


def test_an_applicant_cannot_answer_the_request_of_another_application(world, client):
    w = world
    client.force_login(w.user("applicant", w.decided))
    response = client.post(reverse("reviews:info_answer", args=[w.decided.pk, w.open_request.pk]),
                           {"answer": "Réponse glissée sur le dossier d'une autre structure."})
    assert response.status_code == 404
    w.open_request.refresh_from_db()
    assert (w.open_request.answer, w.open_request.answered_at) == ("", None)


def test_a_decision_needs_the_application_on_the_sessions_agenda(world, client):
    w = world
    client.force_login(w.users["project_lead"])
    p = f"d{w.admissible.pk}-{w.funder_a.pk}"
    response = client.post(reverse("reviews:decide", args=[w.open_session.pk, w.admissible.pk]),
                           {"funder": w.funder_a.pk, f"{p}-outcome": "granted", f"{p}-amount": "7000",
                            f"{p}-payment_terms": "unique"})
    assert response.status_code == 404
    assert not Decision.objects.filter(application=w.admissible).exists()


def test_no_assessment_for_a_funder_the_application_does_not_ask(world, client):
    w = world
    caf = w.call.contract.funders.get(kind="caf")
    client.force_login(w.users["project_lead"])
    assert client.get(reverse("reviews:assessment", args=[w.reviewed.pk, caf.pk])).status_code == 404


@pytest.mark.parametrize("action", ["remove", "change"])
def test_the_members_page_cannot_touch_another_contracts_member(world, client, action):
    w = world
    other = ContractMember.objects.get(user=w.users["other_contract"])
    client.force_login(w.users["project_lead"])
    response = client.post(reverse("reviews:members", args=[w.call.slug]),
                           {"action": action, "member": other.pk, "role": "observer"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert (other.contract.slug, other.role) == ("nimes", "project_lead")


def test_the_agenda_cannot_remove_an_item_of_another_session(world, client):
    w = world
    item = AgendaItem.objects.exclude(session=w.open_session).first()
    client.force_login(w.users["project_lead"])
    response = client.post(reverse("reviews:agenda", args=[w.open_session.pk]),
                           {"action": "remove", "item": item.pk}, follow=True)
    assert "Ce point n'est pas à l'ordre du jour de la séance." in _text(response)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_document_is_read_only_through_its_own_application(world, client):
    w = world
    client.force_login(w.users["project_lead"])
    url = reverse("reviews:document", args=[w.reviewed.pk, w.other_document.pk])  # the decided one's document
    assert client.get(url).status_code == 404
    assert client.get(url + "?structure=1").status_code == 404
    other_standing = w.decided.standing_documents.order_by("pk")[0]  # another organisation's, not attached here
    url = reverse("reviews:document", args=[w.reviewed.pk, other_standing.pk])
    assert client.get(url + "?structure=1").status_code == 404
    response = client.get(reverse("reviews:document", args=[w.decided.pk, w.other_document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)  # consumed through the client's wrapper, which closes the file


def test_the_programme_hides_the_instruction_of_an_application_from_a_recused_member(world, client):
    """Its lines keep the request and the decision, without the opinion and the proposed amount, and the totals
    leave that amount out, as the queue and the review page do."""
    w = world
    url = reverse("programme:table", args=[w.call.slug]) + f"?financeur={w.funder_a.pk}"
    client.force_login(w.users["project_lead"])
    full = client.get(url).context["programme"]
    client.force_login(w.users["conflicted_reviewer"])
    seen = client.get(url).context["programme"]
    recused = set(ConflictOfInterest.objects.filter(user=w.users["conflicted_reviewer"])
                  .values_list("application_id", flat=True))
    assert [(r.application_id, r.requested, r.granted) for r in seen.rows] == [
        (r.application_id, r.requested, r.granted) for r in full.rows]
    assert ("favorable", Decimal("8765.00")) in [(r.opinion, r.proposed) for r in full.rows]
    for mine, lead in zip(seen.rows, full.rows, strict=True):
        hidden = mine.application_id in recused
        assert (mine.opinion, mine.proposed) == (("", None) if hidden else (lead.opinion, lead.proposed))
    hidden_total = sum((r.proposed or 0 for r in full.rows if r.application_id in recused), Decimal(0))
    assert hidden_total >= Decimal("8765.00")
    assert seen.total.proposed == full.total.proposed - hidden_total
    assert [t.proposed for _, t in seen.per_funder] == [full.total.proposed - hidden_total]
    assert (seen.total.requested, seen.total.granted) == (full.total.requested, full.total.granted)


def test_the_session_totals_leave_out_what_was_proposed_on_a_recused_members_applications(world, client):
    w = world
    agenda = [w.reviewed.pk, w.admissible.pk]
    client.force_login(w.users["project_lead"])
    client.post(reverse("reviews:agenda", args=[w.open_session.pk]), {"action": "add", "applications": agenda[1:]})
    assert sorted(AgendaItem.objects.filter(session=w.open_session).values_list("application", flat=True)) == \
        sorted(agenda)
    url = reverse("reviews:session", args=[w.open_session.pk])
    proposed = {f.funder.pk: f.proposed for f in client.get(url).context["totals"].funders}
    assert proposed[w.funder_a.pk] == Decimal("8765.00") + Decimal("7000.00")
    assert proposed[w.funder_b.pk] == Decimal("4321.00")
    client.force_login(w.users["conflicted_reviewer"])
    totals = client.get(url).context["totals"]
    assert {f.funder.pk: f.proposed for f in totals.funders} == {pk: Decimal(0) for pk in proposed}
    client.force_login(w.users["committee"])
    assert {f.funder.pk: f.proposed for f in client.get(url).context["totals"].funders} == proposed
