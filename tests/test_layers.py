"""The import contracts hold, and break when an app reaches where it may not."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def copy_of_the_project(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "keywork", tmp_path / "keywork", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_it_keeps_every_contract_as_the_code_stands(tmp_path):
    result = lint_imports(copy_of_the_project(tmp_path))
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


def test_it_fails_when_core_reaches_up_into_an_area(tmp_path):
    project = copy_of_the_project(tmp_path)
    fields = project / "keywork" / "core" / "fields.py"
    fields.write_text(fields.read_text() + "\nfrom keywork.people import models  # noqa\n")
    result = lint_imports(project)
    assert result.returncode != 0
    assert "Core imports no other app BROKEN" in result.stdout
    assert "keywork.core.fields -> keywork.people.models" in result.stdout


def test_it_fails_when_an_area_imports_another_areas_views(tmp_path):
    project = copy_of_the_project(tmp_path)
    selectors = project / "keywork" / "risk" / "selectors.py"
    selectors.write_text(selectors.read_text() + "\nfrom keywork.housing import views  # noqa\n")
    result = lint_imports(project)
    assert result.returncode != 0
    assert "No app imports another app's views BROKEN" in result.stdout
    # Two areas of casework stand side by side: neither imports the other.
    assert "keywork.risk is not allowed to import keywork.housing" in result.stdout
