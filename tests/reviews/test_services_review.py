"""The review services: weighted score, assessments with optimistic locking, conflicts, advice, instruction done,
confirmed matches as labelled examples. Real database, no mocks."""

from decimal import Decimal

import pytest
from django.urls import reverse

from quartiers.applications.models import ApplicationTransition, Role, Status
from quartiers.reviews.models import (
    Admissibility,
    Advice,
    Assessment,
    ConfirmedMatch,
    ConflictOfInterest,
    Opinion,
    ScoringCriterion,
)
from quartiers.reviews.review import services
from quartiers.reviews.review.selectors import confirmed_examples
from quartiers.reviews.review.services import (
    AssessmentConflict,
    ReviewError,
    admissibility_set,
    application_mark_reviewed,
    assessment_save,
    weighted_score,
)
from tests.reviews.test_review_support import *  # noqa: F403 - the fixtures (call, organisation, roles, submitted…)
from tests.reviews.test_review_support import funder_of, member, submit_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def admissible(submitted, roles):
    admissibility_set(application=submitted, user=roles["lead"], admissible=True)
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def grid(call):
    return [ScoringCriterion.objects.create(call=call, label=label, weight=Decimal(w), scale_max=s, position=i)
            for i, (label, w, s) in enumerate((("Capacité à faire", "2", 4), ("Calendrier", "1", 4),
                                               ("Publics", "1", 10)), start=1)]


# --- weighted score ------------------------------------------------------------------------------------------


def test_weighted_score_arithmetic(call, grid):
    a, b, c = grid
    # (2 × 4/4 + 1 × 2/4 + 1 × 5/10) / (2 + 1 + 1) × 20 = 3 / 4 × 20 = 15
    assert weighted_score({str(a.pk): 4, str(b.pk): 2, str(c.pk): 5}, grid) == Decimal("15.00")
    # only scored criteria count: (1 × 2/4) / 1 × 20 = 10
    assert weighted_score({str(b.pk): 2}, grid) == Decimal("10.00")
    # (2 × 1/4 + 1 × 3/10) / 3 × 20 = 0.8 / 3 × 20 = 5.333…
    assert weighted_score({str(a.pk): 1, str(c.pk): 3}, grid) == Decimal("5.33")
    assert weighted_score({}, grid) is None
    # a deleted criterion's score is ignored; a score above a lowered scale counts as the maximum
    assert weighted_score({str(a.pk): 4, "999999": 0}, grid) == Decimal("20.00")
    c.scale_max = 4
    assert weighted_score({str(c.pk): 10}, grid) == Decimal("20.00")


# --- assessments ---------------------------------------------------------------------------------------------


def test_assessment_save_stores_values_scores_and_version(admissible, roles, call, grid):
    etat = funder_of(call, "etat_bop147")
    a, b, c = grid
    saved = assessment_save(application=admissible, funder=etat, user=roles["reviewer"], version=0,
                            opinion=Opinion.FAVOURABLE_MODIFIED, proposed_amount=Decimal("5000"),
                            comment=" Action utile. ", scores={str(a.pk): 4, str(b.pk): 2, str(c.pk): 5})
    assert saved.version == 1 and saved.updated_by == roles["reviewer"]
    assert saved.opinion == Opinion.FAVOURABLE_MODIFIED and saved.proposed_amount == Decimal("5000")
    assert saved.comment == "Action utile." and saved.weighted_score == Decimal("15.00")
    assert saved.scores == {str(a.pk): 4, str(b.pk): 2, str(c.pk): 5}


def test_two_stale_saves_second_refused_first_kept_message_names_the_other(admissible, roles, call):
    etat = funder_of(call, "etat_bop147")
    first, second = roles["reviewer"], roles["reviewer_etat"]
    # both opened the form at version 0
    assessment_save(application=admissible, funder=etat, user=first, version=0, opinion=Opinion.FAVOURABLE,
                    proposed_amount=Decimal("6500"), comment="Premier avis")
    with pytest.raises(AssessmentConflict) as exc:
        assessment_save(application=admissible, funder=etat, user=second, version=0,
                        opinion=Opinion.UNFAVOURABLE, comment="Second avis")
    message = str(exc.value)
    assert "Cet avis a été modifié par Remi Instructeur à " in message
    assert "vos changements n'ont pas été enregistrés" in message
    assert exc.value.current.comment == "Premier avis"
    row = Assessment.objects.get(application=admissible, funder=etat)
    assert (row.opinion, row.comment, row.version, row.updated_by) == (Opinion.FAVOURABLE, "Premier avis", 1, first)


def test_stale_save_through_the_page_keeps_your_values_and_shows_theirs(client, admissible, roles, call):
    etat = funder_of(call, "etat_bop147")
    url = reverse("reviews:assessment", args=[admissible.pk, etat.pk])
    prefix = f"f{etat.pk}"
    client.force_login(roles["reviewer_etat"])
    assert client.get(url).status_code == 200
    assessment_save(application=admissible, funder=etat, user=roles["lead"], version=0,
                    opinion=Opinion.RESERVED, comment="Réserve sur le budget")
    response = client.post(url, {f"{prefix}-version": "0", f"{prefix}-opinion": Opinion.FAVOURABLE,
                                 f"{prefix}-proposed_amount": "6 500", f"{prefix}-comment": "Mon avis détaillé"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Cet avis a été modifié par Claire Cheffe à" in html
    assert "Réserve sur le budget" in html  # their values
    assert "Mon avis détaillé" in html  # yours, still in the form
    assert f'name="{prefix}-version" value="1"' in html  # saving again is an informed choice
    row = Assessment.objects.get(application=admissible, funder=etat)
    assert row.comment == "Réserve sur le budget" and row.version == 1
    response = client.post(url, {f"{prefix}-version": "1", f"{prefix}-opinion": Opinion.FAVOURABLE,
                                 f"{prefix}-proposed_amount": "6 500,00", f"{prefix}-comment": "Mon avis détaillé"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.comment, row.version, row.proposed_amount) == ("Mon avis détaillé", 2, Decimal("6500"))


def _post_assessment(client, user, application, funder, **fields):
    """POST the assessment form of one funder as ``user`` (field names without the form's prefix)."""
    client.force_login(user)
    return client.post(reverse("reviews:assessment", args=[application.pk, funder.pk]),
                       {f"f{funder.pk}-{name}": value for name, value in fields.items()})


def test_a_version_nobody_saved_is_not_a_conflict_and_creates_nothing(client, admissible, roles, call):
    etat = funder_of(call, "etat_bop147")
    with pytest.raises(ReviewError, match="Cet avis a changé : rechargez la page.") as exc:
        assessment_save(application=admissible, funder=etat, user=roles["lead"], version=999,
                        opinion=Opinion.FAVOURABLE)
    assert not isinstance(exc.value, AssessmentConflict)
    assert not Assessment.objects.filter(application=admissible).exists()  # the row just created is not kept
    response = _post_assessment(client, roles["lead"], admissible, etat, version="999", opinion=Opinion.FAVOURABLE)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cet avis a changé : rechargez la page." in html and "modifié par" not in html
    assert f'name="f{etat.pk}-opinion"' in html  # the form again
    assert not Assessment.objects.filter(application=admissible).exists()


def test_conflict_page_with_an_author_gone(client, admissible, roles, call):
    """The other version's author may be None (account deleted): the 409 page still answers, in French."""
    etat = funder_of(call, "etat_bop147")
    assessment_save(application=admissible, funder=etat, user=roles["reviewer"], version=0,
                    opinion=Opinion.RESERVED, comment="Réserve sur le budget")
    Assessment.objects.filter(application=admissible, funder=etat).update(updated_by=None)
    response = _post_assessment(client, roles["lead"], admissible, etat, version="0", opinion=Opinion.FAVOURABLE,
                                comment="Mon avis")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Cet avis a été modifié par une autre personne à" in html
    assert "(version 1, par une autre personne à" in html and "Réserve sur le budget" in html
    assert Assessment.objects.get(application=admissible, funder=etat).comment == "Réserve sur le budget"


@pytest.mark.parametrize("typed, amount", [("4 500", "4500"), ("4500,5", "4500.5"), ("4 500,00 €", "4500"),
                                           ("4\u202f500,00\u00a0€", "4500"), ("4.5", "4.5")])
def test_amounts_typed_in_french_are_read(typed, amount):
    from quartiers.reviews.review.forms import AssessmentForm

    form = AssessmentForm(data={"f1-version": "0", "f1-proposed_amount": typed}, prefix="f1")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["proposed_amount"] == Decimal(amount)


def test_an_ambiguous_dot_amount_is_refused_naming_the_field(client, admissible, roles, call):
    from quartiers.reviews.review.forms import AssessmentForm

    form = AssessmentForm(data={"f1-version": "0", "f1-proposed_amount": "4.500"}, prefix="f1")
    assert not form.is_valid()
    assert form.errors["proposed_amount"] == ["Montant proposé : « 4.500 » est ambigu ; écrivez 4 500 ou 4500,00."]
    form = AssessmentForm(data={"f1-version": "0", "f1-proposed_amount": "4500,505"}, prefix="f1")
    assert form.errors["proposed_amount"] == ["Montant proposé : deux chiffres après la virgule au plus."]
    etat = funder_of(call, "etat_bop147")
    response = _post_assessment(client, roles["lead"], admissible, etat, version="0",
                                opinion=Opinion.FAVOURABLE_MODIFIED, proposed_amount="12.500 €")
    assert response.status_code == 400
    assert "Montant proposé : « 12.500 € » est ambigu ; écrivez 12 500 ou 12500,00." in response.content.decode()
    assert not Assessment.objects.filter(application=admissible).exists()


def test_favourable_modified_needs_an_amount_and_nothing_is_written(admissible, roles, call, client):
    etat = funder_of(call, "etat_bop147")
    with pytest.raises(ReviewError, match="Montant proposé : indiquez le montant"):
        assessment_save(application=admissible, funder=etat, user=roles["lead"], version=0,
                        opinion=Opinion.FAVOURABLE_MODIFIED)
    assert not Assessment.objects.exists()
    client.force_login(roles["lead"])
    p = f"f{etat.pk}"
    response = client.post(reverse("reviews:assessment", args=[admissible.pk, etat.pk]),
                           {f"{p}-version": "0", f"{p}-opinion": Opinion.FAVOURABLE_MODIFIED,
                            f"{p}-proposed_amount": "", f"{p}-comment": "x"})
    assert response.status_code == 400
    assert "Montant proposé : indiquez le montant" in response.content.decode()
    response = client.post(reverse("reviews:assessment", args=[admissible.pk, etat.pk]),
                           {f"{p}-version": "0", f"{p}-opinion": Opinion.FAVOURABLE,
                            f"{p}-proposed_amount": "beaucoup"})
    assert "Montant proposé : saisissez un montant en euros" in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_score_out_of_scale_is_refused_atomically(admissible, roles, call, grid):
    etat = funder_of(call, "etat_bop147")
    with pytest.raises(ReviewError, match="Note « Capacité à faire » : entre 0 et 4."):
        assessment_save(application=admissible, funder=etat, user=roles["lead"], version=0,
                        opinion=Opinion.FAVOURABLE, scores={str(grid[0].pk): 7})
    with pytest.raises(ReviewError, match="Note « Calendrier » : entre 0 et 4."):
        assessment_save(application=admissible, funder=etat, user=roles["lead"], version=0,
                        opinion=Opinion.FAVOURABLE, scores={str(grid[1].pk): "beaucoup"})
    assert not Assessment.objects.exists()


def test_amount_above_the_request_is_allowed_with_a_warning(client, admissible, roles, call):
    commune = funder_of(call, "commune")  # 4 500 € requested
    client.force_login(roles["funder_commune"])
    p = f"f{commune.pk}"
    response = client.post(reverse("reviews:assessment", args=[admissible.pk, commune.pk]),
                           {f"{p}-version": "0", f"{p}-opinion": Opinion.FAVOURABLE_MODIFIED,
                            f"{p}-proposed_amount": "5000"}, follow=True)
    html = response.content.decode()
    assert "Avis de Commune d&#x27;Anduze enregistré." in html
    assert "dépasse le montant demandé à ce financeur" in html
    assert Assessment.objects.get(funder=commune).proposed_amount == Decimal("5000")


def test_assessment_rights_follow_the_funder(client, admissible, roles, call):
    etat, commune = funder_of(call, "etat_bop147"), funder_of(call, "commune")
    epci = funder_of(call, "epci")  # not asked for money: no assessment block at all
    cases = [("reviewer_etat", etat, 200), ("reviewer_etat", commune, 404), ("funder_commune", commune, 200),
             ("funder_commune", etat, 404), ("reviewer", commune, 200), ("lead", etat, 200), ("lead", epci, 404),
             ("committee", etat, 404), ("observer", etat, 404), ("resident", etat, 404), ("outsider", etat, 404)]
    for who, funder, status in cases:
        client.force_login(roles[who])
        assert client.get(reverse("reviews:assessment", args=[admissible.pk, funder.pk])).status_code == status, \
            (who, funder)


def test_no_assessment_before_admissibility(client, submitted, roles, call):
    etat = funder_of(call, "etat_bop147")
    client.force_login(roles["lead"])
    assert client.get(reverse("reviews:assessment", args=[submitted.pk, etat.pk])).status_code == 404
    with pytest.raises(ReviewError, match="L'avis ne peut plus être modifié"):
        assessment_save(application=submitted, funder=etat, user=roles["lead"], version=0, opinion="favourable")
    assert not Assessment.objects.exists()


def test_page_shows_the_assessment_with_the_weighted_score(client, admissible, roles, call, grid):
    etat = funder_of(call, "etat_bop147")
    a, b, c = grid
    assessment_save(application=admissible, funder=etat, user=roles["lead"], version=0, opinion=Opinion.FAVOURABLE,
                    proposed_amount=Decimal("6500"), scores={str(a.pk): 4, str(b.pk): 2, str(c.pk): 5})
    client.force_login(roles["lead"])
    html = client.get(reverse("reviews:application", args=[admissible.pk])).content.decode()
    assert "Enregistrer l'avis de État – Préfecture du Gard (BOP 147)" in html
    assert "Note pondérée = Σ(poids × note ÷ note maximale)" in html
    client.force_login(roles["committee"])
    html = client.get(reverse("reviews:application", args=[admissible.pk])).content.decode()
    assert "15,00 /20" in html and "favorable" in html
    assert "Enregistrer l'avis" not in html  # the committee reads, does not assess
    client.force_login(roles["resident"])
    html = client.get(reverse("reviews:application", args=[admissible.pk])).content.decode()
    assert "15,00 /20" not in html


# --- instruction done ----------------------------------------------------------------------------------------


def test_mark_reviewed_needs_an_opinion(client, admissible, roles, call):
    client.force_login(roles["reviewer"])
    url = reverse("reviews:mark_reviewed", args=[admissible.pk])
    response = client.post(url, follow=True)
    assert "aucun financeur n&#x27;a encore donné d&#x27;avis" in response.content.decode()
    admissible.refresh_from_db()
    assert admissible.status == Status.ADMISSIBLE
    assessment_save(application=admissible, funder=funder_of(call, "commune"), user=roles["lead"], version=0,
                    opinion=Opinion.FAVOURABLE)
    response = client.post(url, follow=True)
    assert "La demande est marquée comme instruite" in response.content.decode()
    admissible.refresh_from_db()
    assert admissible.status == Status.REVIEWED
    last = ApplicationTransition.objects.filter(application=admissible).last()
    assert (last.from_status, last.to_status, last.by) == (Status.ADMISSIBLE, Status.REVIEWED, roles["reviewer"])
    with pytest.raises(ReviewError, match="déjà marquée comme instruite"):
        application_mark_reviewed(application=admissible, user=roles["reviewer"])


def test_mark_reviewed_refused_before_admissibility(submitted, roles):
    with pytest.raises(ReviewError, match="Seule une demande recevable"):
        application_mark_reviewed(application=submitted, user=roles["lead"])
    assert not ApplicationTransition.objects.filter(application=submitted, to_status=Status.REVIEWED).exists()


def test_admissibility_refused_once_decided_keeps_nothing(submitted, roles):
    from quartiers.applications.services import application_withdraw

    application_withdraw(application=submitted, user=member(submitted.organisation, Role.SIGNATORY))
    submitted.refresh_from_db()
    with pytest.raises(ReviewError, match="La recevabilité ne peut plus être modifiée"):
        admissibility_set(application=submitted, user=roles["lead"], admissible=True)
    assert not Admissibility.objects.exists()


def _grant(application, funder, by):
    from datetime import date

    from quartiers.reviews.models import Decision, Outcome

    return Decision.objects.create(application=application, funder=funder, outcome=Outcome.GRANTED,
                                   amount=Decimal("30000"), decided_on=date(2026, 11, 25), decided_by=by)


def test_admissibility_cannot_be_reopened_after_a_partial_decision(client, admissible, roles, call):
    """Funder 1 granted 30 000 € (the status stays « recevable » until every funder decided): declaring the
    application inadmissible now would leave a live grant on it."""
    grant = _grant(admissible, funder_of(call, "etat_bop147"), roles["lead"])
    moves = ApplicationTransition.objects.filter(application=admissible).count()
    with pytest.raises(ReviewError, match="Des décisions de financeurs sont déjà enregistrées pour ce dossier : "
                                          "la recevabilité ne peut plus être modifiée."):
        admissibility_set(application=admissible, user=roles["lead"], admissible=False, reason="Hors champ.")
    admissible.refresh_from_db()
    assert admissible.status == Status.ADMISSIBLE
    assert Admissibility.objects.get(application=admissible).admissible
    assert ApplicationTransition.objects.filter(application=admissible).count() == moves
    grant.refresh_from_db()  # still there, on an admissible application
    # the page offers no form, and the action is refused to the lead and the reviewer alike
    url = reverse("reviews:admissibility", args=[admissible.pk])
    for who in ("lead", "reviewer"):
        client.force_login(roles[who])
        html = client.get(reverse("reviews:application", args=[admissible.pk])).content.decode()
        assert "Enregistrer la recevabilité" not in html, who
        assert client.post(url, {"verdict": "inadmissible", "reason": "Hors champ."}).status_code == 404, who
    admissible.refresh_from_db()
    assert admissible.status == Status.ADMISSIBLE


# --- conflict of interest ------------------------------------------------------------------------------------


def test_conflict_hides_the_assessments_and_forms_and_blocks_posts(client, admissible, roles, call):
    etat = funder_of(call, "etat_bop147")
    assessment_save(application=admissible, funder=etat, user=roles["lead"], version=0, opinion=Opinion.FAVOURABLE,
                    comment="Avis confidentiel du financeur")
    user = roles["reviewer"]
    client.force_login(user)
    response = client.post(reverse("reviews:conflict", args=[admissible.pk]), {"reason": "Trésorier de l'association"},
                           follow=True)
    html = response.content.decode()
    assert ConflictOfInterest.objects.filter(application=admissible, user=user).exists()
    assert "Vous avez déclaré un conflit d'intérêts" in html
    assert "Avis confidentiel du financeur" not in html and "Avis des financeurs" not in html
    for label in ("Enregistrer la recevabilité", "Rattacher à cet objectif", "Envoyer la demande au porteur",
                  "Marquer comme instruite", "Déclarer un conflit"):
        assert label not in html, label
    p = f"f{etat.pk}"
    posts = [
        (reverse("reviews:assessment", args=[admissible.pk, etat.pk]), {f"{p}-version": "1", f"{p}-opinion": "reserved"}),
        (reverse("reviews:admissibility", args=[admissible.pk]), {"verdict": "inadmissible", "reason": "x"}),
        (reverse("reviews:confirm_match", args=[admissible.pk]), {"objective": "1"}),
        (reverse("reviews:info_request", args=[admissible.pk]), {"question": "Une question ?"}),
        (reverse("reviews:mark_reviewed", args=[admissible.pk]), {}),
        (reverse("reviews:conflict", args=[admissible.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert client.get(reverse("reviews:assessment", args=[admissible.pk, etat.pk])).status_code == 404
    row = Assessment.objects.get(funder=etat)
    assert row.opinion == Opinion.FAVOURABLE and row.version == 1
    # the others see the declaration
    client.force_login(roles["lead"])
    assert "Trésorier de l&#x27;association" in client.get(reverse("reviews:application", args=[admissible.pk])
                                                           ).content.decode()


def test_conflict_declared_twice_is_refused(admissible, roles):
    services.conflict_declare(application=admissible, user=roles["observer"])
    with pytest.raises(ReviewError, match="déjà déclaré un conflit"):
        services.conflict_declare(application=admissible, user=roles["observer"])
    assert ConflictOfInterest.objects.count() == 1


# --- residents' advice ---------------------------------------------------------------------------------------


def test_resident_gives_then_edits_one_advice(client, submitted, roles):
    client.force_login(roles["resident"])
    url = reverse("reviews:advice", args=[submitted.pk])
    response = client.post(url, {"stance": "support", "comment": ""}, follow=True)
    assert "Commentaire : expliquez votre avis en quelques mots." in response.content.decode()
    assert not Advice.objects.exists()
    client.post(url, {"stance": "support", "comment": "Les jeunes du centre en parlent depuis longtemps."})
    response = client.post(url, {"stance": "reserved", "comment": "Attention aux horaires du samedi."},
                           follow=True)
    assert "Votre avis consultatif est enregistré." in response.content.decode()
    advice = Advice.objects.get()
    assert (advice.stance, advice.author) == ("reserved", roles["resident"])
    client.force_login(roles["committee"])
    html = client.get(reverse("reviews:application", args=[submitted.pk])).content.decode()
    assert "Attention aux horaires du samedi." in html and "réserves" in html


def test_only_residents_give_advice(client, submitted, roles):
    for who in ("lead", "reviewer", "committee", "observer", "outsider"):
        client.force_login(roles[who])
        assert client.post(reverse("reviews:advice", args=[submitted.pk]),
                           {"stance": "support", "comment": "Oui"}).status_code == 404, who
    assert not Advice.objects.exists()


# --- confirmed matches as labelled examples ------------------------------------------------------------------


def test_confirmed_examples_are_the_contracts_primary_matches_except_the_application(call, organisation, roles):
    from quartiers.reviews.review.selectors import version_objectives

    first = submit_application(call, organisation)
    second = submit_application(call, organisation, title="Atelier théâtre des samedis pour les adolescents")
    objective = next(o for o in version_objectives(call.framework_version)
                     if o.theme.section.neighbourhood and o.theme.section.neighbourhood.code == "QN03002M")
    services.match_confirm(application=first, objective=objective, user=roles["lead"], suggested_rank=1,
                           suggested_score=0.7)
    services.match_confirm(application=second, objective=objective, user=roles["lead"])
    assert ConfirmedMatch.objects.count() == 2
    examples = confirmed_examples(call, exclude=second)
    assert [e.reference for e in examples] == [first.reference]
    assert examples[0].objective_key == objective.key and examples[0].neighbourhood_code == "QN03002M"
    assert {e.reference for e in confirmed_examples(call.contract)} == {first.reference, second.reference}
