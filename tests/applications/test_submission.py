"""Drafts, autosave, budget totals, findings, submission, withdrawal and transitions."""


import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quartiers.applications.engine_adapter import application_findings
from quartiers.applications.models import Application, ApplicationTransition, Role, Status
from quartiers.applications.services import (
    ApplicationError,
    application_create,
    application_document_store,
    application_submit,
)
from tests.applications.factories import YOUTH, anduze_post, objective_value, pdf_bytes

pytestmark = pytest.mark.django_db


def member(org, role):
    return org.memberships.get(role=role).user


@pytest.fixture
def draft(call, organisation):
    return application_create(call=call, organisation=organisation, user=member(organisation, Role.ADMINISTRATOR))


def _attach(application, user, *types):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for t in types:
        application_document_store(application=application, doc_type=t, kind="pdf", user=user,
                                   uploaded=SimpleUploadedFile(f"{t}.pdf", pdf_bytes(), "application/pdf"))


def _complete(client, draft, call, **overrides):
    post = anduze_post(call, objective=objective_value(call, YOUTH), **overrides)
    response = client.post(reverse("applications:autosave", args=[draft.pk]), post, HTTP_HX_REQUEST="true")
    draft.refresh_from_db()
    return response


def test_autosave_stores_content_and_computes_totals(client, draft, call, organisation):
    client.force_login(member(organisation, Role.EDITOR))
    response = _complete(client, draft, call)
    assert response.status_code == 200
    assert response["X-Draft-Saved"] == "1"
    draft.refresh_from_db()
    assert draft.title == "Les soirées et samedis du local jeunes"
    assert str(draft.total_budget) == "17400.00"
    assert str(draft.requested_total) == "11000.00"
    assert draft.funding_requests.count() == 2
    assert draft.claimed_objectives.count() == 1
    html = response.content.decode()
    assert "17\u202f400,00\u00a0€" in html  # total of charges, computed by the server
    assert "669,23" in html  # cost per beneficiary: 17 400 / 26
    # An editor cannot attest the CER: the ticked box is ignored.
    assert draft.content["cer"]["attested"] is False


def test_submission_blocked_then_allowed_after_fix(client, draft, call, organisation,
                                                    django_capture_on_commit_callbacks):
    signatory = member(organisation, Role.SIGNATORY)
    client.force_login(signatory)
    _complete(client, draft, call, **{"charge-60": "2800"})  # unbalanced budget, no documents
    codes = {f.code for f in application_findings(draft) if f.severity == "blocking"}
    assert {"BUDGET_UNBALANCED", "DOCUMENT_MISSING"} <= codes
    response = client.post(reverse("applications:submit", args=[draft.pk]), follow=True)
    assert "point(s) bloquant(s)" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.reference is None

    _complete(client, draft, call)
    _attach(draft, signatory, "statutes", "bank_details")
    assert [f for f in application_findings(draft) if f.severity == "blocking"] == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:submit", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.reference == "ALES-2027-0001"
    assert "Récépissé de dépôt" in response.content.decode()
    assert draft.reference in mail.outbox[-1].subject
    assert "Les soirées et samedis du local jeunes" in mail.outbox[-1].body
    moves = list(ApplicationTransition.objects.filter(application=draft).values_list("from_status", "to_status"))
    assert moves == [("", "draft"), ("draft", "submitted")]
    # Locked: a later save is refused and nothing changes.
    response = _complete(client, draft, call, title="Autre titre")
    draft.refresh_from_db()
    assert draft.title == "Les soirées et samedis du local jeunes"


def test_editor_cannot_submit(client, draft, call, organisation):
    client.force_login(member(organisation, Role.EDITOR))
    assert client.post(reverse("applications:submit", args=[draft.pk])).status_code == 404


def _ready(client, draft, call, organisation):
    signatory = member(organisation, Role.SIGNATORY)
    client.force_login(signatory)
    _complete(client, draft, call)
    _attach(draft, signatory, "statutes", "bank_details")
    return signatory


def test_deadline_passed_refused(client, draft, call, organisation):
    signatory = _ready(client, draft, call, organisation)
    with pytest.raises(ApplicationError, match="date limite de dépôt est dépassée"):
        application_submit(application=draft, user=signatory, now=call.closes_at)
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.opens_at = timezone.now() - timedelta(days=3)
    call.save()
    response = client.post(reverse("applications:submit", args=[draft.pk]), follow=True)
    assert "date limite de dépôt est dépassée" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_double_submission_gives_one_reference(client, draft, call, organisation):
    signatory = _ready(client, draft, call, organisation)
    first = client.post(reverse("applications:submit", args=[draft.pk]), follow=True)
    second = client.post(reverse("applications:submit", args=[draft.pk]), follow=True)
    assert "déposée" in first.content.decode()
    assert "a déjà été déposée (dossier ALES-2027-0001)" in second.content.decode()
    assert Application.objects.filter(reference__isnull=False).count() == 1
    assert ApplicationTransition.objects.filter(application=draft, to_status="submitted").count() == 1
    del signatory


def test_references_are_sequential_per_call(call, organisation, client):
    signatory = member(organisation, Role.SIGNATORY)
    refs = []
    for _ in range(2):
        app = application_create(call=call, organisation=organisation, user=signatory)
        _ready(client, app, call, organisation)
        refs.append(application_submit(application=app, user=signatory).reference)
    assert refs == ["ALES-2027-0001", "ALES-2027-0002"]


def test_withdrawal_is_recorded(client, draft, call, organisation):
    _ready(client, draft, call, organisation)
    client.post(reverse("applications:submit", args=[draft.pk]))
    response = client.post(reverse("applications:withdraw", args=[draft.pk]), {"why": "action reportée"}, follow=True)
    assert "retirée" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN
    last = draft.transitions.last()
    assert (last.from_status, last.to_status, last.why) == ("submitted", "withdrawn", "action reportée")
    assert last.by == member(organisation, Role.SIGNATORY)
    # Withdrawn is final: no second withdrawal, no submission.
    assert client.post(reverse("applications:withdraw", args=[draft.pk])).status_code == 404


def test_expired_session_autosave_keeps_nothing_and_says_so(client, draft, call):
    response = client.post(reverse("applications:autosave", args=[draft.pk]), anduze_post(call),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "X-Draft-Saved" not in response
    assert "Votre session a expiré" in response.content.decode()
    assert "gardées sur cet appareil" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == ""
    # Without htmx: 401, not a redirect that would drop the content.
    assert client.post(reverse("applications:autosave", args=[draft.pk]), {"title": "x"}).status_code == 401


def test_ten_megabyte_description_refused_in_french(client, draft, call, organisation):
    client.force_login(member(organisation, Role.EDITOR))
    post = anduze_post(call, description="a" * (10 * 1024 * 1024))
    response = client.post(reverse("applications:edit", args=[draft.pk]), post)
    assert response.status_code == 413
    assert "trop volumineux" in response.content.decode()
    response = client.post(reverse("applications:autosave", args=[draft.pk]), post, HTTP_HX_REQUEST="true")
    assert "trop volumineux" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == ""


def test_overlong_field_refused_by_loader(client, draft, call, organisation):
    client.force_login(member(organisation, Role.EDITOR))
    response = client.post(reverse("applications:edit", args=[draft.pk]), anduze_post(call, means="m" * 20_001))
    assert response.status_code == 200
    assert "means" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == ""


def test_form_post_without_javascript_saves(client, draft, call, organisation):
    client.force_login(member(organisation, Role.ADMINISTRATOR))
    response = client.post(reverse("applications:edit", args=[draft.pk]), anduze_post(call))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.content["cer"]["attested"] is True
    assert draft.content["cer"]["signatory"] == "Nadia Benali"
    page = client.get(reverse("applications:edit", args=[draft.pk])).content.decode()
    assert "Les soirées et samedis du local jeunes" in page
    assert "Vérifications" in page


def test_constraint_violated_for_school_time_slot_in_ales(client, draft, call, organisation):
    client.force_login(member(organisation, Role.ADMINISTRATOR))
    post = anduze_post(call, neighbourhoods=["QN03001I"],
                       objective=objective_value(call, "Prévenir le décrochage scolaire", "QN03001I"),
                       **{"slot-0-kind": "out_of_school_time", "slot-0-weekday": "tuesday", "slot-0-start": "10:00",
                          "slot-0-end": "12:00", "slot-1-kind": ""})
    response = client.post(reverse("applications:autosave", args=[draft.pk]), post, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-code="CONSTRAINT_VIOLATED"' in html
    assert 'href="#slot-0"' in html





def test_suggestions_are_rendered_again_only_when_the_description_changes(client, draft, call, organisation):
    client.force_login(member(organisation, Role.EDITOR))
    first = _complete(client, draft, call).content.decode()
    assert 'id="objectifs-suggestions"' in first
    key = re.search(r'name="suggestions_key" value="(\w+)"', first).group(1)
    again = _complete(client, draft, call, suggestions_key=key).content.decode()
    assert 'id="objectifs-suggestions"' not in again  # ticking an objective keeps the focus where it is
    changed = _complete(client, draft, call, suggestions_key=key, description="Tout autre texte sur le sport.")
    assert 'id="objectifs-suggestions"' in changed.content.decode()
