"""Two tabs submit the same application at the same instant: one submission, one clear refusal (PostgreSQL)."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse

from quartiers.applications.models import Application, ApplicationTransition, Role
from quartiers.applications.services import (
    ApplicationError,
    application_create,
    application_document_store,
    application_submit,
)
from tests.applications.factories import YOUTH, anduze_post, objective_value, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_submissions_give_one_reference(client, call, organisation):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are only real on PostgreSQL")
    signatory = organisation.memberships.get(role=Role.SIGNATORY).user
    app = application_create(call=call, organisation=organisation, user=signatory)
    client.force_login(signatory)
    client.post(reverse("applications:autosave", args=[app.pk]),
                anduze_post(call, objective=objective_value(call, YOUTH)), HTTP_HX_REQUEST="true")
    for t in ("statutes", "bank_details"):
        application_document_store(application=app, doc_type=t, kind="pdf", user=signatory,
                                   uploaded=SimpleUploadedFile(f"{t}.pdf", pdf_bytes()))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def tab():
        try:
            barrier.wait()
            done = application_submit(application=Application.objects.get(pk=app.pk), user=signatory,
                                      notify=False)
            outcomes.append(done.reference)
        except ApplicationError as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes)[0] == "ALES-2027-0001"
    assert "a déjà été déposée (dossier ALES-2027-0001)" in sorted(outcomes)[1]
    assert ApplicationTransition.objects.filter(application=app, to_status="submitted").count() == 1
