"""Shared fixtures. Browser tests drive Debian's Chromium through Playwright (never a downloaded browser)."""

import io
import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses that unless told it is safe
# (it is: the test thread and the live server thread each use their own connection).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


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
    stage of the review (quartiers/reviews/demo.py)."""
    from quartiers.core.management.commands.demo import DEMO_PASSWORD
    from quartiers.reviews.demo import load_demo_reviews

    load_demo_reviews(password=DEMO_PASSWORD)
    return demo_data


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        username="equipe", password="mot-de-passe-solide-2026", is_staff=True, first_name="Équipe", last_name="Contrat"
    )
