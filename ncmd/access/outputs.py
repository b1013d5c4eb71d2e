"""Output checking: reading a table a researcher means to publish and running the disclosure
checker of `ncmd.stats.disclosure` on it, cell by cell.

A table is a CSV file or an Excel workbook (one table per sheet): the first row holds the column
headings, the first column the row labels, and the other cells are counts or a suppression
symbol (*, c, x, [c], .., or <n). A last row or column whose label contains "total" is read as
the published totals. Two things are reported: published counts that are small (inside the
rule's suppression range), and suppressed cells that can be worked out exactly by adding and
subtracting the published figures (`find_recoverable`).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

import numpy as np

from ncmd.stats.disclosure import DisclosureRule, find_recoverable

SUPPRESSION_SYMBOLS = {"*", "c", "[c]", "x", "[x]", "..", "~", "s", "[s]", "suppressed"}
_LESS_THAN = re.compile(r"^<\s*\d+$")
_COUNT = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+(\.0+)?$")
_MAX_CELLS = 10_000


class OutputError(Exception):
    """The file cannot be read as a table of counts; the message says where and why."""


@dataclass
class Table:
    title: str
    corner: str
    row_labels: list
    column_labels: list
    cells: list  # rows of int, or None where suppressed
    total_row: bool
    total_column: bool

    def as_json(self):
        return {
            "title": self.title,
            "corner": self.corner,
            "row_labels": self.row_labels,
            "column_labels": self.column_labels,
            "cells": self.cells,
            "total_row": self.total_row,
            "total_column": self.total_column,
        }


def read_tables(file_name, content):
    """Every table in an uploaded CSV or XLSX file."""
    name = file_name.lower()
    if name.endswith(".csv"):
        return [parse_table(file_name, _csv_rows(content))]
    if name.endswith(".xlsx"):
        return [parse_table(title, rows) for title, rows in _xlsx_sheets(content)]
    raise OutputError(
        f"{file_name}: upload a CSV file (.csv) or an Excel workbook (.xlsx) of counts."
    )


def _csv_rows(content):
    if b"\x00" in content[:4096]:
        raise OutputError("The CSV file is not text: save the table as CSV (UTF-8) and try again.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OutputError(
            "The CSV file is not UTF-8 text: save it as 'CSV UTF-8 (comma delimited)'."
        ) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_sheets(content):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not content.startswith(b"PK\x03\x04"):
        raise OutputError("The file is not an Excel workbook (.xlsx): save it as one, or as CSV.")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise OutputError(
            "The Excel workbook could not be read: it may be damaged or password-protected. "
            "Save it again, or upload the table as CSV."
        ) from None
    sheets = []
    try:
        for sheet in workbook.worksheets:
            rows = [
                ["" if value is None else str(value).strip() for value in row]
                for row in sheet.iter_rows(values_only=True)
            ]
            if any(any(cell for cell in row) for row in rows):
                sheets.append((sheet.title, rows))
    finally:
        workbook.close()
    if not sheets:
        raise OutputError("The workbook has no table in it.")
    return sheets


def _trimmed(rows):
    rows = [row for row in rows if any(cell for cell in row)]
    width = max(
        (max((i + 1 for i, c in enumerate(row) if c), default=0) for row in rows), default=0
    )
    return [(row + [""] * width)[:width] for row in rows]


def parse_table(title, rows):
    rows = _trimmed(rows)
    if len(rows) < 2 or len(rows[0]) < 2:
        raise OutputError(
            f"{title}: a table needs a heading row, a label column and at least one count."
        )
    if len(rows) * len(rows[0]) > _MAX_CELLS:
        raise OutputError(f"{title}: the table has more than {_MAX_CELLS} cells; split it up.")
    header, body = rows[0], rows[1:]
    cells = []
    for number, row in enumerate(body, start=2):
        values = []
        for column, text in zip(header[1:], row[1:], strict=True):
            values.append(_cell(title, number, column or f"column {len(values) + 2}", text))
        cells.append(values)
    column_labels = [label or f"column {i + 2}" for i, label in enumerate(header[1:])]
    row_labels = [row[0] or f"row {i + 2}" for i, row in enumerate(body)]
    return Table(
        title=title,
        corner=header[0],
        row_labels=row_labels,
        column_labels=column_labels,
        cells=cells,
        total_row=len(body) > 1 and "total" in row_labels[-1].lower(),
        total_column=len(column_labels) > 1 and "total" in column_labels[-1].lower(),
    )


def _cell(title, row_number, column, text):
    text = text.strip()
    if text.lower() in SUPPRESSION_SYMBOLS or _LESS_THAN.match(text):
        return None
    if _COUNT.match(text):
        return int(float(text.replace(",", "")))
    if text == "":
        raise OutputError(
            f"{title}, row {row_number}, {column}: the cell is empty. Enter the count, or a "
            "suppression symbol such as * if it is suppressed."
        )
    raise OutputError(
        f"{title}, row {row_number}, {column}: {text!r} is not a count or a suppression symbol "
        "(*, c, x, <5). Tables for checking hold counts only: whole numbers of people."
    )


_DEFAULT_RULE = DisclosureRule()


def check_table(table, rule=_DEFAULT_RULE):
    """[{"row", "column", "value", "problem"}] for every cell that needs attention."""
    findings = []
    for i, row in enumerate(table.cells):
        for j, value in enumerate(row):
            if value is not None and rule.suppress_from <= value <= rule.suppress_to:
                findings.append(
                    {
                        "row": table.row_labels[i],
                        "column": table.column_labels[j],
                        "value": str(value),
                        "kind": "small",
                        "problem": f"A count of {value} is small (the rule suppresses "
                        f"{rule.suppress_from} to {rule.suppress_to}): suppress it, and enough "
                        "other cells that it cannot be worked out from the totals.",
                    }
                )
    findings += _recoverable(table)
    return findings


def _layout(table):
    """The table as the checker sees it: (suppressed mask with margins, labels by position,
    unpublished mask). Totals the table does not show are treated as unpublished figures."""
    rows = len(table.cells) - table.total_row
    columns = len(table.column_labels) - table.total_column
    grid = [[table.cells[i][j] for j in range(columns)] for i in range(rows)]
    if columns == 1 or rows == 1:  # a one-way table
        values = [r[0] for r in grid] if columns == 1 else grid[0]
        labels = (
            [(table.row_labels[i], table.column_labels[0]) for i in range(rows)]
            if columns == 1
            else [(table.row_labels[0], table.column_labels[j]) for j in range(columns)]
        )
        published_total = table.total_row if columns == 1 else table.total_column
        total = (
            (table.cells[-1][0] if columns == 1 else table.cells[0][-1])
            if published_total
            else None
        )
        mask = np.array([v is None for v in values] + [total is None])
        labels.append(
            ("Total", "")
            if not published_total
            else (
                (table.row_labels[-1], table.column_labels[0])
                if columns == 1
                else (table.row_labels[0], table.column_labels[-1])
            )
        )
        unpublished = np.zeros(mask.shape, dtype=bool)
        unpublished[-1] = not published_total
        return mask, labels, unpublished
    mask = np.zeros((rows + 1, columns + 1), dtype=bool)
    unpublished = np.zeros(mask.shape, dtype=bool)
    labels = {}
    for i in range(rows + 1):
        for j in range(columns + 1):
            source_i = i if i < rows else (len(table.cells) - 1 if table.total_row else None)
            source_j = (
                j if j < columns else (len(table.column_labels) - 1 if table.total_column else None)
            )
            if source_i is None or source_j is None:
                mask[i, j] = unpublished[i, j] = True
                labels[(i, j)] = ("Total", "")
                continue
            mask[i, j] = table.cells[source_i][source_j] is None
            labels[(i, j)] = (table.row_labels[source_i], table.column_labels[source_j])
    return mask, labels, unpublished


def _recoverable(table):
    mask, labels, unpublished = _layout(table)
    if not mask.any():
        return []
    label_of = (lambda p: labels[p[0]]) if mask.ndim == 1 else (lambda p: labels[tuple(p)])
    findings = []
    for recovery in find_recoverable([(mask, None)]):
        if unpublished[recovery.position]:
            continue  # an unpublished total that follows from the cells is no disclosure
        row, column = label_of(recovery.position)
        derivation = _along_a_line(mask, recovery.position) or recovery.derivation
        steps = " ".join(
            f"{'+' if weight > 0 else '−'} {_weight(weight)}{' × ' if abs(weight) != 1 else ''}"
            f"[{' / '.join(x for x in label_of(position) if x)}]"
            for _, position, weight in derivation
        ).lstrip("+ ")
        findings.append(
            {
                "row": row,
                "column": column,
                "value": "suppressed",
                "kind": "recoverable",
                "problem": f"This suppressed cell can be worked out from the published figures: "
                f"{steps}. Suppress another cell in its row or column too.",
            }
        )
    return findings


def _along_a_line(mask, position):
    """The plain derivation (total minus the other cells) when the rest of the cell's row or
    column, total included, is published; else None."""
    if mask.ndim == 1:
        lines = [[(k,) for k in range(mask.shape[0])]]
    else:
        i, j = position
        rows, columns = mask.shape
        lines = [[(i, k) for k in range(columns)], [(k, j) for k in range(rows)]]
    for line in lines:
        others = [p for p in line if p != tuple(position)]
        if any(mask[p] for p in others):
            continue
        total = line[-1]
        if tuple(position) == total:
            return tuple((0, p, 1.0) for p in others)
        return ((0, total, 1.0), *((0, p, -1.0) for p in others if p != total))
    return None


def _weight(weight):
    weight = abs(weight)
    return "" if weight == 1 else f"{weight:g}"
