"""The problem report of an import: one line per problem, as row, column, value and message.

The report is written to a file as the import goes (so a file with a problem on every row does not
fill memory), and offered for download as CSV or XLSX. Both downloads are safe against spreadsheet
formula injection: a cell that starts with = + - @, a tab or a carriage return is prefixed with a
single quote, so a spreadsheet shows it as text and never runs it.
"""

import csv
import io

COLUMNS = ("row", "column", "value", "message", "severity")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """The cell as text a spreadsheet will not read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class ReportWriter:
    """Appends problems to the report file and counts them."""

    def __init__(self, path):
        self.path = path
        self._handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._handle)
        self._writer.writerow(COLUMNS)
        self.errors = 0
        self.warnings = 0

    def add(self, row, column, value, message, severity="error"):
        if severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        shown = value if isinstance(value, str) or value is None else _json_text(value)
        self._writer.writerow([row, column or "", shown or "", message, severity])

    def close(self):
        self._handle.close()


def _json_text(value):
    import json

    return json.dumps(value, ensure_ascii=False)


def read_report(path, limit=None):
    """The report's problems as dicts (the first `limit` of them)."""
    with open(path, encoding="utf-8", newline="") as handle:
        for number, line in enumerate(csv.DictReader(handle)):
            if limit is not None and number >= limit:
                return
            yield line


def csv_chunks(path):
    """The report as formula-safe CSV bytes, a line at a time (UTF-8 with a BOM for Excel)."""
    yield "\ufeff".encode()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for line in read_report(path):
        writer.writerow([safe(line[c]) for c in COLUMNS])
        if buffer.tell() > 65536:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def write_xlsx(path, target):
    """Write the report as a formula-safe XLSX workbook to `target` (a path or binary file)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Problems")
    sheet.append(list(COLUMNS))
    for line in read_report(path):
        sheet.append([safe(line[c]) for c in COLUMNS])
    workbook.save(target)
