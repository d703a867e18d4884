"""Uploaded files are checked by their bytes and served only to those allowed; export and import round trip."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quartiers.applications.models import Application, ApplicationDocument, Role, StandingDocument
from quartiers.applications.services import application_create, application_export
from quartiers.applications.validators import sniff_kind
from tests.applications.factories import YOUTH, anduze_post, docx_bytes, objective_value, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(call, organisation):
    return application_create(call=call, organisation=organisation,
                              user=organisation.memberships.get(role=Role.ADMINISTRATOR).user)


def _upload(client, draft, name, data, doc_type="statutes"):
    return client.post(reverse("applications:document_upload", args=[draft.pk]),
                       {"doc_type": doc_type, "file": SimpleUploadedFile(name, data)}, follow=True)


def _odt_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def test_real_files_are_recognised_by_their_bytes():
    assert sniff_kind(pdf_bytes()[:16]) == "pdf"
    assert sniff_kind(png_bytes()[:16]) == "png"
    assert sniff_kind(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "jpeg"
    data = docx_bytes()
    assert sniff_kind(data[:16], data) == "docx"
    data = _odt_bytes()
    assert sniff_kind(data[:16], data) == "odt"
    assert sniff_kind(b"Ceci est un texte.") == ""


def test_text_renamed_to_pdf_is_refused_real_pdf_accepted(client, draft, organisation):
    client.force_login(organisation.memberships.get(role=Role.EDITOR).user)
    response = _upload(client, draft, "statuts.pdf", b"Statuts de l'association, en texte brut.\n")
    assert "ne correspond pas à un fichier PDF" in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    response = _upload(client, draft, "statuts.pdf", pdf_bytes())
    assert "Pièce « statuts.pdf » ajoutée" in response.content.decode()
    doc = ApplicationDocument.objects.get()
    assert doc.kind == "pdf" and doc.doc_type == "statutes"
    assert doc.file.name.startswith("documents/") and "statuts" not in doc.file.name  # random stored name
    download = client.get(reverse("applications:document", args=[draft.pk, doc.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    # The file is not reachable through a public media URL.
    assert client.get("/media/" + doc.file.name).status_code == 404


@pytest.mark.parametrize("name, data_factory", [("dirigeants.docx", docx_bytes), ("rib.png", png_bytes),
                                                ("compte.odt", _odt_bytes)])
def test_other_accepted_formats(client, draft, organisation, name, data_factory):
    client.force_login(organisation.memberships.get(role=Role.EDITOR).user)
    _upload(client, draft, name, data_factory())
    assert ApplicationDocument.objects.count() == 1


def test_wrong_extension_and_oversized_files_are_refused(client, draft, organisation):
    client.force_login(organisation.memberships.get(role=Role.EDITOR).user)
    response = _upload(client, draft, "statuts.exe", pdf_bytes())
    assert "pas d&#x27;un format accepté" in response.content.decode()
    big = pdf_bytes() + b"0" * (10 * 1024 * 1024)
    response = _upload(client, draft, "gros.pdf", big)
    assert "trop volumineux" in response.content.decode() and "10 Mo" in response.content.decode()
    docx_named_pdf = _upload(client, draft, "dirigeants.pdf", docx_bytes())
    assert "ne correspond pas" in docx_named_pdf.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_standing_documents_are_reused_by_the_next_application(client, call, organisation):
    admin = organisation.memberships.get(role=Role.ADMINISTRATOR).user
    client.force_login(admin)
    client.post(reverse("applications:organisation_document_upload", args=[organisation.pk]),
                {"doc_type": "statutes", "file": SimpleUploadedFile("statuts.pdf", pdf_bytes())})
    assert StandingDocument.objects.filter(organisation=organisation).count() == 1
    client.post(reverse("applications:new"), {"organisation": organisation.pk, "call": call.pk})
    app = Application.objects.get()
    assert [d.doc_type for d in app.standing_documents.all()] == ["statutes"]
    data = application_export(app)
    assert "statutes" in data["application"]["documents"]


def test_export_import_round_trip(client, draft, call, organisation):
    client.force_login(organisation.memberships.get(role=Role.ADMINISTRATOR).user)
    client.post(reverse("applications:autosave", args=[draft.pk]),
                anduze_post(call, objective=objective_value(call, YOUTH)), HTTP_HX_REQUEST="true")
    response = client.get(reverse("applications:export", args=[draft.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    exported = json.loads(response.content)
    assert exported["format_version"] == 1
    assert exported["organisation"]["siret"] == organisation.siret
    assert exported["application"]["title"] == "Les soirées et samedis du local jeunes"
    upload = SimpleUploadedFile("demande.json", response.content, "application/json")
    response = client.post(reverse("applications:import"),
                           {"organisation": organisation.pk, "call": call.pk, "file": upload}, follow=True)
    assert "importée comme brouillon" in response.content.decode()
    imported = Application.objects.exclude(pk=draft.pk).get()
    assert imported.status == "draft" and imported.reference is None
    draft.refresh_from_db()
    assert imported.content == draft.content
    assert imported.claimed_objectives.count() == 1 and imported.funding_requests.count() == 2
    again = application_export(imported)
    assert again["application"] == exported["application"]


def test_bad_import_names_the_field_and_creates_nothing(client, draft, call, organisation):
    client.force_login(organisation.memberships.get(role=Role.ADMINISTRATOR).user)
    data = application_export(draft)
    data["application"]["start_date"] = "31/02/2027"
    upload = SimpleUploadedFile("demande.json", json.dumps(data).encode(), "application/json")
    response = client.post(reverse("applications:import"),
                           {"organisation": organisation.pk, "call": call.pk, "file": upload}, follow=True)
    html = response.content.decode()
    assert "application.start_date" in html and "Aucune demande n&#x27;a été créée" in html
    upload = SimpleUploadedFile("demande.json", b"{pas du json", "application/json")
    response = client.post(reverse("applications:import"),
                           {"organisation": organisation.pk, "call": call.pk, "file": upload}, follow=True)
    assert "JSON invalide" in response.content.decode()
    assert Application.objects.count() == 1


def test_a_wrong_file_can_be_removed_from_a_draft(client, draft, organisation):
    client.force_login(organisation.memberships.get(role=Role.EDITOR).user)
    _upload(client, draft, "statuts.pdf", pdf_bytes())
    doc = ApplicationDocument.objects.get()
    path = doc.file.path
    client.post(reverse("applications:document_remove", args=[draft.pk]), {"document": doc.pk})
    assert not ApplicationDocument.objects.exists()
    import os

    assert not os.path.exists(path)
    assert client.post(reverse("applications:document_remove", args=[draft.pk]),
                       {"document": doc.pk}).status_code == 404
