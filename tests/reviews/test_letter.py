"""The notification e-mail (sent once, to the organisation's members), the decisions on the applicant's page, and
the decision letter: who sees it, when, and what it says."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from quartiers.reviews.committee.services import agenda_add, decision_record, decisions_notify
from quartiers.reviews.models import Decision, Outcome
from tests.reviews.test_committee_data import fast_password_hasher, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(world):  # noqa: F811
    """Anduze: the State grants 24 000 € in two instalments, the agglomération refuses."""
    w = world
    agenda_add(session=w.session)
    decision_record(session=w.session, application=w.anduze, funder=w.etat, by=w.lead, outcome=Outcome.GRANTED,
                    amount="24000", conditions="Bilan intermédiaire avant le second versement.",
                    payment_terms="échelonné", payment_dates="2027-03-01/2027-09-30", reference="Arrêté 2027-041")
    decision_record(session=w.session, application=w.anduze, funder=w.agglo, by=w.lead, outcome=Outcome.REFUSED,
                    reason="L'enveloppe jeunesse de l'agglomération est déjà engagée.")
    return w


def test_notify_sends_one_email_to_the_members(client, decided, django_capture_on_commit_callbacks):
    w = decided
    url = reverse("reviews:notify", args=[w.anduze.pk])
    client.force_login(w.committee)
    assert client.post(url).status_code == 404  # only the project lead notifies
    assert mail.outbox == []
    client.force_login(w.lead)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url)
    assert r.status_code == 302 and r.url == reverse("reviews:letter", args=[w.anduze.pk])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["nadia.benali@example.org", "paul.tresorier@example.org"]
    assert message.subject == "Décision sur votre demande de subvention — dossier ALES-2027-0002"
    for text in ("État – Préfecture du Gard (BOP 147) : subvention accordée de 24\u202f000,00\xa0€",
                 "convention obligatoire (plus de 23 000 €)", "Versement : versement échelonné (2027-03-01/2027-09-30)",
                 "Alès Agglomération : demande refusée",
                 "Motif : L'enveloppe jeunesse de l'agglomération est déjà engagée.",
                 f"http://testserver/demandes/{w.anduze.pk}/decision/"):
        assert text in message.body, text
    assert all(d.notified_at for d in Decision.objects.all())
    r = client.post(url, follow=True)  # a second time: nothing new to say
    assert len(mail.outbox) == 1
    assert "déjà notifiées" in r.content.decode()


def test_closing_the_session_notifies(client, decided, django_capture_on_commit_callbacks):
    w = decided
    client.force_login(w.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:session_close", args=[w.session.pk]))
    assert len(mail.outbox) == 1 and "ALES-2027-0002" in mail.outbox[0].subject
    assert decisions_notify(application=w.anduze) == 0
    assert len(mail.outbox) == 1


def test_applicant_sees_the_decisions_once_notified(client, decided):
    w = decided
    client.force_login(w.applicant)
    receipt = reverse("applications:receipt", args=[w.anduze.pk])
    page = client.get(receipt).content.decode()
    assert "Décisions du comité de programmation" not in page
    decisions_notify(application=w.anduze)
    page = client.get(receipt).content.decode()
    assert "Décisions du comité de programmation" in page
    assert "24\u202f000,00\xa0€" in page and "convention obligatoire (plus de 23 000 €)" in page
    assert "Motif : L&#x27;enveloppe jeunesse" in page
    assert reverse("reviews:letter", args=[w.anduze.pk]) in page


def test_letter_access(client, decided):
    w = decided
    url = reverse("reviews:letter", args=[w.anduze.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(w.applicant)
    assert client.get(url).status_code == 404  # not notified yet
    for user in (w.outsider, w.applicant):
        client.force_login(user)
        assert client.get(reverse("reviews:letter", args=[w.ales.pk])).status_code == 404  # no decision / not theirs
    client.force_login(w.committee)
    r = client.get(url)
    assert r.status_code == 200 and "ne sont pas encore notifiées" in r.content.decode()
    decisions_notify(application=w.anduze)
    client.force_login(w.applicant)
    assert client.get(url).status_code == 200
    client.force_login(w.outsider)
    assert client.get(url).status_code == 404


def test_letter_content(client, decided):
    w = decided
    decisions_notify(application=w.anduze)
    client.force_login(w.applicant)
    page = client.get(reverse("reviews:letter", args=[w.anduze.pk])).content.decode()
    for text in ("Contrat de ville de l&#x27;arrondissement d&#x27;Alès", "12 rue du Luxembourg", "30140 Anduze",
                 "Dossier n° <strong>ALES-2027-0002</strong>", "Le 12 février 2027",
                 "Objet : décision sur votre demande de subvention", "Une subvention de <strong>24\u202f000,00\xa0€",
                 "Bilan intermédiaire avant le second versement.", "versement échelonné (période 2027-03-01/2027-09-30)",
                 "Convention obligatoire (plus de 23 000 €)", "Votre demande n'a pas été retenue.",
                 "Le président du comité de programmation", "quartiers/quartiers.css", "Télécharger la lettre (PDF)"):
        assert text in page, text
    css = (settings.BASE_DIR / "static" / "quartiers" / "quartiers.css").read_text()
    assert "@media print" in css and "body:has(.q-letter)" in css  # printed alone, on A4


def test_letter_pdf_says_what_the_html_letter_says(client, decided):
    import io

    import pdfplumber

    w = decided
    url = reverse("reviews:letter_pdf", args=[w.anduze.pk])
    client.force_login(w.applicant)
    assert client.get(url).status_code == 404  # not notified yet: the applicant does not see it
    decisions_notify(application=w.anduze)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="decision-ALES-2027-0002.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    for fragment in ("Dossier n° ALES-2027-0002", "Le 12 février 2027", "Objet : décision sur votre demande",
                     "Une subvention de 24 000,00 € vous est accordée.", "versement échelonné",
                     "Convention obligatoire (plus de 23 000 €)", "Votre demande n'a pas été retenue.",
                     "L'enveloppe jeunesse de l'agglomération est déjà engagée.", "30140 Anduze"):
        assert fragment in text.replace("\xa0", " "), fragment
    client.force_login(w.outsider)
    assert client.get(url).status_code == 404
