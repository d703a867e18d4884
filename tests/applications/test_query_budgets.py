"""Query budgets of the applicant's pages, on a warm matcher cache: the figures measured when they were set.

A page that goes over its budget runs a query per row or rebuilds something it could read from the row: find the
new query before raising a figure. The edit page and the autosave were at 39 and 65 queries before the engine
adapter read the call once and the matcher cache stopped rebuilding the framework to know its key.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quartiers.applications.models import Role, Status
from quartiers.applications.services import application_create, application_document_store, application_submit
from tests.applications.factories import YOUTH, anduze_post, objective_value, pdf_bytes

pytestmark = pytest.mark.django_db

EDIT_PAGE = 13
AUTOSAVE = 23
DASHBOARD = 6
ORGANISATION_PAGE = 9
RECEIPT = 15
SUBMIT_PAGE = 13
STAFF_LIST = 4


@pytest.fixture
def signatory(organisation):
    return organisation.memberships.get(role=Role.SIGNATORY).user


@pytest.fixture
def post(call):
    return anduze_post(call, objective=objective_value(call, YOUTH))


@pytest.fixture
def draft(client, call, organisation, signatory, post):
    """A completed draft with its documents, the signatory logged in, the page and the cache warm."""
    application = application_create(call=call, organisation=organisation, user=signatory)
    client.force_login(signatory)
    client.post(reverse("applications:autosave", args=[application.pk]), post, HTTP_HX_REQUEST="true")
    for doc_type in ("statutes", "bank_details"):
        application_document_store(application=application, doc_type=doc_type, kind="pdf", user=signatory,
                                   uploaded=SimpleUploadedFile(f"{doc_type}.pdf", pdf_bytes(), "application/pdf"))
    client.get(reverse("applications:edit", args=[application.pk]))
    application.refresh_from_db()
    return application


def test_edit_page(client, draft, rebuilds, django_assert_max_num_queries):
    with django_assert_max_num_queries(EDIT_PAGE):
        response = client.get(reverse("applications:edit", args=[draft.pk]))
    assert response.status_code == 200
    assert rebuilds == []


def test_autosave(client, draft, post, rebuilds, django_assert_max_num_queries):
    with django_assert_max_num_queries(AUTOSAVE):
        response = client.post(reverse("applications:autosave", args=[draft.pk]), post, HTTP_HX_REQUEST="true")
    assert response["X-Draft-Saved"] == "1"
    assert rebuilds == []


def test_submit_page(client, draft, rebuilds, django_assert_max_num_queries):
    with django_assert_max_num_queries(SUBMIT_PAGE):
        response = client.get(reverse("applications:submit", args=[draft.pk]))
    assert response.status_code == 200
    assert rebuilds == []


def test_receipt(client, draft, signatory, django_assert_max_num_queries):
    submitted = application_submit(application=draft, user=signatory, notify=False)
    assert submitted.status == Status.SUBMITTED
    with django_assert_max_num_queries(RECEIPT):
        response = client.get(reverse("applications:receipt", args=[draft.pk]))
    assert submitted.reference in response.content.decode()


def test_dashboard(client, draft, call, organisation, signatory, django_assert_max_num_queries):
    for _ in range(3):  # more applications, same number of queries
        application_create(call=call, organisation=organisation, user=signatory)
    with django_assert_max_num_queries(DASHBOARD):
        response = client.get(reverse("applications:dashboard"))
    assert draft.title in response.content.decode()


def test_organisation_page(client, draft, organisation, django_assert_max_num_queries):
    with django_assert_max_num_queries(ORGANISATION_PAGE):
        response = client.get(reverse("applications:organisation", args=[organisation.pk]))
    assert organisation.legal_name in response.content.decode()


def test_staff_list(client, draft, call, organisation, signatory, make_user, django_assert_max_num_queries):
    for _ in range(3):
        application_create(call=call, organisation=organisation, user=signatory)
    client.force_login(make_user("agent.etat@example.org", is_staff=True))
    with django_assert_max_num_queries(STAFF_LIST):
        response = client.get(reverse("applications:staff_list"))
    assert draft.title in response.content.decode()
