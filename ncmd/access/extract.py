"""Building a research extract from a snapshot: the approved population and fields only, each
case under a pseudonym keyed to the request, dates coarsened as approved, a disclosure risk
check, a data description, checksums, and one zip package to download.

The pseudonym is HMAC-SHA256 of the case reference under the request's own random key: the same
child has the same pseudonym in every extract of one request (so a refreshed extract can be
joined to the first), and an unrelated pseudonym in any other request's extract, so two
researchers' extracts cannot be linked. The key never leaves the server.
"""

import base64
import csv
import datetime
import hashlib
import hmac
import io
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ncmd.dictionary.exports import formula_safe
from ncmd.snapshots.store import connect

from .catalogue import COARSENING_LABELS, catalogue

PSEUDONYM_COLUMN = "pseudonym"
_DAYS_PER_MONTH = 365.25 / 12


class ExtractError(Exception):
    """The extract cannot be built as asked; the message says what to change."""


def pseudonym(key, reference):
    """A readable 12-character pseudonym, like 7KQ2-M9XA-B3CD (60 bits of HMAC-SHA256)."""
    digest = hmac.new(bytes.fromhex(key), reference.encode(), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode()[:12]
    return f"{text[:4]}-{text[4:8]}-{text[8:]}"


def coarsen(value, coarsening):
    """One value as the extract shows it, after coarsening."""
    if value is None:
        return None
    if coarsening in ("month", "year") and isinstance(value, datetime.date):
        return f"{value:%Y-%m}" if coarsening == "month" else f"{value:%Y}"
    if coarsening == "hour" and isinstance(value, str) and ":" in value:
        return f"{value.split(':')[0]}:00"
    if coarsening == "months":
        return int(value // _DAYS_PER_MONTH)
    if coarsening == "years":
        return int(value // 365.25)
    return value


def as_text(value):
    """A value as a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(item) for item in value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class Population:
    period_from: datetime.date
    period_to: datetime.date
    age_bands: tuple = ()
    regions: tuple = ()


@dataclass(frozen=True)
class Risk:
    smallest_group: int
    small_groups: list  # [{"values": {column: value}, "size": n}], smallest first
    quasi_identifiers: list


def read_rows(folder, *, fields, population, key):
    """(header, rows) of the extract: a pseudonym, then each field as approved, sorted by
    pseudonym so the order says nothing about when a death was notified."""
    items = catalogue()
    chosen = [items[name] for name in fields]
    connection = connect(folder)
    try:
        present = {row[0] for row in connection.execute("DESCRIBE cases").fetchall()}
        missing = [f.name for f in chosen if f.column not in present]
        if missing:
            raise ExtractError(
                f"The snapshot has no column for {', '.join(missing)}: it was frozen under an "
                "older dictionary release. Choose a newer snapshot."
            )
        where = ["coalesce(duplicate_status, '') <> 'linked'", "date_of_death BETWEEN ? AND ?"]
        params = [population.period_from, population.period_to]
        for column, values in (("age_band", population.age_bands), ("region", population.regions)):
            if values:
                where.append(f"{column} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        columns = ", ".join(f'"{f.column}"' for f in chosen)
        query = f"SELECT reference{', ' if columns else ''}{columns} FROM cases WHERE "
        result = connection.execute(query + " AND ".join(where), params).fetchall()
    finally:
        connection.close()
    rows = []
    for reference, *values in result:
        row = {PSEUDONYM_COLUMN: pseudonym(key, reference)}
        for item, value in zip(chosen, values, strict=True):
            row[item.name] = coarsen(value, fields[item.name])
        rows.append(row)
    rows.sort(key=lambda row: row[PSEUDONYM_COLUMN])
    if len({row[PSEUDONYM_COLUMN] for row in rows}) != len(rows):  # 60 bits: never in practice
        raise ExtractError("Two cases drew the same pseudonym; build the extract again.")
    return [PSEUDONYM_COLUMN, *fields], rows


def assess_risk(rows, fields, minimum, *, show=10):
    """k-anonymity over the extract's quasi-identifiers: the size of the smallest group of cases
    that share every quasi-identifier's value (after coarsening)."""
    quasi = [name for name in fields if catalogue()[name].quasi_identifier]
    if not rows:
        return Risk(0, [], quasi)
    groups = Counter(tuple(as_text(row[name]) for name in quasi) for row in rows)
    ordered = sorted(groups.items(), key=lambda item: (item[1], item[0]))
    small = [
        {"values": dict(zip(quasi, values, strict=True)), "size": size}
        for values, size in ordered[:show]
        if size < minimum
    ]
    return Risk(ordered[0][1], small, quasi)


def describe(
    *,
    request_reference,
    version_number,
    extract_number,
    snapshot,
    population,
    fields,
    rows,
    risk,
    minimum,
    built_at,
    conditions,
    data_sha256,
):
    """The extract's data description (Markdown), generated from the dictionary."""
    items = catalogue()
    lines = [
        f"# Data description: {request_reference}, extract {extract_number}",
        "",
        f"- Request: {request_reference}, version {version_number}",
        f"- Built: {built_at:%d %B %Y %H:%M} UTC",
        f"- Snapshot: {snapshot.pk} of {snapshot.created_at:%d %B %Y %H:%M} UTC, content hash "
        f"{snapshot.content_hash}",
        f"- Data dictionary release: {snapshot.dictionary_release}",
        f"- Population: deaths from {population.period_from:%d %B %Y} to "
        f"{population.period_to:%d %B %Y}; ages {', '.join(population.age_bands) or 'all'}; "
        f"regions {', '.join(population.regions) or 'all of England'}",
        f"- Rows: {len(rows)} (one per child; confirmed duplicate notifications left out)",
        f"- Disclosure risk check: the smallest group of children sharing the same values of "
        f"{', '.join(risk.quasi_identifiers) or 'no quasi-identifier'} has {risk.smallest_group} "
        f"(minimum {minimum})",
        f"- SHA-256 of data.csv: {data_sha256}",
        "",
        "## Conditions of use",
        "",
        conditions.strip() or "As set out in the approval.",
        "",
        "## Columns",
        "",
        f"### {PSEUDONYM_COLUMN}",
        "",
        "A pseudonym for the child, made for this request only: the same child has a different "
        "pseudonym in any other request's extract. It cannot be turned back into the child's "
        "case reference.",
        "",
    ]
    for name, coarsening in fields.items():
        item = items[name]
        lines += [
            f"### {name}",
            "",
            f"- Label: {item.label}",
            f"- Type: {item.type_label}",
            f"- From: {item.source}{f', {item.section}' if item.section else ''}",
            f"- Coarsening: {COARSENING_LABELS[coarsening]}",
        ]
        if item.type == "multiple_choice":
            lines.append("- Several codes are separated by semicolons.")
        if item.help:
            lines.append(f"- Notes: {' '.join(item.help.split())}")
        if item.codes:
            lines += ["", "| code | meaning |", "|---|---|"]
            lines += [f"| {code} | {label} |" for code, label in item.codes]
        lines.append("")
    lines += [
        "## Empty cells",
        "",
        "An empty cell means the answer was not given, was recorded as not known, or did not "
        "apply to this child.",
        "",
    ]
    return "\n".join(lines)


def csv_bytes(header, rows):
    """The extract as CSV (UTF-8), every cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([formula_safe(as_text(row[name])) for name in header])
    return buffer.getvalue().encode()


def write_package(folder, *, data, description):
    """Write the zip of data.csv, data-description.md and SHA256SUMS into `folder`; return
    the zip's SHA-256."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    text = description.encode()
    sums = (
        f"{hashlib.sha256(data).hexdigest()}  data.csv\n"
        f"{hashlib.sha256(text).hexdigest()}  data-description.md\n"
    ).encode()
    package = folder / "package.zip"
    with zipfile.ZipFile(package, "w") as archive:
        for name, content in (
            ("data.csv", data),
            ("data-description.md", text),
            ("SHA256SUMS", sums),
        ):
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    (folder / "data-description.md").write_bytes(text)
    return hashlib.sha256(package.read_bytes()).hexdigest()
