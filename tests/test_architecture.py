"""The import-linter contracts of pyproject.toml, run for real on a copy of the package.

Each test copies the Python files of ``quartiers`` into a temporary directory, optionally plants one module that
breaks a contract, and runs ``lint-imports`` as a subprocess on the copy with the project's own configuration.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
LAYERS = "The Django apps are layered: each imports only the layers below it"
ENGINE = "The engine imports no Django and no other part of Quartiers"


def _copy_package(destination: Path) -> None:
    """Copy the Python files of the package (not templates, static files or data): all that import-linter reads."""
    def ignored(directory: str, names: list[str]) -> list[str]:
        return [n for n in names
                if n == "__pycache__" or not (n.endswith(".py") or (Path(directory) / n).is_dir())]

    shutil.copytree(ROOT / "quartiers", destination / "quartiers", ignore=ignored)
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), str(tree / "pyproject.toml"), "--no-cache", "--no-logo"],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    _copy_package(tmp_path)
    return tmp_path


def test_the_tree_keeps_every_contract(tree):
    result = _lint_imports(tree)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{LAYERS} KEPT" in result.stdout
    assert f"{ENGINE} KEPT" in result.stdout


@pytest.mark.parametrize(("package", "imported", "contract", "chain"), [
    pytest.param("territories", "quartiers.reviews", LAYERS, "quartiers.territories.planted -> quartiers.reviews",
                 id="territories-imports-reviews"),
    pytest.param("common", "quartiers.territories", LAYERS, "quartiers.common.planted -> quartiers.territories",
                 id="common-imports-territories"),
    pytest.param("frameworks", "quartiers.core.views", LAYERS, "quartiers.frameworks.planted -> quartiers.core.views",
                 id="frameworks-imports-core"),
    pytest.param("engine", "quartiers.calls.models", ENGINE, "quartiers.engine.planted -> quartiers.calls.models",
                 id="engine-imports-calls"),
    pytest.param("engine", "django.db", ENGINE, "quartiers.engine.planted -> django", id="engine-imports-django"),
])
def test_a_planted_import_breaks_its_contract(tree, package, imported, contract, chain):
    # The planted module exists only in the copy: finding it proves that the subprocess analyses the copy.
    (tree / "quartiers" / package / "planted.py").write_text(f'"""An import the contracts refuse."""\n\nimport {imported}\n')

    result = _lint_imports(tree)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout
    assert f"{chain} (l.3)" in result.stdout
