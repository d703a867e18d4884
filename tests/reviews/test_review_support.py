"""Fixtures and helpers of the review-page tests (no tests here): a submitted Anduze application of « Association
Cévennes Jeunesse » in the open demo call, and one account per role of the Alès contract.

Test modules import the fixtures they use from here and from ``tests/applications/conftest.py``.
"""
# ruff: noqa: F811

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict

from quartiers.applications.models import Role
from quartiers.applications.services import (
    application_create,
    application_document_store,
    application_save,
    application_submit,
)
from quartiers.calls.selectors import call_to_engine
from quartiers.frameworks.matching import matcher_for
from quartiers.reviews.models import ContractRole
from tests.applications.conftest import (  # noqa: F401 - fixtures used by the review tests
    PASSWORD,
    call,
    demo_annex,
    demo_contract,
    fast_password_hasher,
    make_user,
    media_root,
    member,
    organisation,
)
from tests.applications.factories import YOUTH, anduze_post, objective_value, pdf_bytes
from tests.factories import ContractMemberFactory, funder_of

# What test modules take with « from tests.reviews.test_review_support import * »: the fixtures only.
__all__ = ["call", "demo_annex", "demo_contract", "fast_password_hasher", "make_user", "media_root", "organisation",
           "roles", "submitted"]


def submit_application(call, organisation, **overrides):
    """Create, fill (as the form posts it) and submit an application; returns it submitted."""
    from quartiers.applications.cerfa import attestation_from_post, content_from_post

    signatory = member(organisation, Role.SIGNATORY)
    post = QueryDict(mutable=True)
    for key, value in anduze_post(call, objective=objective_value(call, YOUTH), **overrides).items():
        if isinstance(value, list):
            post.setlist(key, value)
        else:
            post[key] = value
    app = application_create(call=call, organisation=organisation, user=signatory)
    content, errors = content_from_post(post, funders=call_to_engine(call).funders,
                                        framework=matcher_for(call.framework_version).framework)
    assert not errors, errors
    application_save(application=app, content=content, attested=attestation_from_post(post), by=signatory,
                     today=date(2026, 11, 20))
    for t in ("statutes", "bank_details"):
        application_document_store(application=app, doc_type=t, kind="pdf", user=signatory,
                                   uploaded=SimpleUploadedFile(f"{t}.pdf", pdf_bytes(), "application/pdf"))
    return application_submit(application=app, user=signatory, notify=False)


@pytest.fixture
def submitted(call, organisation):
    return submit_application(call, organisation)


@pytest.fixture
def roles(call, make_user):
    """One account per role of the contract: lead, reviewer (any funder), reviewer of the State, the commune's
    representative, committee member, resident, observer; plus an outsider of another contract's world."""
    etat = funder_of(call, "etat_bop147")
    commune = funder_of(call, "commune")
    spec = {
        "lead": ("claire.cheffe@ales.example", ContractRole.PROJECT_LEAD, None),
        "reviewer": ("remi.instructeur@ales.example", ContractRole.REVIEWER, None),
        "reviewer_etat": ("sophie.delegue@gard.example", ContractRole.REVIEWER, etat),
        "funder_commune": ("marc.commune@anduze.example", ContractRole.FUNDER, commune),
        "committee": ("lea.comite@ales.example", ContractRole.COMMITTEE, None),
        "resident": ("karim.habitant@ales.example", ContractRole.RESIDENT, None),
        "observer": ("obs.erveur@ales.example", ContractRole.OBSERVER, None),
    }
    users = {}
    for name, (email, role, funder) in spec.items():
        user = make_user(email)
        ContractMemberFactory(contract=call.contract, user=user, role=role, funder=funder)
        users[name] = user
    users["outsider"] = make_user("personne.exterieure@example.org")
    return users
