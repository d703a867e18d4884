"""Shared fixtures. Browser tests drive Debian's Chromium through Playwright (never a downloaded browser)."""

import io
import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses that unless told it is safe
# (it is: the test thread and the live server thread each use their own connection).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session", autouse=True)
def immediate_tasks():
    """Background jobs run at once in the process that enqueues them (still after the commit, as in production),
    so that a test reads mail.outbox as soon as its transaction commits. The queue tests (tests/core/test_tasks.py)
    switch to the database backend and run the real worker."""
    from django.test import override_settings

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                              "QUEUES": ["default"]}}):
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture(scope="session")
def ales_annex_import():
    """The seed annex (data/demo/), imported once per session by the real importer: the import is the slow part."""
    from quartiers.demo.contract import DEMO_ANNEX
    from quartiers.engine.importer import import_annex_bytes

    data = DEMO_ANNEX.read_bytes()
    return data, import_annex_bytes(data, DEMO_ANNEX.name)


@pytest.fixture
def ales_annex(db, ales_annex_import):
    """The Alès contract and its 4 QPVs with the seed annex published, built by the factories: what the public
    pages, the match page, the API and the applicant's pages need, without the demo's call, associations and review
    stages (see ``demo_data`` for the demo itself)."""
    from quartiers.demo.contract import DEMO_ANNEX, DEMO_QPVS
    from quartiers.frameworks.services import framework_store, version_publish
    from tests.factories import ContractFactory

    contract = ContractFactory(
        slug="ales", name="Contrat de ville de l'arrondissement d'Alès", code="CN03001I",
        lead_name="CA Alès Agglomération", lead_siren="200066918", department="30", qpvs=DEMO_QPVS,
        description="Contrat de ville « Engagements Quartiers 2030 » des quartiers prioritaires d'Alès, d'Anduze, "
                    "de La Grand-Combe et de Saint-Ambroix.")
    data, result = ales_annex_import
    version_publish(version=framework_store(contract=contract, framework=result.framework,
                                            source_name=DEMO_ANNEX.name, source_bytes=data,
                                            source_text="\n".join(result.lines)))
    return contract


@pytest.fixture
def demo_data(db):
    """The demo loaded into the test database: the Alès contract, its 4 QPVs, the published annex, the call
    ``ales-2027`` and the demo association (without the review stages: see ``demo_reviews``)."""
    from django.core.management import call_command

    from quartiers.territories.models import Contract

    call_command("demo", "--no-migrate", "--no-warmup", "--no-review-demo", stdout=io.StringIO())
    return Contract.objects.get(slug="ales")


@pytest.fixture
def demo_reviews(demo_data):
    """The whole demo: ``demo_data`` plus an account for each role of the contract and applications at every
    stage of the review (quartiers/demo/reviews.py)."""
    from quartiers.demo import DEMO_PASSWORD
    from quartiers.demo.reviews import load_demo_reviews

    load_demo_reviews(password=DEMO_PASSWORD)
    return demo_data


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        username="equipe", password="mot-de-passe-solide-2026", is_staff=True, first_name="Équipe", last_name="Contrat"
    )
