"""Who signs the republican-commitment attestation (CER): the service's rule, whatever the form posted."""

from datetime import date

import pytest

from quartiers.applications.models import Role
from quartiers.applications.services import application_create, application_save, cer_signature

pytestmark = pytest.mark.django_db

MONDAY, FRIDAY = date(2026, 11, 23), date(2026, 11, 27)


def member(org, role):
    return org.memberships.get(role=role).user


@pytest.fixture
def draft(call, organisation):
    return application_create(call=call, organisation=organisation, user=member(organisation, Role.EDITOR))


def _save(draft, *, attested, by, today):
    content = {k: v for k, v in (draft.content or {}).items() if k != "cer"}
    application_save(application=draft, content=content, attested=attested, by=by, today=today)
    draft.refresh_from_db()
    return draft.content["cer"]


def test_a_signatory_who_ticks_the_box_signs_today_in_their_name(draft, organisation):
    signatory = member(organisation, Role.SIGNATORY)
    cer = _save(draft, attested=True, by=signatory, today=MONDAY)
    assert cer == {"attested": True, "signatory": signatory.get_full_name(), "signed_on": MONDAY.isoformat()}


def test_a_kept_attestation_keeps_its_signatory_and_date_whoever_saves_next(draft, organisation):
    signatory, admin = member(organisation, Role.SIGNATORY), member(organisation, Role.ADMINISTRATOR)
    first = _save(draft, attested=True, by=signatory, today=MONDAY)
    assert _save(draft, attested=True, by=admin, today=FRIDAY) == first


def test_an_editor_cannot_attest_nor_withdraw_an_attestation(draft, organisation):
    editor, signatory = member(organisation, Role.EDITOR), member(organisation, Role.SIGNATORY)
    assert _save(draft, attested=True, by=editor, today=MONDAY) == {"attested": False, "signatory": "",
                                                                     "signed_on": None}
    signed = _save(draft, attested=True, by=signatory, today=MONDAY)
    assert _save(draft, attested=False, by=editor, today=FRIDAY) == signed


def test_unticking_clears_the_attestation_and_the_next_tick_signs_anew(draft, organisation):
    signatory, admin = member(organisation, Role.SIGNATORY), member(organisation, Role.ADMINISTRATOR)
    _save(draft, attested=True, by=signatory, today=MONDAY)
    assert _save(draft, attested=False, by=signatory, today=MONDAY) == {"attested": False, "signatory": "",
                                                                         "signed_on": None}
    assert _save(draft, attested=True, by=admin, today=FRIDAY) == {
        "attested": True, "signatory": admin.get_full_name(), "signed_on": FRIDAY.isoformat()}


def test_a_user_without_a_name_signs_with_their_email(draft, organisation, make_user):
    from quartiers.applications.models import Membership

    anonymous = make_user("sans.nom@example.org")
    anonymous.first_name = anonymous.last_name = ""
    anonymous.save()
    Membership.objects.create(organisation=organisation, user=anonymous, role=Role.SIGNATORY)
    assert cer_signature(previous=None, attested=True, user=anonymous, organisation=organisation,
                         today=MONDAY)["signatory"] == anonymous.email


def test_without_the_form_the_content_keeps_its_own_attestation(draft):
    """Creation and import store the attestation the file carries: the rule applies to the form's box only."""
    cer = {"attested": True, "signatory": "Nadia Benali", "signed_on": "2026-11-20"}
    application_save(application=draft, content={**draft.content, "cer": cer})
    draft.refresh_from_db()
    assert draft.content["cer"] == cer
