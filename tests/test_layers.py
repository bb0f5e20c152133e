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


def test_it_fails_when_the_records_access_decides_from_reach_up_into_it(tmp_path):
    project = copy_of_the_project(tmp_path)
    models = project / "keywork" / "accounts" / "models.py"
    models.write_text(models.read_text() + "\nfrom keywork import access  # noqa\n")
    result = lint_imports(project)
    assert result.returncode != 0
    assert "keywork.accounts is not allowed to import keywork.access" in result.stdout


def test_it_has_no_two_apps_that_import_each_other():
    import grimp

    graph = grimp.build_graph("keywork", exclude_type_checking_imports=True)
    app_of = {}
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) > 1 and "tests" not in parts:
            app_of[module] = parts[1]
    reaches: set[tuple[str, str]] = set()
    for module, app in app_of.items():
        for imported in graph.find_modules_directly_imported_by(module):
            other = app_of.get(imported)
            if other is not None and other != app:
                reaches.add((app, other))
    both_ways = sorted((a, b) for a, b in reaches if (b, a) in reaches and a < b)
    # The one exception, by design: need to know is about the person and their episodes,
    # so the access module (a module, not an app) reads the people app's models, and
    # the people app's pages ask the access module.
    assert both_ways == [("access", "people")]
    assert {
        imported
        for imported in graph.find_modules_directly_imported_by("keywork.access")
        if imported.startswith("keywork.people")
    } == {"keywork.people.models"}
    # The foundation is in layers too: the access module over the records it reads.
    assert ("access", "accounts") in reaches
    assert ("accounts", "access") not in reaches
