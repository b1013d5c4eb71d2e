"""Thematic analyses: declarative definitions in `themes/*.yaml`, checked when they load.

A theme names a group of deaths (suicide, sudden unexpected death in infancy, drowning ...) by a
filter over the snapshot's case columns, and every standard analysis can then be run on that
group alone. A definition with a mistake fails to load, naming the file and the key; columns and
codes are checked against the snapshot's columns and the data dictionary's code lists, so a theme
cannot silently select nothing because of a misspelt code.

The filter is a condition, one of::

    {column: category_of_death, in: [suicide]}            # the column's value is one of these
    {column: age_band, not_in: [15-17]}
    {column: notification__circumstances, contains_any: [drowning]}   # a multiple-choice column
    {column: age_days, below: 365}                         # numbers: below / at_least
    {column: analysis__suicide_likelihood, is_known: true}
    {column: notification__known_to_social_care, is: true}   # a yes/no column
    {all: [condition, ...]}   {any: [condition, ...]}   {not: condition}
"""

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ncmd.dictionary import get_dictionary
from ncmd.snapshots.tables import CASE_COLUMNS, flattened_columns

THEMES_DIR = Path(__file__).parent / "themes"
_REQUIRED = ("name", "title", "description", "filter", "governance")
_KNOWN = {*_REQUIRED, "notes"}
_GOVERNANCE = ("author", "checked_by", "checked_on", "version")
_LIST_OPERATORS = ("in", "not_in", "contains_any")
_NUMBER_OPERATORS = ("below", "at_least")
_OPERATORS = (*_LIST_OPERATORS, *_NUMBER_OPERATORS, "is", "is_known")
AGE_BANDS = ("0-27d", "28-364d", "1-4", "5-9", "10-14", "15-17")


class ThemeError(Exception):
    pass


@dataclass(frozen=True)
class Theme:
    name: str
    title: str
    description: str
    filter: dict
    governance: dict
    sql: str  # the filter as a DuckDB condition over the snapshot's `cases`
    notes: tuple = ()


def _columns():
    """{column: (arrow type name, codes or None)} of the snapshot's `cases` table."""
    latest = get_dictionary().latest
    codes = {
        "sex": latest.codelists["sex"], "ethnicity": latest.codelists["ethnicity"],
        "category_of_death": latest.codelists["category_of_death"],
        "modifiable_factors": latest.codelists["modifiable_factors"],
        "expected_death": latest.codelists["expected_death"],
    }  # fmt: skip
    columns = {}
    for name, kind in CASE_COLUMNS:
        allowed = {c.code for c in codes[name].codes} if name in codes else None
        columns[name] = (str(kind), allowed)
    columns["age_band"] = ("string", set(AGE_BANDS))
    columns["ethnicity_group"] = ("string", set(latest.codelists["ethnicity"].groups))
    for name, _, field, kind in flattened_columns(latest):
        allowed = {c.code for c in field.codelist.codes} if field.codelist else None
        columns[name] = (str(kind), allowed)
    return columns


def _quote(value):
    return "'" + str(value).replace("'", "''") + "'"


def compile_filter(condition, columns, where="filter"):
    """The DuckDB condition for a filter; raises ThemeError naming the place of a mistake."""
    if not isinstance(condition, dict) or not condition:
        raise ThemeError(f"{where} must be a mapping such as {{column: ..., in: [...]}}")
    for joiner in ("all", "any"):
        if joiner in condition:
            parts = condition[joiner]
            if set(condition) != {joiner} or not isinstance(parts, list) or not parts:
                raise ThemeError(f"{where}.{joiner} must be the only key, with a list of "
                                 "conditions")  # fmt: skip
            compiled = [compile_filter(p, columns, f"{where}.{joiner}[{i}]")
                        for i, p in enumerate(parts)]  # fmt: skip
            return "(" + f" {joiner.upper().replace('ALL', 'AND').replace('ANY', 'OR')} ".join(
                compiled) + ")"  # fmt: skip
    if "not" in condition:
        if set(condition) != {"not"}:
            raise ThemeError(f"{where}.not must be the only key")
        return f"(NOT COALESCE({compile_filter(condition['not'], columns, where + '.not')}, FALSE))"
    column = condition.get("column")
    if column not in columns:
        raise ThemeError(f"{where}.column {column!r} is not a column of the snapshot's cases "
                         "(see docs/analysis.md for the list)")  # fmt: skip
    operators = [key for key in condition if key != "column"]
    if len(operators) != 1 or operators[0] not in _OPERATORS:
        raise ThemeError(f"{where} needs exactly one of {', '.join(_OPERATORS)} beside column")
    operator, value = operators[0], condition[operators[0]]
    kind, allowed = columns[column]
    sql_column = f'"{column}"'
    if operator in _LIST_OPERATORS:
        if not isinstance(value, list) or not value:
            raise ThemeError(f"{where}.{operator} must be a list of codes")
        value = [str(v) for v in value]
        if allowed is not None:
            unknown = [v for v in value if v not in allowed]
            if unknown:
                raise ThemeError(f"{where}.{operator}: {', '.join(map(repr, unknown))} not a code "
                                 f"of {column} (codes: {', '.join(sorted(allowed))})")  # fmt: skip
        is_list = kind.startswith("list")
        if (operator == "contains_any") != is_list:
            hint = "contains_any" if is_list else "in or not_in"
            raise ThemeError(f"{where}: {column} {'is' if is_list else 'is not'} a multiple-"
                             f"choice column; use {hint}")  # fmt: skip
        literals = ", ".join(_quote(v) for v in value)
        if operator == "contains_any":
            return f"list_has_any({sql_column}, [{literals}])"
        test = "IN" if operator == "in" else "NOT IN"
        return f"({sql_column} {test} ({literals}))"
    if operator in _NUMBER_OPERATORS:
        if not kind.startswith(("int", "double")) or isinstance(value, bool) or not isinstance(
            value, int | float
        ):  # fmt: skip
            raise ThemeError(f"{where}.{operator} needs a number and a numeric column")
        return f"({sql_column} {'<' if operator == 'below' else '>='} {value!r})"
    if not isinstance(value, bool):
        raise ThemeError(f"{where}.{operator} must be true or false")
    if operator == "is":
        if kind != "bool":
            raise ThemeError(f"{where}.is needs a yes/no column; {column} is not one")
        return f"({sql_column} = {str(value).upper()})"
    blank = f"({sql_column} IS NULL" + ("" if not kind.startswith("string") else
                                        f" OR {sql_column} = ''") + ")"  # fmt: skip
    return f"(NOT {blank})" if value else blank


def load_theme(path, columns=None):
    path = Path(path)

    def problem(message):
        return ThemeError(f"{path}: {message}")

    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise problem(f"is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise problem("must be a mapping of keys to values")
    missing = [key for key in _REQUIRED if not data.get(key)]
    if missing:
        raise problem(f"missing {', '.join(missing)}")
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise problem(f"unknown key {', '.join(unknown)}")
    if data["name"] != path.stem:
        raise problem(f"name {data['name']!r} must match the file name {path.stem!r}")
    governance = data["governance"] if isinstance(data["governance"], dict) else {}
    absent = [key for key in _GOVERNANCE if not governance.get(key)]
    if absent:
        raise problem(f"governance needs {', '.join(absent)}")
    if not isinstance(governance["checked_on"], datetime.date):
        raise problem("governance.checked_on must be a date (YYYY-MM-DD)")
    try:
        sql = compile_filter(data["filter"], columns or _columns())
    except ThemeError as error:
        raise problem(str(error)) from None
    notes = data.get("notes") or []
    return Theme(
        name=data["name"], title=str(data["title"]),
        description=" ".join(str(data["description"]).split()), filter=data["filter"],
        governance=governance, sql=sql, notes=tuple(" ".join(str(n).split()) for n in notes),
    )  # fmt: skip


@cache
def _themes(directory):
    columns = _columns()
    return tuple(load_theme(p, columns) for p in sorted(Path(directory).glob("*.yaml")))


def themes(directory=THEMES_DIR):
    """Every theme, in file-name order."""
    return list(_themes(str(directory)))


def get_theme(name, directory=THEMES_DIR):
    for theme in themes(directory):
        if theme.name == name:
            return theme
    known = ", ".join(t.name for t in themes(directory))
    raise ThemeError(f"There is no theme {name!r}; the themes are: {known}.")
