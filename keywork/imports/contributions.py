"""Importing records, in the menu; the uploaded spreadsheets kept for each import."""

from collections.abc import Iterator

from keywork import access
from keywork.core.contributions import Contributions, MenuItem, StoredFile
from keywork.imports.models import ImportJob


def _stored_files() -> Iterator[StoredFile]:
    # No checksum was taken of an import's file: a restored copy is checked for it alone.
    rows = ImportJob.objects.order_by("pk").values_list("pk", "stored_name")
    for pk, stored_name in rows.iterator(chunk_size=2000):
        yield StoredFile(f"imports/{stored_name}", f"import {pk}")


CONTRIBUTIONS = Contributions(
    menu=[MenuItem("Import", "imports:imports", access.Capability.IMPORT, place=90)],
    stored_files=[_stored_files],
)
