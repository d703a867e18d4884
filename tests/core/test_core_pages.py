
import pytest


@pytest.mark.django_db
def test_after_login_sends_staff_and_applicants_to_their_pages(client, staff_user, django_user_model):
    client.force_login(staff_user)
    assert client.get("/connexion/suite/").url == "/gestion/referentiel/"
    applicant = django_user_model.objects.create_user(username="asso@example.org", password="mot-de-passe-solide-2026")
    client.force_login(applicant)
    assert client.get("/connexion/suite/").url == "/demandes/"


@pytest.mark.django_db
def test_logout_returns_to_the_home_page(client, staff_user):
    client.force_login(staff_user)
    response = client.post("/deconnexion/")
    assert response.status_code == 302 and response.url == "/"


@pytest.mark.django_db
def test_project_stylesheet_and_htmx_are_served(client):
    for path in ("/static/quartiers/quartiers.css", "/static/django_htmx/htmx-2.min.js"):
        response = client.get(path)
        assert response.status_code == 200
        assert b"".join(response.streaming_content)  # read to the end, which closes the file


@pytest.mark.django_db
def test_unknown_page_is_the_french_404(client):
    response = client.get("/nexiste/pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_accessibility_statement(client):
    response = client.get("/accessibilite/")
    assert "Déclaration d&#x27;accessibilité" in response.content.decode() or "Déclaration d'accessibilité" in response.content.decode()
