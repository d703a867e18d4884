"""Fixtures of the importer tests: the seed annex and its hand-annotated gold structure."""

import json
import sys
from pathlib import Path

import pytest

# The suite runs with --import-mode=importlib: make the helpers module of this folder importable by the tests.
sys.path.insert(0, str(Path(__file__).parent))

from importer_helpers import GOLD, SEED  # noqa: E402


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(scope="session")
def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))
