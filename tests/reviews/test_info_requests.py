"""Requests for additional information: a reviewer asks, the organisation's members are e-mailed, a member answers
from the receipt page, the history is kept on both sides."""

import pytest
from django.core import mail
from django.urls import reverse

from quartiers.applications.models import Role
from quartiers.applications.services import application_withdraw
from quartiers.reviews.models import InfoRequest
from quartiers.reviews.review.services import ReviewError, info_answer, info_request_create
from tests.reviews.test_review_support import *  # noqa: F403 - the fixtures (call, organisation, roles, submitted…)
from tests.reviews.test_review_support import member

pytestmark = pytest.mark.django_db

QUESTION = "Pouvez-vous préciser le nombre de jeunes déjà inscrits pour les samedis ?"


def _ask(client, application, user, question=QUESTION):
    client.force_login(user)
    return client.post(reverse("reviews:info_request", args=[application.pk]), {"question": question}, follow=True)


def test_request_emails_the_members_and_the_applicant_answers_from_the_receipt(client, submitted, roles,
                                                                                 organisation, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, submitted, roles["reviewer"])
    assert "La demande de compléments est envoyée" in response.content.decode()
    request = InfoRequest.objects.get(application=submitted)
    assert request.asked_by == roles["reviewer"] and request.is_open
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == f"Demande de compléments — dossier {submitted.reference}"
    assert sorted(sent.to) == sorted(m.user.email for m in organisation.memberships.select_related("user"))
    assert QUESTION in sent.body and f"/demandes/{submitted.pk}/recepisse/#complements" in sent.body

    # the applicant sees the question on the receipt page, with a form to answer it
    editor = member(organisation, Role.EDITOR)
    client.force_login(editor)
    html = client.get(reverse("applications:receipt", args=[submitted.pk])).content.decode()
    assert "Demandes de compléments" in html and QUESTION in html
    answer_url = reverse("reviews:info_answer", args=[submitted.pk, request.pk])
    assert f'action="{answer_url}"' in html and "Envoyer la réponse" in html

    response = client.post(answer_url, {"answer": ""}, follow=True)
    assert "Réponse : écrivez votre réponse avant de l&#x27;envoyer." in response.content.decode()
    request.refresh_from_db()
    assert request.is_open

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer_url, {"answer": "Dix-huit jeunes sont inscrits, dont douze du centre."},
                               follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("/recepisse/#complements")
    assert "Votre réponse est envoyée" in html
    assert "Échanges terminés" in html and "Dix-huit jeunes sont inscrits" in html
    assert "Envoyer la réponse" not in html
    request.refresh_from_db()
    assert not request.is_open and request.answered_by == editor and request.answered_at
    assert mail.outbox[-1].to == [roles["reviewer"].email]
    assert "Dix-huit jeunes sont inscrits" in mail.outbox[-1].body

    # a second answer is refused, the first kept
    response = client.post(answer_url, {"answer": "Autre chose"}, follow=True)
    assert "a déjà reçu une réponse : rien n&#x27;a été modifié." in response.content.decode()
    request.refresh_from_db()
    assert request.answer.startswith("Dix-huit")

    # the review page lists the history
    client.force_login(roles["observer"])
    html = client.get(reverse("reviews:application", args=[submitted.pk])).content.decode()
    assert QUESTION in html and "Dix-huit jeunes sont inscrits" in html
    assert "Envoyer la demande au porteur" not in html  # an observer does not ask


def test_empty_question_is_refused_in_french(client, submitted, roles):
    response = _ask(client, submitted, roles["lead"], question="   ")
    assert "Question : écrivez ce que vous demandez au porteur" in response.content.decode()
    assert not InfoRequest.objects.exists()
    with pytest.raises(ReviewError, match="Question : écrivez"):
        info_request_create(application=submitted, user=roles["lead"], question="")


def test_only_reviewers_ask(client, submitted, roles, organisation):
    for user in (roles["committee"], roles["observer"], roles["resident"], roles["funder_commune"],
                 roles["outsider"], member(organisation, Role.ADMINISTRATOR)):
        client.force_login(user)
        assert client.post(reverse("reviews:info_request", args=[submitted.pk]),
                           {"question": QUESTION}).status_code == 404
    assert not InfoRequest.objects.exists()


def test_only_members_of_the_organisation_answer(client, submitted, roles, make_user):
    request = info_request_create(application=submitted, user=roles["reviewer"], question=QUESTION)
    url = reverse("reviews:info_answer", args=[submitted.pk, request.pk])
    for user in (roles["reviewer"], roles["lead"], make_user("voisin@example.org")):
        client.force_login(user)
        assert client.post(url, {"answer": "Réponse pirate"}).status_code == 404
    client.logout()
    assert client.post(url, {"answer": "x"}).status_code == 302  # to the login page
    request.refresh_from_db()
    assert request.is_open


def test_a_request_of_another_application_is_a_404(client, submitted, roles, organisation, call):
    from tests.reviews.test_review_support import submit_application

    other = submit_application(call, organisation, title="Chantier éducatif de l'été")
    request = info_request_create(application=other, user=roles["reviewer"], question=QUESTION)
    client.force_login(member(organisation, Role.ADMINISTRATOR))
    assert client.post(reverse("reviews:info_answer", args=[submitted.pk, request.pk]),
                       {"answer": "x"}).status_code == 404


def test_withdrawn_application_cannot_answer(client, submitted, roles, organisation):
    request = info_request_create(application=submitted, user=roles["reviewer"], question=QUESTION)
    application_withdraw(application=submitted, user=member(organisation, Role.SIGNATORY))
    client.force_login(member(organisation, Role.SIGNATORY))
    html = client.get(reverse("applications:receipt", args=[submitted.pk])).content.decode()
    assert QUESTION in html and "Envoyer la réponse" not in html
    assert client.post(reverse("reviews:info_answer", args=[submitted.pk, request.pk]),
                       {"answer": "x"}).status_code == 404


def test_answer_service_refuses_an_empty_answer_atomically(submitted, roles, organisation):
    request = info_request_create(application=submitted, user=roles["reviewer"], question=QUESTION)
    with pytest.raises(ReviewError, match="Réponse : écrivez votre réponse"):
        info_answer(info_request=request, user=member(organisation, Role.EDITOR), answer="  ")
    request.refresh_from_db()
    assert request.is_open and request.answer == ""


def test_no_request_once_withdrawn(submitted, roles, organisation):
    application_withdraw(application=submitted, user=member(organisation, Role.SIGNATORY))
    submitted.refresh_from_db()
    with pytest.raises(ReviewError, match="Aucune demande de compléments ne peut être envoyée : la demande est « "
                                          "retirée »."):
        info_request_create(application=submitted, user=roles["reviewer"], question=QUESTION)
    assert not InfoRequest.objects.exists()
