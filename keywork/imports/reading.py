"""Reading the rows of an uploaded CSV or Excel file, whatever its quirks."""

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from openpyxl import load_workbook


class UnreadableFile(ValidationError):
    pass


def sniff_format(name: str, head: bytes) -> str:
    """'csv' or 'xlsx' from the content, not only the name: an .xlsx is a zip file."""
    is_zip = head.startswith(b"PK\x03\x04")
    lower = name.lower()
    if lower.endswith(".xlsx") and is_zip:
        return "xlsx"
    if lower.endswith(".csv") and not is_zip and b"\x00" not in head[:4096]:
        return "csv"
    raise UnreadableFile("Upload a CSV file (saved as CSV UTF-8) or an Excel workbook (.xlsx).")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path: Path, file_format: str) -> Iterator[list[str]]:
    """Every row as a list of text cells, the header row first."""
    if file_format == "csv":
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableFile(
                "The file is not in UTF-8 text. In your spreadsheet program, save it as "
                "'CSV UTF-8' and upload it again."
            ) from error
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        for row in csv.reader(io.StringIO(text), dialect):
            yield [cell.strip() for cell in row]
        return
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(
            "This Excel file cannot be opened. Check it is a .xlsx workbook."
        ) from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(value) for value in row]
    finally:
        workbook.close()


def headers_of(path: Path, file_format: str) -> list[str]:
    for row in read_rows(path, file_format):
        headers = list(row)
        if not any(headers):
            break
        if len({h.lower() for h in headers if h}) != len([h for h in headers if h]):
            raise UnreadableFile("Two columns have the same heading: give each column its own.")
        return headers
    raise UnreadableFile("The file is empty: the first row must name the columns.")
