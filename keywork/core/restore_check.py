"""Whether a copy of Keywork (a restored backup) holds the files its rows name: each
area says which files it keeps under KEYWORK_PRIVATE_DIR (the `stored_files`
contributions), and every one must be there, with the size and checksum it was saved
with; every file there must belong to a row. `manage.py check_restore` runs it."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from keywork.core.contributions import StoredFile, contributed


@dataclass
class Counts:
    rows: int = 0
    files: int = 0


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stored:
        while chunk := stored.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _problem_with(stored: StoredFile, path: Path, checksums: bool) -> str | None:
    if not path.is_file():
        return f"{stored.row}: its file {stored.path} is missing"
    size = path.stat().st_size
    if stored.size is not None and size != stored.size:
        return f"{stored.row}: its file {stored.path} has {size} bytes, not {stored.size}"
    if checksums and stored.sha256 and _sha256(path) != stored.sha256:
        return f"{stored.row}: its file {stored.path} has changed (its SHA-256 differs)"
    return None


def problems(private_dir: Path, counts: Counts, *, checksums: bool = True) -> Iterator[str]:
    """Each thing wrong, in plain words, as it is found; `counts` says how much was read."""
    named: set[str] = set()
    for source in contributed("stored_files"):
        for stored in source():
            counts.rows += 1
            named.add(stored.path)
            problem = _problem_with(stored, private_dir / stored.path, checksums)
            if problem:
                yield problem
    if not private_dir.is_dir():
        return
    for path in sorted(private_dir.rglob("*")):
        if path.is_file() or path.is_symlink():
            counts.files += 1
            relative = path.relative_to(private_dir).as_posix()
            if relative not in named:
                yield f"{relative}: no row names this file"
