"""The call's scoring grid: the five usual criteria suggested when empty, saved with a formset, changed after scores
exist without corrupting them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from quartiers.reviews.models import Assessment, Opinion, ScoringCriterion
from quartiers.reviews.review.services import admissibility_set, assessment_save
from tests.reviews.test_review_support import *  # noqa: F403 - the fixtures (call, organisation, roles, submitted…)
from tests.reviews.test_review_support import funder_of

pytestmark = pytest.mark.django_db

P = "criteres"


def grid_url(call):
    return reverse("reviews:grid", args=[call.slug])


def management(total, initial=0):
    return {f"{P}-TOTAL_FORMS": str(total), f"{P}-INITIAL_FORMS": str(initial), f"{P}-MIN_NUM_FORMS": "0",
            f"{P}-MAX_NUM_FORMS": "1000"}


def test_empty_grid_suggests_the_five_usual_criteria(client, call, roles):
    client.force_login(roles["lead"])
    response = client.get(grid_url(call))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Capacité à faire", "Présence dans les quartiers", "Faisabilité du calendrier",
                  "Publics visés et mobilisation", "Inscription dans les priorités du quartier"):
        assert f'value="{label}"' in html, label
    assert "La grille est vide" in html
    assert not ScoringCriterion.objects.exists()


def test_saving_the_suggestion_creates_the_criteria(client, call, roles):
    client.force_login(roles["lead"])
    data = management(5)
    for i, (label, weight) in enumerate((("Capacité à faire", "2"), ("Présence dans les quartiers", "1"),
                                         ("Faisabilité du calendrier", "1"), ("Publics visés", "1,5"),
                                         ("Priorités du quartier", "1"))):
        data.update({f"{P}-{i}-label": label, f"{P}-{i}-help_text": "", f"{P}-{i}-weight": weight,
                     f"{P}-{i}-scale_max": "4", f"{P}-{i}-position": str(i + 1)})
    response = client.post(grid_url(call), data, follow=True)
    assert "Grille d&#x27;analyse enregistrée : 5 critères." in response.content.decode()
    criteria = list(ScoringCriterion.objects.filter(call=call))
    assert [c.label for c in criteria][:2] == ["Capacité à faire", "Présence dans les quartiers"]
    assert criteria[3].weight == Decimal("1.5") and all(c.scale_max == 4 for c in criteria)


def test_bad_values_are_refused_in_french_and_nothing_is_saved(client, call, roles):
    client.force_login(roles["lead"])
    data = management(2)
    data.update({f"{P}-0-label": "Capacité à faire", f"{P}-0-weight": "1", f"{P}-0-scale_max": "4",
                 f"{P}-0-position": "1",
                 f"{P}-1-label": "", f"{P}-1-weight": "0", f"{P}-1-scale_max": "40", f"{P}-1-position": "2"})
    response = client.post(grid_url(call), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "La grille n&#x27;a pas été enregistrée" in html or "La grille n'a pas été enregistrée" in html
    assert "Critère : donnez un intitulé au critère." in html
    assert "Note maximale : 20 au plus." in html
    assert not ScoringCriterion.objects.exists()


def test_changing_the_grid_after_scores_exist_keeps_them(client, call, roles, submitted):
    a = ScoringCriterion.objects.create(call=call, label="Capacité à faire", weight=Decimal(1), scale_max=4,
                                        position=1)
    b = ScoringCriterion.objects.create(call=call, label="Calendrier", weight=Decimal(1), scale_max=4, position=2)
    admissibility_set(application=submitted, user=roles["lead"], admissible=True)
    submitted.refresh_from_db()
    etat = funder_of(call, "etat_bop147")
    saved = assessment_save(application=submitted, funder=etat, user=roles["lead"], version=0,
                            opinion=Opinion.FAVOURABLE, scores={str(a.pk): 4, str(b.pk): 1})
    assert saved.weighted_score == Decimal("12.50")  # (1 + 0.25) / 2 × 20
    client.force_login(roles["lead"])
    assert "1 avis comportent déjà des notes" in client.get(grid_url(call)).content.decode()
    # weight of A becomes 3, B is deleted, a new criterion C is added
    data = management(3, initial=2)
    data.update({f"{P}-0-id": str(a.pk), f"{P}-0-label": "Capacité à faire (renommé)", f"{P}-0-weight": "3",
                 f"{P}-0-scale_max": "4", f"{P}-0-position": "1",
                 f"{P}-1-id": str(b.pk), f"{P}-1-label": "Calendrier", f"{P}-1-weight": "1",
                 f"{P}-1-scale_max": "4", f"{P}-1-position": "2", f"{P}-1-DELETE": "on",
                 f"{P}-2-label": "Publics visés", f"{P}-2-weight": "1", f"{P}-2-scale_max": "4",
                 f"{P}-2-position": "3"})
    response = client.post(grid_url(call), data)
    assert response.status_code == 302
    assert list(ScoringCriterion.objects.filter(call=call).values_list("label", flat=True)) == [
        "Capacité à faire (renommé)", "Publics visés"]
    row = Assessment.objects.get(pk=saved.pk)
    assert row.scores == {str(a.pk): 4, str(b.pk): 1}  # nothing rewritten
    assert row.weighted_score == Decimal("20.00")  # only A counts now: 3 × 4/4 / 3 × 20


def test_only_the_project_lead_configures_the_grid(client, call, roles, submitted):
    for who in ("reviewer", "committee", "funder_commune", "observer", "resident", "outsider"):
        client.force_login(roles[who])
        assert client.get(grid_url(call)).status_code == 403, who
        assert client.post(grid_url(call), management(0)).status_code == 403, who
    client.force_login(roles["reviewer"])
    html = client.get(reverse("reviews:application", args=[submitted.pk])).content.decode()
    assert "Avis des financeurs" in html and "la grille d'analyse de l'appel" not in html  # the link is the lead's only
    client.force_login(roles["lead"])
    html = client.get(reverse("reviews:application", args=[submitted.pk])).content.decode()
    assert f'href="{grid_url(call)}"' in html
    client.logout()
    response = client.get(grid_url(call))
    assert response.status_code == 302 and "next=" in response["Location"]
