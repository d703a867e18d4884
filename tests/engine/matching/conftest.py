"""Fixtures for the matching engine tests: the seed framework and one Matcher built on it (once per session)."""

import pytest

from eval.seed import load_seed
from quartiers.engine.matching import Matcher


@pytest.fixture(scope="session")
def seed():
    return load_seed()


@pytest.fixture(scope="session")
def framework(seed):
    return seed[0]


@pytest.fixture(scope="session")
def objective_ids(seed):
    return seed[1]


@pytest.fixture(scope="session")
def matcher(framework):
    return Matcher(framework)
