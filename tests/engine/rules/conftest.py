"""Fixtures for the rules: applications built from the examples of docs/schemas/examples, then varied."""

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from quartiers.engine.rules import check_application
from quartiers.engine.rules.io import ApplicationFile, load_application_file

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "schemas" / "examples"
NOW = datetime.fromisoformat("2026-12-01T12:00:00+01:00")


def load_example(name: str) -> ApplicationFile:
    return load_application_file(json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8")))


def run(file: ApplicationFile, *, now: datetime = NOW, scorer=None, **changes) -> list:
    """Check ``file`` with its application changed by ``changes`` (dataclass fields)."""
    application = replace(file.application, **changes) if changes else file.application
    assert file.framework is not None
    return check_application(application, call=file.call, framework=file.framework, organisation=file.organisation,
                             now=now, scorer=scorer)


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def with_org(file: ApplicationFile, **changes) -> ApplicationFile:
    return replace(file, organisation=replace(file.organisation, **changes))


def with_call(file: ApplicationFile, **changes) -> ApplicationFile:
    return replace(file, call=replace(file.call, **changes))


def with_settings(file: ApplicationFile, **changes) -> ApplicationFile:
    return with_call(file, settings=replace(file.call.settings, **changes))


@pytest.fixture
def h():
    """Helpers, so test modules need no import path to this directory."""
    return SimpleNamespace(run=run, codes=codes, with_org=with_org, with_call=with_call, with_settings=with_settings,
                           load=load_example, NOW=NOW)


@pytest.fixture
def anduze() -> ApplicationFile:
    """An admissible youth action in Anduze (no finding)."""
    return load_example("anduze-jeunesse-recevable")


@pytest.fixture
def ales() -> ApplicationFile:
    """An education action in Alès, whose theme demands out-of-school time."""
    return load_example("ales-lecture-temps-scolaire")
