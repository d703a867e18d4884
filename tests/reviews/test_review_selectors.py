"""The review page's read model: ``review_page(reader, application)`` applies the reading rules for each reader."""

from decimal import Decimal

from quartiers.reviews.perms import assessment_reader
from quartiers.reviews.review.selectors import review_page
from quartiers.reviews.review.services import admissibility_set, advice_save, assessment_save, conflict_declare
from tests.reviews.test_review_support import *  # noqa: F403 - the fixtures (call, organisation, roles, submitted…)
from tests.reviews.test_review_support import funder_of


def _assessed(submitted, roles, call):
    admissibility_set(application=submitted, user=roles["lead"], admissible=True)
    etat = funder_of(call, "etat_bop147")
    assessment_save(application=submitted, funder=etat, user=roles["lead"], version=0, opinion="favourable",
                    proposed_amount=Decimal("1234.56"), comment="Bon projet")
    advice_save(application=submitted, user=roles["resident"], stance="support", comment="Utile au quartier")
    submitted.refresh_from_db()
    return etat


def test_insiders_read_the_assessments_and_every_advice(submitted, roles, call):
    _assessed(submitted, roles, call)
    page = review_page(roles["lead"], submitted)
    assert page.insider and not page.conflicted
    assert [a.proposed_amount for a in page.assessments] == [Decimal("1234.56")]
    assert [a.comment for a in page.advices] == ["Utile au quartier"]
    assert any("Recevable" in e["what"] or "recevable" in e["what"] for e in page.history)
    assert page.context()["assessments"] == page.assessments


def test_residents_read_their_own_advice_and_no_assessment(submitted, roles, call):
    _assessed(submitted, roles, call)
    page = review_page(roles["resident"], submitted)
    assert not page.insider and page.assessments == [] and page.conflicts == []
    assert [a.comment for a in page.advices] == ["Utile au quartier"] and page.own_advice is not None
    assert not page.can_read_documents


def test_a_declared_conflict_hides_the_assessments_on_the_page_and_in_the_reader(submitted, roles, call):
    _assessed(submitted, roles, call)
    reviewer = roles["reviewer"]
    assert review_page(reviewer, submitted).assessments
    conflict_declare(application=submitted, user=reviewer, reason="Membre du bureau")
    page = review_page(reviewer, submitted)
    assert page.conflicted and not page.insider and page.assessments == []
    reader = assessment_reader(reviewer, call.contract_id)
    assert reader.insider and submitted.pk in reader.recused and not reader.sees(submitted.pk)
