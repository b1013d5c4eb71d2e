"""Reading CSV, XLSX and JSON files one row at a time, so memory stays flat for any file size.

A file's kind is decided by its content, never by its name alone: a ZIP container is an XLSX
workbook, a first character of `[` or `{` is JSON (an array of objects, or JSON Lines), and
anything else must be UTF-8 text in CSV. A file that cannot be read raises `FileProblem` with a
message saying what is wrong and what to do.

Each reader yields `(row_number, cells)`: `cells` maps the column header to the cell. Row numbers
are the ones a person sees: the spreadsheet row (the header is row 1) for CSV and XLSX, the
object's position (1 for the first) in a JSON array, and the line in JSON Lines.
"""

import csv
import datetime
import json
import zipfile
from pathlib import Path

import ijson

KINDS = ("csv", "xlsx", "json")
_EXTENSIONS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json", ".jsonl": "json"}
_NAMES = {"csv": "CSV", "xlsx": "XLSX workbook", "json": "JSON"}


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


def detect_kind(path, name=None):
    """'csv', 'xlsx' or 'json', from the file's first bytes (and its name, which must agree)."""
    with open(path, "rb") as handle:
        start = handle.read(4096)
    stripped = start.removeprefix(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"PK\x03\x04"):
        kind = "xlsx"
    elif stripped[:1] in (b"[", b"{"):
        kind = "json"
    elif b"\x00" in start or start.startswith((b"\xd0\xcf\x11\xe0", b"%PDF")):
        raise FileProblem(
            "The file is not a CSV, XLSX or JSON file. Save a spreadsheet as CSV UTF-8 or as an "
            "Excel workbook (.xlsx); older .xls workbooks cannot be read."
        )
    else:
        kind = "csv"
    claimed = _EXTENSIONS.get(Path(name or path).suffix.lower())
    if claimed is not None and claimed != kind:
        raise FileProblem(
            f"The file is named as a {_NAMES[claimed]} but its content is a {_NAMES[kind]}: "
            "check that the right file was chosen and that it was saved in the right format."
        )
    return kind


class Table:
    """An open file's column headers and its rows; `close()` releases the file."""

    def __init__(self, headers, rows, close):
        self.headers, self.rows, self._close = headers, rows, close

    def close(self):
        self.rows.close()
        self._close()


def read_rows(path, kind):
    """The file as a Table: the column headers in file order and an iterator of (number, cells).
    Close it when done (a file that cannot be read is closed before FileProblem is raised)."""
    return {"csv": _read_csv, "xlsx": _read_xlsx, "json": _read_json}[kind](path)


# CSV -----------------------------------------------------------------------------------------


def _utf8_lines(handle):
    """The file's lines as text, refusing bytes that are not UTF-8 with where they are."""
    offset = 0
    for number, raw in enumerate(handle, start=1):
        line = raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as error:
            at = offset + error.start + (len(raw) - len(line))
            raise FileProblem(
                f"The file is not UTF-8 text: save it as CSV UTF-8. The first character that is "
                f"not UTF-8 is on line {number}, at byte {at}."
            ) from None
        offset += len(raw)


def _read_csv(path):
    handle = open(path, "rb")  # noqa: SIM115 - closed by the row iterator when it ends
    reader = csv.reader(_utf8_lines(handle))
    try:
        headers = next(reader, None)
    except (FileProblem, csv.Error) as error:
        handle.close()
        raise _csv_problem(error, reader) from None
    if not headers or not any(h.strip() for h in headers):
        handle.close()
        raise FileProblem("The file is empty: the first row must name the columns.")

    def rows():
        try:
            # The spreadsheet's row number: records, not lines (a quoted cell may hold breaks).
            for number, cells in enumerate(reader, start=2):
                if "".join(cells).strip():  # not a blank row
                    yield number, _cells(headers, cells, number)
        except csv.Error as error:
            raise _csv_problem(error, reader) from None

    return Table(headers, rows(), handle.close)


def _csv_problem(error, reader):
    if isinstance(error, FileProblem):
        return error
    return FileProblem(f"The CSV file cannot be read at line {reader.line_num}: {error}.")


def _cells(headers, cells, number):
    if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :]):
        raise FileProblem(
            f"Row {number} has {len(cells)} cells but the header names only {len(headers)} "
            "columns: check for a stray comma or an unquoted value."
        )
    return dict(zip(headers, cells, strict=False))


# XLSX ----------------------------------------------------------------------------------------


class FormulaCell(str):
    """A workbook cell that holds a formula rather than a value."""


def _read_xlsx(path):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=False)
        header_row = next(values, None)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError,
            IndexError, TypeError) as error:  # fmt: skip
        raise FileProblem(
            "The file is not a readable XLSX workbook (it may be damaged, encrypted or another "
            f"format): open it in a spreadsheet and save it again as .xlsx. ({error})"
        ) from None
    headers = [_xlsx_text(c.value) for c in header_row or ()]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        workbook.close()
        raise FileProblem("The first worksheet is empty: its first row must name the columns.")

    def rows():
        try:
            for number, row in enumerate(values, start=2):
                cells = [_xlsx_cell(c) for c in row]
                if any(str(cell).strip() for cell in cells):
                    yield number, _cells(headers, cells, number)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise FileProblem(
                f"The XLSX workbook is damaged near row {number}: open it in a spreadsheet and "
                f"save it again. ({error})"
            ) from None

    return Table(headers, rows(), workbook.close)


def _xlsx_cell(cell):
    if getattr(cell, "data_type", None) == "f":
        return FormulaCell(cell.value)
    return _xlsx_text(cell.value)


def _xlsx_text(value):
    """The cell as the text a person sees: dates as 2024-03-27, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()[:5] if isinstance(value, datetime.time) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# JSON ----------------------------------------------------------------------------------------


def _read_json(path):
    with open(path, "rb") as handle:
        first = handle.read(4096).removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if first == b"[":
        return _read_json_array(path)
    return _read_json_lines(path)


def _read_json_array(path):
    handle = open(path, "rb")  # noqa: SIM115 - closed by the row iterator when it ends
    if handle.read(3) != b"\xef\xbb\xbf":
        handle.seek(0)
    items = ijson.items(handle, "item", use_float=True)
    try:
        headers, first = _first_object(items, "the array")
    except FileProblem:
        handle.close()
        raise

    def rows():
        number = 1
        try:
            if first is not None:
                yield 1, first
            for number, item in enumerate(items, start=2):  # noqa: B007 - used in the message
                yield number, _object(item, f"Item {number} of the array")
        except ijson.JSONError as error:
            raise FileProblem(
                f"The JSON is not valid after item {number} of the array: {error}."
            ) from None

    return Table(headers, rows(), handle.close)


def _first_object(items, where):
    try:
        first = next(items, None)
    except ijson.JSONError as error:
        raise FileProblem(f"The file is not valid JSON: {error}.") from None
    if first is None:
        return [], None
    first = _object(first, f"Item 1 of {where}")
    return list(first), first


def _object(item, where):
    if not isinstance(item, dict):
        raise FileProblem(f'{where} is not an object of named answers, like {{"sex": "F"}}.')
    return item


def _read_json_lines(path):
    handle = open(path, "rb")  # noqa: SIM115 - closed by the row iterator when it ends
    lines = _utf8_lines(handle)

    def objects():
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise FileProblem(
                    f"Line {number} is not a JSON object: {error.msg}. A JSON file holds one "
                    "array of objects, or one object per line (JSON Lines)."
                ) from None
            yield number, _object(item, f"Line {number}")

    iterator = objects()
    try:
        first = next(iterator, None)
    except FileProblem:
        handle.close()
        raise
    headers = list(first[1]) if first else []

    def rows():
        if first is not None:
            yield first
        yield from iterator

    return Table(headers, rows(), handle.close)
