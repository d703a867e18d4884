"""The review page of one application: what it shows, who may open it, and each action posted from it."""


import pytest
from django.urls import reverse

from quartiers.applications.models import Application, ApplicationTransition, Role, Status
from quartiers.reviews.models import Admissibility, ConfirmedMatch
from tests.reviews.test_review_support import *  # noqa: F403 - the fixtures (call, organisation, roles, submitted…)
from tests.reviews.test_review_support import funder_of, member

pytestmark = pytest.mark.django_db


def page(application):
    return reverse("reviews:application", args=[application.pk])


def test_page_shows_the_application_findings_and_the_engines_ranking(client, submitted, roles):
    client.force_login(roles["reviewer"])
    response = client.get(page(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Instruction du dossier {submitted.reference}" in html
    assert "Les soirées et samedis du local jeunes" in html  # the title
    assert "Association Cévennes Jeunesse" in html
    assert "Total des charges" in html and "Montants demandés" in html
    assert "statutes.pdf" in html  # documents
    assert "Objectifs choisis par le porteur" in html and "Objectifs proposés par le moteur" in html
    assert "Pourquoi cet objectif ?" in html and "pertinence" in html
    assert html.count('name="objective"') >= 2  # confirm buttons + the correction select
    assert "Corriger : choisir un autre objectif du référentiel" in html
    assert "<optgroup" in html
    assert "déposée" in html and "Historique" in html


def test_findings_are_computed_and_stored_when_none_were_kept(client, submitted, roles):
    Application.objects.filter(pk=submitted.pk).update(findings=[], findings_blocking=0, findings_warnings=0)
    client.force_login(roles["lead"])
    assert client.get(page(submitted)).status_code == 200
    submitted.refresh_from_db()
    assert submitted.findings, "the findings are recomputed and stored"
    assert all({"code", "severity", "message"} <= set(f) for f in submitted.findings)


@pytest.mark.parametrize("who,status", [
    ("lead", 200), ("reviewer", 200), ("reviewer_etat", 200), ("funder_commune", 200), ("committee", 200),
    ("resident", 200), ("observer", 200), ("outsider", 404), ("applicant", 404),
])
def test_access_per_role(client, submitted, roles, organisation, who, status):
    user = member(organisation, Role.ADMINISTRATOR) if who == "applicant" else roles[who]
    client.force_login(user)
    assert client.get(page(submitted)).status_code == status


def test_anonymous_is_sent_to_login(client, submitted):
    response = client.get(page(submitted))
    assert response.status_code == 302 and "connexion" in response["Location"] or "login" in response["Location"]


def test_a_draft_is_not_on_the_review_side(client, call, organisation, roles):
    from quartiers.applications.services import application_create

    draft = application_create(call=call, organisation=organisation, user=member(organisation, Role.EDITOR))
    client.force_login(roles["lead"])
    assert client.get(page(draft)).status_code == 404


def test_what_each_role_is_offered(client, submitted, roles):
    client.force_login(roles["resident"])
    html = client.get(page(submitted)).content.decode()
    assert "Enregistrer mon avis" in html
    assert "Avis des financeurs" not in html  # residents do not see the funders' assessments
    assert "Enregistrer la recevabilité" not in html and "Rattacher à cet objectif" not in html
    client.force_login(roles["observer"])
    html = client.get(page(submitted)).content.decode()
    assert "Enregistrer la recevabilité" not in html and "Enregistrer mon avis" not in html
    assert "Envoyer la demande au porteur" not in html
    client.force_login(roles["reviewer"])
    html = client.get(page(submitted)).content.decode()
    assert "Enregistrer la recevabilité" in html and "Rattacher à cet objectif" in html
    assert "Envoyer la demande au porteur" in html


# --- admissibility -------------------------------------------------------------------------------------------


def test_admissible_moves_the_status_and_writes_a_transition(client, submitted, roles):
    client.force_login(roles["reviewer"])
    response = client.post(reverse("reviews:admissibility", args=[submitted.pk]), {"verdict": "admissible"},
                           follow=True)
    assert "elle passe en instruction" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.ADMISSIBLE
    verdict = Admissibility.objects.get(application=submitted)
    assert verdict.admissible and verdict.by == roles["reviewer"]
    last = ApplicationTransition.objects.filter(application=submitted).last()
    assert (last.from_status, last.to_status, last.by) == (Status.SUBMITTED, Status.ADMISSIBLE, roles["reviewer"])


def test_inadmissible_needs_a_reason_in_french(client, submitted, roles):
    client.force_login(roles["lead"])
    url = reverse("reviews:admissibility", args=[submitted.pk])
    response = client.post(url, {"verdict": "inadmissible", "reason": "  "}, follow=True)
    assert "Motif : indiquez pourquoi la demande est irrecevable" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and not Admissibility.objects.exists()
    client.post(url, {"verdict": "inadmissible", "reason": "Statuts non signés."})
    submitted.refresh_from_db()
    assert submitted.status == Status.INADMISSIBLE
    html = client.get(page(submitted)).content.decode()
    assert "Statuts non signés." in html and "irrecevable" in html


def test_a_verdict_reopened_goes_back_through_submitted(client, submitted, roles):
    client.force_login(roles["lead"])
    url = reverse("reviews:admissibility", args=[submitted.pk])
    client.post(url, {"verdict": "inadmissible", "reason": "Pièce manquante."})
    client.post(url, {"verdict": "admissible"})
    submitted.refresh_from_db()
    assert submitted.status == Status.ADMISSIBLE
    moves = list(ApplicationTransition.objects.filter(application=submitted)
                 .values_list("from_status", "to_status"))
    assert moves[-3:] == [(Status.SUBMITTED, Status.INADMISSIBLE), (Status.INADMISSIBLE, Status.SUBMITTED),
                          (Status.SUBMITTED, Status.ADMISSIBLE)]
    assert Admissibility.objects.get(application=submitted).admissible


def test_admissibility_refused_to_other_roles(client, submitted, roles):
    for who in ("committee", "observer", "resident", "funder_commune", "outsider"):
        client.force_login(roles[who])
        assert client.post(reverse("reviews:admissibility", args=[submitted.pk]),
                           {"verdict": "admissible"}).status_code == 404, who
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


# --- confirmed match -----------------------------------------------------------------------------------------


def _suggested_objective_pk(client, application):
    import re

    html = client.get(page(application)).content.decode()
    return int(re.search(r'name="objective" value="(\d+)"', html).group(1))


def test_confirm_the_suggested_objective_keeps_its_rank_and_score(client, submitted, roles):
    client.force_login(roles["reviewer"])
    pk = _suggested_objective_pk(client, submitted)
    response = client.post(reverse("reviews:confirm_match", args=[submitted.pk]), {"objective": pk}, follow=True)
    assert "Rattachement confirmé" in response.content.decode()
    match = ConfirmedMatch.objects.get(application=submitted)
    assert match.is_primary and match.objective_id == pk and match.suggested_rank == 1
    assert match.suggested_score and 0 < match.suggested_score <= 1
    assert match.neighbourhood_code == "QN03002M" and match.confirmed_by == roles["reviewer"]
    assert match.objective_key == match.objective.key


def test_correcting_replaces_the_primary_match(client, submitted, roles):
    from quartiers.reviews.review.selectors import version_objectives

    client.force_login(roles["lead"])
    url = reverse("reviews:confirm_match", args=[submitted.pk])
    client.post(url, {"objective": _suggested_objective_pk(client, submitted)})
    others = [o for o in version_objectives(submitted.call.framework_version)
              if o.theme.section.neighbourhood and o.theme.section.neighbourhood.code == "QN03001I"]
    other = others[-1]
    response = client.post(url, {"objective": other.pk}, follow=True)
    assert "Rattachement confirmé" in response.content.decode()
    rows = list(ConfirmedMatch.objects.filter(application=submitted))
    assert len(rows) == 1 and rows[0].objective == other and rows[0].is_primary
    assert rows[0].neighbourhood_code == "QN03001I"


def test_confirm_refuses_an_objective_of_another_version(client, submitted, roles):
    client.force_login(roles["reviewer"])
    response = client.post(reverse("reviews:confirm_match", args=[submitted.pk]), {"objective": 999999},
                           follow=True)
    assert "Objectif : choisissez un objectif du référentiel de cet appel à projets." in response.content.decode()
    assert not ConfirmedMatch.objects.exists()


def test_confirm_refused_to_committee_and_applicant(client, submitted, roles, organisation):
    for user in (roles["committee"], roles["funder_commune"], member(organisation, Role.ADMINISTRATOR)):
        client.force_login(user)
        assert client.post(reverse("reviews:confirm_match", args=[submitted.pk]), {"objective": 1}).status_code \
            == 404
    assert not ConfirmedMatch.objects.exists()


def test_confirmed_cases_of_the_contract_are_shown_under_the_objective(client, call, organisation, roles):
    from tests.reviews.test_review_support import submit_application

    first = submit_application(call, organisation)
    second = submit_application(call, organisation)  # the same action, proposed again
    client.force_login(roles["reviewer"])
    client.post(reverse("reviews:confirm_match", args=[first.pk]), {"objective": _suggested_objective_pk(client, first)})
    html = client.get(page(second)).content.decode()
    assert f"Dossiers confirmés proches : {first.reference} (Les soirées et samedis du local jeunes" in html
    assert f"{second.reference} (" not in html.split("Dossiers confirmés proches")[1][:300]  # never itself


def test_page_queries_do_not_grow_with_the_review_rows(client, submitted, roles, django_assert_max_num_queries):
    from quartiers.reviews.review.services import admissibility_set, advice_save, assessment_save, info_request_create

    admissibility_set(application=submitted, user=roles["lead"], admissible=True)
    for i in range(4):
        info_request_create(application=submitted, user=roles["reviewer"], question=f"Question {i} ?")
    advice_save(application=submitted, user=roles["resident"], stance="support", comment="Oui")
    for kind in ("etat_bop147", "commune"):
        assessment_save(application=submitted, funder=funder_of(submitted.call, kind), user=roles["lead"],
                        version=0, opinion="favourable")
    client.force_login(roles["lead"])
    client.get(page(submitted))  # the engine's caches warm up
    with django_assert_max_num_queries(36):
        html = client.get(page(submitted)).content.decode()
    assert "Question 3 ?" in html and "avis du conseil citoyen : soutien" in html


def test_documents_are_downloaded_from_the_review_side_by_its_roles_only(client, submitted, roles, organisation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from quartiers.applications.services import standing_document_store
    from tests.applications.factories import pdf_bytes

    own = submitted.documents.get(doc_type="statutes")
    standing = standing_document_store(organisation=organisation, doc_type="annual_accounts", kind="pdf",
                                       user=member(organisation, Role.ADMINISTRATOR),
                                       uploaded=SimpleUploadedFile("comptes-2025.pdf", pdf_bytes("Comptes")))
    submitted.standing_documents.add(standing)
    own_url = reverse("reviews:document", args=[submitted.pk, own.pk])
    standing_url = reverse("reviews:document", args=[submitted.pk, standing.pk]) + "?structure=1"
    client.force_login(roles["committee"])
    html = client.get(page(submitted)).content.decode()
    assert f'href="{own_url}"' in html and f'href="{standing_url}"' in html
    response = client.get(own_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="statutes.pdf"' in response["Content-Disposition"]
    standing_response = client.get(standing_url)
    assert 'filename="comptes-2025.pdf"' in standing_response["Content-Disposition"]
    # read to the end, which closes the file; response.close() would also close the test's database connection
    assert b"".join(standing_response.streaming_content).startswith(b"%PDF")
    other = standing_document_store(organisation=organisation, doc_type="activity_report", kind="pdf",
                                    user=member(organisation, Role.ADMINISTRATOR),
                                    uploaded=SimpleUploadedFile("rapport.pdf", pdf_bytes("Rapport")))
    # a standing document not attached to this application is not served
    assert client.get(reverse("reviews:document", args=[submitted.pk, other.pk]) + "?structure=1"
                      ).status_code == 404
    client.force_login(roles["outsider"])
    assert client.get(own_url).status_code == 404


# --- history -------------------------------------------------------------------------------------------------


def _history_html(client, application) -> str:
    html = client.get(page(application)).content.decode()
    start = html.index('<ul class="q-history">')
    return html[start:html.index("</ul>", start)]


def test_history_keeps_the_committees_moves_and_decision_lines_for_those_who_read_decisions(client, submitted, roles):
    from quartiers.applications.services import application_transition
    from quartiers.reviews.models import ReviewEvent

    lead = roles["lead"]
    for to, why in ((Status.ADMISSIBLE, "recevable"), (Status.REVIEWED, "instruction terminée"),
                    (Status.DECIDED, "comité du 25/11 : État accordé 30 000 €")):
        application_transition(application=submitted, to=to, by=lead, why=why)
    submitted.save(update_fields=["status", "updated_at"])
    ReviewEvent.objects.create(application=submitted, by=lead, kind="decision",
                               what="décision État corrigée : accordé 28 000 €")
    ReviewEvent.objects.create(application=submitted, by=lead, kind="assessment", what="avis État : favorable")
    for who in ("lead", "committee", "observer"):
        client.force_login(roles[who])
        history = _history_html(client, submitted)
        assert "instruction terminée" in history, who
        assert "votée" in history and "État accordé 30 000 €" in history, who
        assert "accordé 28 000 €" in history, who
    # a residents' council member may not read decisions: the moves up to « instruite » only
    client.force_login(roles["resident"])
    history = _history_html(client, submitted)
    assert "→ instruite (instruction terminée)" in history
    assert "votée" not in history and "30 000" not in history and "28 000" not in history
    assert "avis État" not in history


def test_residents_read_the_requested_amounts_but_no_proposed_one(client, submitted, roles, call):
    """What the applicant asked is part of the application (useful for the advisory opinion); the funders'
    proposed amounts are not (docs/reviews.md: no opinions, proposed or granted amounts, decisions or documents)."""
    from decimal import Decimal

    from quartiers.engine.rules.findings import format_euros
    from quartiers.reviews.review.services import admissibility_set, assessment_save

    admissibility_set(application=submitted, user=roles["lead"], admissible=True)
    etat = funder_of(call, "etat_bop147")
    assessment_save(application=submitted, funder=etat, user=roles["lead"], version=0, opinion="favourable",
                    proposed_amount=Decimal("1234.56"), comment="Bon projet")
    requested = submitted.funding_requests.get(funder=etat).amount
    client.force_login(roles["resident"])
    html = client.get(page(submitted)).content.decode()
    assert "Montants demandés" in html and format_euros(requested) in html
    assert format_euros(Decimal("1234.56")) not in html and "Bon projet" not in html
