"""Prints how many tests ran on each database and in the browser, from pytest's JUnit XML."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "browser": "Chromium (browser)"}


def main(folder: str) -> int:
    totals = [0, 0, 0]
    print("\nKeywork test summary")
    for name, label in LABELS.items():
        path = Path(folder) / f"{name}.xml"
        if not path.exists():
            print(f"  {label:<20} did not run")
            return 1
        suite = ET.parse(path).getroot()  # noqa: S314 (our own pytest output)
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        tests, failures = int(suite.get("tests")), int(suite.get("failures"))
        errors, skipped = int(suite.get("errors")), int(suite.get("skipped"))
        passed = tests - failures - errors - skipped
        print(f"  {label:<20} {passed} passed, {failures + errors} failed, {skipped} skipped")
        totals[0] += passed
        totals[1] += failures + errors
        totals[2] += skipped
    print(f"{totals[0]} passed, {totals[1]} failed, {totals[2]} skipped")
    return 1 if totals[1] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
