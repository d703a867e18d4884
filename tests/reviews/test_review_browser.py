"""In a real browser: a reviewer opens an application, confirms the objective the engine suggests and gives the
commune's opinion with a modified amount."""

import re

import pytest
from playwright.sync_api import expect

from quartiers.reviews.models import Assessment, ConfirmedMatch, Opinion
from quartiers.reviews.review.services import admissibility_set
from tests.reviews.test_review_support import *  # noqa: F403 - the fixtures (call, organisation, roles, submitted…)
from tests.reviews.test_review_support import PASSWORD, funder_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_confirms_the_suggested_objective_and_gives_an_opinion_with_an_amount(page, live_server, call,
                                                                                     submitted, roles):
    from decimal import Decimal

    admissibility_set(application=submitted, user=roles["lead"], admissible=True)
    commune = funder_of(call, "commune")
    reviewer = roles["reviewer"]
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/connexion/?next=/gestion/instruction/{submitted.pk}/")
    page.get_by_label("Identifiant").fill(reviewer.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Instruction du dossier {submitted.reference}")

    first = page.locator(".q-ranking .q-suggestion").first
    label = first.locator("strong").inner_text()
    first.get_by_role("button", name=re.compile("^Confirmer")).click()
    expect(page.get_by_role("status").first).to_contain_text("Rattachement confirmé")
    expect(page.locator("#rattachement-confirme")).to_contain_text(label)
    expect(page.locator("#rattachement-confirme")).to_contain_text("proposé au rang 1 par le moteur")

    block = page.get_by_role("region", name=commune.name)
    expect(block.get_by_text("Donner l'avis de Commune d'Anduze")).to_be_visible()  # open while no opinion
    block.get_by_label("Avis", exact=True).select_option(label="favorable avec un montant modifié")
    block.get_by_label("Montant proposé (€)").fill("4 000")
    block.get_by_label("Commentaire").fill("Action attendue ; le budget des sorties peut être réduit.")
    block.get_by_role("button", name="Enregistrer l'avis de Commune d'Anduze").click()
    expect(page.get_by_role("status").first).to_contain_text("Avis de Commune d'Anduze enregistré.")
    block = page.get_by_role("region", name=commune.name)
    expect(block.locator(".q-opinion")).to_have_text("favorable avec un montant modifié")
    expect(block.locator(".q-proposed")).to_have_text("4\u202f000,00\u00a0€")

    match = ConfirmedMatch.objects.get(application=submitted)
    assert match.suggested_rank == 1 and match.confirmed_by == reviewer
    assessment = Assessment.objects.get(application=submitted, funder=commune)
    assert (assessment.opinion, assessment.proposed_amount, assessment.version) == (
        Opinion.FAVOURABLE_MODIFIED, Decimal("4000"), 1)
