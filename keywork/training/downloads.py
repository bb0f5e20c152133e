"""The matrix as a spreadsheet and as CSV, with the same cells as the page."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from keywork.training.selectors import Matrix


def matrix_rows(matrix: Matrix) -> list[list[str]]:
    """The header, a row per member of staff and the course shares, as text."""
    header = ["Staff", "Roles", *[course.name for course in matrix.courses], "Share done"]
    rows = [header]
    for row in matrix.rows:
        share = row.share
        rows.append(
            [
                row.staff.full_name,
                ", ".join(role.replace("_", " ") for role in row.roles),
                *[cell.text for cell in row.cells],
                "" if share.percent is None else f"{share.percent}% ({share.rating_label})",
            ]
        )
    shares = matrix.course_shares()
    rows.append(
        [
            "Share done",
            "",
            *["" if s.percent is None else f"{s.percent}% ({s.rating_label})" for s in shares],
            "",
        ]
    )
    return rows


def _safe(value: str) -> str:
    # A cell a spreadsheet would run as a formula is kept as text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def as_csv(matrix: Matrix) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in matrix_rows(matrix):
        writer.writerow([_safe(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(matrix: Matrix) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Training matrix"
    for row in matrix_rows(matrix):
        sheet.append([_safe(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
