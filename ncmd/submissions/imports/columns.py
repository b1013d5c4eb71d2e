"""Matching a file's columns to a form's questions, and turning one row into raw answers.

A column is matched by the question's field name or by its label, ignoring case, spaces and
underscores ("date_of_birth", "Date of birth", "DATE OF BIRTH" all match). A few columns are not
questions but say where a row goes: `client_reference`, `cdop`, `case_reference` and `agency`.
The cells are passed to the one validator as they are (a multiple-choice cell lists its codes or
labels separated by `;`).
"""

from dataclasses import dataclass

# Columns that say where a row goes, with the labels they may also be given by.
ROUTING = {
    "client_reference": ("client reference", "your reference"),
    "cdop": ("cdop", "cdop code"),
    "case_reference": ("case reference", "case"),
    "agency": ("agency", "agency code"),
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def normalise(header):
    return " ".join(str(header).replace("_", " ").split()).casefold()


@dataclass(frozen=True)
class Columns:
    """Where each column of a file goes: a question (field name) or a routing column."""

    fields: dict  # header -> field name
    routing: dict  # header -> routing name
    unknown: tuple  # headers that match nothing
    repeated: tuple  # (header, earlier header) pairs naming the same thing twice


def routing_for(form):
    """The routing columns a file for `form` may have."""
    if form.kind == "notification":
        return ("client_reference", "cdop")
    if form.per_agency:
        return ("case_reference", "client_reference", "cdop", "agency")
    return ("case_reference", "client_reference", "cdop")


def match_columns(form, headers):
    names = {}
    for name in form.fields:
        names.setdefault(normalise(name), ("field", name))
    for name, spec in form.fields.items():
        names.setdefault(normalise(spec.label), ("field", name))
    for name in routing_for(form):
        for label in (name, *ROUTING[name]):
            names.setdefault(normalise(label), ("routing", name))
    fields, routing, unknown, repeated, seen = {}, {}, [], [], {}
    for header in headers:
        if not normalise(header):
            continue
        target = names.get(normalise(header))
        if target is None:
            unknown.append(header)
            continue
        if target in seen:
            repeated.append((header, seen[target]))
            continue
        seen[target] = header
        (fields if target[0] == "field" else routing)[header] = target[1]
    return Columns(fields, routing, tuple(unknown), tuple(repeated))


def template_headers(form):
    """The columns of an empty file for `form`: routing columns, then every question by name."""
    return [*routing_for(form), *form.fields]


def split_row(columns, cells, *, strings):
    """(raw answers by field name, routing values by name, formula-like cells) for one row.

    `strings` says the cells are text (CSV, XLSX); JSON values are passed on as they are, and a
    JSON key that matches no column is passed on too, so the validator names it."""
    raw, routing, formulas = {}, {}, []
    for header, value in cells.items():
        if header in columns.fields:
            name = columns.fields[header]
            if strings and isinstance(value, str):
                value = value.strip()
                if value.startswith(FORMULA_STARTS):
                    formulas.append((header, name, value))
            raw[name] = value
        elif header in columns.routing:
            routing[columns.routing[header]] = "" if value is None else str(value).strip()
        elif not strings:
            raw[header] = value
    return raw, routing, formulas
