
"""Between two organisations every view answers 404; roles decide who attests and submits; staff read all."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quartiers.applications.models import Application, Role
from quartiers.applications.services import application_create, application_document_store, standing_document_store
from tests.applications.factories import anduze_post, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def their_application(call, other_organisation):
    user = other_organisation.memberships.get().user
    app = application_create(call=call, organisation=other_organisation, user=user,
                             content={"title": "Action de l'autre association"})
    doc = application_document_store(application=app, doc_type="statutes", kind="pdf", user=user,
                                      uploaded=SimpleUploadedFile("statuts.pdf", pdf_bytes()))
    standing = standing_document_store(organisation=other_organisation, doc_type="bank_details", kind="pdf",
                                       user=user, uploaded=SimpleUploadedFile("rib.pdf", pdf_bytes()))
    return app, doc, standing


def test_every_view_of_another_organisation_is_a_404(client, organisation, other_organisation, their_application,
                                                     call):
    app, doc, standing = their_application
    client.force_login(organisation.memberships.get(role=Role.ADMINISTRATOR).user)
    gets = [
        reverse("applications:edit", args=[app.pk]),
        reverse("applications:submit", args=[app.pk]),
        reverse("applications:receipt", args=[app.pk]),
        reverse("applications:export", args=[app.pk]),
        reverse("applications:document", args=[app.pk, doc.pk]),
        reverse("applications:organisation", args=[other_organisation.pk]),
        reverse("applications:organisation_edit", args=[other_organisation.pk]),
        reverse("applications:organisation_document", args=[other_organisation.pk, standing.pk]),
        reverse("applications:staff_detail", args=[app.pk]),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code in (404, 302), url
        if response.status_code == 302:  # staff pages send non-staff to a login page
            assert "gestion" in url
    posts = [
        (reverse("applications:edit", args=[app.pk]), anduze_post(call)),
        (reverse("applications:autosave", args=[app.pk]), anduze_post(call)),
        (reverse("applications:submit", args=[app.pk]), {}),
        (reverse("applications:withdraw", args=[app.pk]), {}),
        (reverse("applications:document_upload", args=[app.pk]),
         {"doc_type": "statutes", "file": SimpleUploadedFile("x.pdf", pdf_bytes())}),
        (reverse("applications:standing_attach", args=[app.pk]), {"document": standing.pk}),
        (reverse("applications:organisation_invite", args=[other_organisation.pk]),
         {"email": "pirate@example.org", "role": "administrator"}),
        (reverse("applications:organisation_document_upload", args=[other_organisation.pk]),
         {"doc_type": "statutes", "file": SimpleUploadedFile("x.pdf", pdf_bytes())}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    app.refresh_from_db()
    assert app.title == "Action de l'autre association" and app.status == "draft"
    assert app.documents.count() == 1 and other_organisation.memberships.count() == 1
    # Their application is not listed either.
    assert "Action de l&#x27;autre association" not in client.get(reverse("applications:dashboard")).content.decode()


def test_forged_standing_document_of_another_organisation_is_a_404(client, call, organisation, their_application):
    _, _, standing = their_application
    admin = organisation.memberships.get(role=Role.ADMINISTRATOR).user
    mine = application_create(call=call, organisation=organisation, user=admin)
    client.force_login(admin)
    url = reverse("applications:standing_attach", args=[mine.pk])
    assert client.post(url, {"document": standing.pk}).status_code == 404
    for forged in ("abc", "", "1; DROP TABLE"):
        assert client.post(url, {"document": forged}).status_code == 404
    assert not mine.standing_documents.exists()


def test_members_see_their_own_applications(client, call, organisation):
    editor = organisation.memberships.get(role=Role.EDITOR).user
    app = application_create(call=call, organisation=organisation, user=editor, content={"title": "Notre action"})
    client.force_login(editor)
    assert client.get(reverse("applications:edit", args=[app.pk])).status_code == 200
    assert "Notre action" in client.get(reverse("applications:dashboard")).content.decode()
    page = client.get(reverse("applications:edit", args=[app.pk])).content.decode()
    assert 'name="cer_attested"' not in page  # an editor cannot attest the CER


def test_staff_read_every_application(client, staff_user, their_application):
    app, doc, _ = their_application
    client.force_login(staff_user)
    assert "Action de l" in client.get(reverse("applications:staff_list")).content.decode()
    page = client.get(reverse("applications:staff_detail", args=[app.pk]))
    assert page.status_code == 200 and "Vérifications" in page.content.decode()
    response = client.get(reverse("applications:document", args=[app.pk, doc.pk]))
    assert response.status_code == 200
    # read to the end, which closes the file; response.close() would also close the test's database connection
    assert b"".join(response.streaming_content)
    assert client.get(reverse("applications:export", args=[app.pk])).status_code == 200
    # Read-only: staff cannot edit or submit someone else's application.
    assert client.post(reverse("applications:autosave", args=[app.pk]), {"title": "x"}).status_code == 404
    assert client.post(reverse("applications:submit", args=[app.pk])).status_code == 404
    assert Application.objects.get(pk=app.pk).title == "Action de l'autre association"


def test_anonymous_is_sent_to_login(client, their_application):
    app, _, _ = their_application
    response = client.get(reverse("applications:edit", args=[app.pk]))
    assert response.status_code == 302 and "/connexion/" in response.url


def test_new_application_preselects_the_call_of_the_call_page(client, call, organisation):
    client.force_login(organisation.memberships.get(role=Role.EDITOR).user)
    page = client.get(reverse("applications:new") + "?appel=ales-2027").content.decode()
    assert f'<option value="{call.pk}" selected>' in page
