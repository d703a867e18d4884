"""The demo association: idempotent, one draft and one submitted application without blocking findings."""

import pytest

from quartiers.applications.engine_adapter import application_findings
from quartiers.applications.models import Application, Organisation, Status
from quartiers.demo.applications import DEMO_USERNAME, load_demo_applications

pytestmark = pytest.mark.django_db


def test_demo_applications_are_loaded_once(call, django_user_model):
    from quartiers.calls.models import CallFunder, Funder

    # The demo call names the Ville d'Alès and the CAF: make sure they take part in this test call.
    for kind, name, siret in (("commune", "Ville d'Alès", "21300007800013"),
                              ("caf", "Caisse d'allocations familiales du Gard", "77560972000013")):
        funder, _ = Funder.objects.get_or_create(contract=call.contract, kind=kind, siret=siret,
                                                 defaults={"name": name})
        CallFunder.objects.get_or_create(call=call, funder=funder, defaults={"envelope": 90000})
    call.required_documents = ["statutes", "board_list", "bank_details", "annual_accounts", "activity_report"]
    call.save()
    for _ in range(2):
        load_demo_applications(password="quartiers-demo-2026")
    user = django_user_model.objects.get(username=DEMO_USERNAME)
    assert user.check_password("quartiers-demo-2026") and user.is_active
    org = Organisation.objects.get()
    assert org.legal_name == "Association Cévennes Jeunesse"
    apps = {a.status: a for a in Application.objects.filter(organisation=org)}
    assert set(apps) == {Status.DRAFT, Status.SUBMITTED}
    submitted = apps[Status.SUBMITTED]
    assert submitted.reference == "ALES-2027-0001"
    assert not [f for f in application_findings(submitted) if f.severity == "blocking"]
    assert [f.code for f in application_findings(apps[Status.DRAFT]) if f.severity == "blocking"]
