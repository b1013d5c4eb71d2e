"""The files of a data release: one CSV per table, a notes CSV, and one workbook (a notes sheet
first, then a sheet per table). Byte for byte the same for the same tables and release: no
clock is read, workbook properties and zip entry times are fixed.

Cells are formula-safe (`ncmd.dictionary.exports.formula_safe`): text a spreadsheet would run as
a formula is written with a leading apostrophe.
"""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from ncmd.analysis.tables import Column, Kind, Table
from ncmd.dictionary.exports import formula_safe
from ncmd.stats import DisclosureRule

from .disclosure import LOW_RELIABILITY_BELOW, SYMBOLS, ProtectedTable
from .formatting import DECIMALS, cell_number, cell_text

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class ReleaseFacts:
    """What the notes say about a release, apart from its tables."""

    release_id: str
    title: str
    year: str
    snapshot_hash: str
    frozen_at: str  # the snapshot's freeze time, ISO 8601
    rule: DisclosureRule
    denominator_name: str = ""
    denominator_synthetic: bool = False


def header(column):
    """A column's heading: its label, with its unit unless the label already gives it."""
    if not column.unit or f"({column.unit})" in column.label:
        return column.label
    return f"{column.label} ({column.unit})"


def rule_text(rule):
    text = (
        f"Counts for a region or CDOP from {rule.suppress_from} to {rule.suppress_to} are "
        "suppressed (primary suppression), and further figures are suppressed where a suppressed "
        "count could otherwise be worked out from the totals published beside it (secondary "
        "suppression; every release is checked exactly for recoverable figures before it is "
        "published). National figures are not suppressed, unless all of a national count falls in "
        "one region or CDOP, when the national figure would give that area's away."
    )
    if rule.rounding_base > 1:
        text += (
            f" Other counts for a region or CDOP are rounded to the nearest {rule.rounding_base}; "
            "rates and percentages are calculated from unrounded counts, as NHS England does for "
            "Hospital Episode Statistics, so they may not match the rounded counts exactly."
        )
    text += (
        " A rate, percentage, interval or other statistic derived from a suppressed count is "
        f"withheld too. Rates based on fewer than {LOW_RELIABILITY_BELOW} deaths are flagged as "
        "of low reliability ([u]) in a column beside the rate, as the Office for National "
        "Statistics does for mortality rates."
    )
    return text


def notes_rows(facts, protected_tables):
    """(heading, text) rows of the notes: the release, the rule, symbols, then each table."""
    rows = [
        ("Release", facts.title),
        ("Release identifier", facts.release_id),
        ("Reporting year", f"{facts.year} (1 April to 31 March)"),
        ("Snapshot content hash (SHA-256)", facts.snapshot_hash),
        ("Snapshot frozen at", facts.frozen_at),
        ("Disclosure control", rule_text(facts.rule)),
    ]
    if facts.denominator_name:
        rows.append(("Denominators", facts.denominator_name))
    if facts.denominator_synthetic:
        rows.append(
            (
                "Warning",
                "The population and birth denominators of this release are synthetic, made for a "
                "demonstration: rates and intervals are not real figures.",
            )
        )
    rows += [(f"Symbol {symbol}", meaning) for symbol, meaning in SYMBOLS.items()]
    for protected in protected_tables:
        table = protected.table
        rows.append((f"Table {table.id}", f"{table.title}. {table.description}"))
        for column in protected.columns:
            rows.append((f"  {column.key}", _column_note(column)))
        for note in table.notes:
            rows.append(("  note", note))
    return rows


def _column_note(column):
    unit = f", {column.unit}" if column.unit else ""
    kind = {
        Kind.DIMENSION: "category",
        Kind.COUNT: "count",
        Kind.DENOMINATOR: "denominator",
        Kind.RATE: "rate",
        Kind.PROPORTION: "percentage",
        Kind.LOWER: "lower 95% confidence limit",
        Kind.UPPER: "upper 95% confidence limit",
        Kind.STATISTIC: "statistic",
    }[column.kind]
    derived = f", of {column.of}" if column.of else ""
    decimals = DECIMALS.get(column.kind)
    places = f"; {decimals} decimal place{'s' if decimals != 1 else ''}" if decimals else ""
    return f"{column.label} ({kind}{unit}{derived}{places})"


def _csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([formula_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def table_csv(protected):
    """One table as CSV: a header of labels (with units), then the published cells."""
    columns = protected.columns
    rows = [[header(c) for c in columns]]
    rows += [[cell_text(c, v) for c, v in zip(columns, row, strict=True)] for row in protected.rows]
    return _csv_bytes(rows)


def notes_csv(facts, protected_tables):
    return _csv_bytes([("Heading", "Note"), *notes_rows(facts, protected_tables)])


def sheet_names(protected_tables):
    """Unique sheet names of at most 31 characters: "T1 deaths-by-age-band" ..."""
    names = []
    for number, protected in enumerate(protected_tables, 1):
        base = re.sub(r"[\[\]:*?/\\]", "-", f"T{number} {protected.id}")[:31]
        names.append(base)
    return names


def workbook_bytes(facts, protected_tables):
    """The release workbook: "Notes" first, then one sheet per table with its title in A1."""
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes["A1"] = formula_safe(facts.title)
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([])
    notes.append(["Heading", "Note"])
    for heading, text in notes_rows(facts, protected_tables):
        notes.append([formula_safe(heading), formula_safe(text)])
    notes.column_dimensions["A"].width = 34
    notes.column_dimensions["B"].width = 120
    for protected, name in zip(protected_tables, sheet_names(protected_tables), strict=True):
        sheet = book.create_sheet(name)
        table = protected.table
        sheet["A1"] = formula_safe(table.title)
        sheet["A1"].font = Font(bold=True, size=12)
        sheet["A2"] = formula_safe(table.description)
        sheet["A3"] = "Symbols and the disclosure rule are explained on the Notes sheet."
        sheet.append([formula_safe(header(c)) for c in protected.columns])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in protected.rows:
            values = []
            for column, value in zip(protected.columns, row, strict=True):
                number = cell_number(column, value)
                values.append(formula_safe(number) if isinstance(number, str) else number)
            sheet.append(values)
            for column, cell in zip(protected.columns, sheet[sheet.max_row], strict=True):
                places = DECIMALS.get(column.kind)
                if isinstance(cell.value, float) and places:
                    cell.number_format = "0." + "0" * places
                elif isinstance(cell.value, int) and column.kind is not Kind.DIMENSION:
                    cell.number_format = "#,##0"
        for index, column in enumerate(protected.columns):
            letter = sheet.cell(row=4, column=index + 1).column_letter
            sheet.column_dimensions[letter].width = max(12, min(40, len(header(column)) + 2))
    return _fixed_workbook(book, facts.frozen_at)


def _fixed_workbook(book, frozen_at):
    """Save with fixed properties and zip times, so the same workbook gives the same bytes."""
    import datetime

    when = (
        datetime.datetime.fromisoformat(frozen_at)
        .astimezone(datetime.UTC)
        .replace(tzinfo=None, microsecond=0)
    )
    book.properties.creator = "ncmd"
    book.properties.lastModifiedBy = "ncmd"
    book.properties.created = when
    book.properties.modified = when  # `save_workbook` would set it to now: ExcelWriter does not
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    return out.getvalue()


def tables_json(facts, protected_tables):
    """The published tables as JSON: what the public pages show, and a download of its own."""
    document = {
        "release": facts.release_id,
        "title": facts.title,
        "year": facts.year,
        "snapshot_hash": facts.snapshot_hash,
        "tables": [
            {
                "id": p.id,
                "title": p.title,
                "description": p.table.description,
                "notes": list(p.table.notes),
                "columns": [
                    {
                        "key": c.key,
                        "label": c.label,
                        "kind": c.kind.value,
                        "unit": c.unit,
                        "of": c.of,
                        "geographic": c.geographic,
                    }
                    for c in p.columns
                ],
                "rows": [
                    [cell_number(c, v) for c, v in zip(p.columns, row, strict=True)]
                    for row in p.rows
                ],
                "withheld": len(p.withheld),
                "linked": [list(link) for link in p.links],
            }
            for p in protected_tables
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def published_tables(data):
    """The `ProtectedTable`s of a release's tables.json, as published (for the public pages)."""
    document = json.loads(data)
    tables = []
    for item in document["tables"]:
        columns = tuple(
            Column(c["key"], c["label"], Kind(c["kind"]), c["unit"], c["of"], c["geographic"])
            for c in item["columns"]
        )
        rows = tuple(tuple(row) for row in item["rows"])
        own = [
            i
            for i, c in enumerate(columns)
            if not c.key.endswith("_reliability") or c.kind is not Kind.STATISTIC
        ]
        table = Table(
            id=item["id"],
            title=item["title"],
            description=item["description"],
            columns=tuple(columns[i] for i in own),
            rows=tuple(tuple(row[i] for i in own) for row in rows),
            notes=tuple(item["notes"]),
        )
        withheld = frozenset(
            (r, c.key)
            for r, row in enumerate(rows)
            for c, v in zip(columns, row, strict=True)
            if v == "[c]"
        )
        links = tuple(tuple(link) for link in item.get("linked", []))
        tables.append(ProtectedTable(table, columns, rows, withheld, frozenset(), links))
    return tables
