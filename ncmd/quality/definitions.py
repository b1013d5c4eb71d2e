"""Indicator definitions: YAML files in `definitions/`, checked when they load.

Each definition states what it counts (table, period, denominator, numerator, or sums), which
direction is better, when a value is "not scored", the worklist of records needing action, and
who wrote and checked it. A definition with a mistake fails to load with the file and the key
named; its SQL is checked against the snapshot schema by `ncmd quality check`.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
VALIDITY_RULES = Path(__file__).parent / "validity_rules.yaml"
TABLES = ("cases", "submissions", "requests", "expected_forms")
PERIOD_TYPES = ("month", "quarter", "year")
_REQUIRED = ("name", "title", "description", "table", "period", "denominator", "better",
             "governance")  # fmt: skip
_GOVERNANCE = ("author", "checked_by", "checked_on", "version")
_KNOWN = {*_REQUIRED, "numerator", "measure", "numerator_sum", "denominator_sum", "target",
          "minimum_denominator", "mature_after_days", "worklist", "periods"}  # fmt: skip


# What a validity rule can read: the reporting forms (r) with their case (c), or the cases (c).
VALIDITY_RULE_SOURCES = {
    "reporting": ("r.case_reference", "reporting r JOIN cases c ON c.reference = r.case_reference"),
    "cases": ("c.reference", "cases c"),
}
_VALIDITY_RULE_KEYS = ("name", "description", "reads", "condition", "form", "field", "message")


class DefinitionError(Exception):
    pass


@dataclass(frozen=True)
class Worklist:
    condition: str = ""
    sql: str = ""
    form: str = ""
    form_sql: str = ""
    field: str = ""
    field_sql: str = ""
    message: str = ""


@dataclass(frozen=True)
class Indicator:
    name: str
    title: str
    description: str
    table: str
    period: str
    denominator: str
    better: str
    governance: dict
    numerator: str = ""
    measure: str = "proportion"
    numerator_sum: str = ""
    denominator_sum: str = ""
    target: float | None = None
    minimum_denominator: int = 1
    mature_after_days: str = ""
    worklist: Worklist = field(default_factory=Worklist)
    periods: tuple = PERIOD_TYPES

    @property
    def improvement(self):
        return "increase" if self.better == "higher" else "decrease"


def _problem(path, message):
    return DefinitionError(f"{path}: {message}")


def load_definition(path):
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise _problem(path, f"is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise _problem(path, "must be a mapping of keys to values")
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise _problem(path, f"missing {', '.join(missing)}")
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise _problem(path, f"unknown key {', '.join(unknown)}")
    if data["name"] != path.stem:
        raise _problem(path, f"name {data['name']!r} must match the file name {path.stem!r}")
    if data["table"] not in TABLES:
        raise _problem(path, f"table must be one of {', '.join(TABLES)}")
    if data["better"] not in ("higher", "lower"):
        raise _problem(path, "better must be 'higher' or 'lower'")
    measure = data.get("measure", "proportion")
    if measure == "proportion" and not data.get("numerator"):
        raise _problem(path, "a proportion needs a numerator condition")
    if measure == "sum" and not (data.get("numerator_sum") and data.get("denominator_sum")):
        raise _problem(path, "a sum needs numerator_sum and denominator_sum")
    if measure not in ("proportion", "sum"):
        raise _problem(path, "measure must be 'proportion' or 'sum'")
    governance = data["governance"] or {}
    absent = [key for key in _GOVERNANCE if not governance.get(key)]
    if absent:
        raise _problem(path, f"governance needs {', '.join(absent)}")
    if not isinstance(governance["checked_on"], datetime.date):
        raise _problem(path, "governance.checked_on must be a date (YYYY-MM-DD)")
    periods = tuple(data.get("periods", PERIOD_TYPES))
    if set(periods) - set(PERIOD_TYPES) or "month" not in periods:
        raise _problem(path, f"periods must include month and be among {PERIOD_TYPES}")
    target = data.get("target")
    if target is not None and not 0 <= float(target) <= 1:
        raise _problem(path, "target must be a proportion between 0 and 1")
    worklist = data.get("worklist") or {}
    unknown = sorted(set(worklist) - set(Worklist.__dataclass_fields__))
    if unknown:
        raise _problem(path, f"worklist has unknown key {', '.join(unknown)}")
    if not (worklist.get("condition") or worklist.get("sql")):
        raise _problem(path, "worklist needs a condition or an sql query")
    return Indicator(
        name=data["name"],
        title=data["title"],
        description=" ".join(str(data["description"]).split()),
        table=data["table"],
        period=data["period"],
        denominator=str(data["denominator"]),
        better=data["better"],
        governance=governance,
        numerator=str(data.get("numerator") or ""),
        measure=measure,
        numerator_sum=str(data.get("numerator_sum") or ""),
        denominator_sum=str(data.get("denominator_sum") or ""),
        target=None if target is None else float(target),
        minimum_denominator=int(data.get("minimum_denominator", 1)),
        mature_after_days=str(data.get("mature_after_days") or ""),
        worklist=Worklist(**{k: str(v) for k, v in worklist.items()}),
        periods=periods,
    )


@cache
def indicators(directory=DEFINITIONS_DIR):
    """Every definition, by name, in file-name order."""
    return {
        definition.name: definition
        for definition in (load_definition(p) for p in sorted(Path(directory).glob("*.yaml")))
    }


def validity_rules(path=VALIDITY_RULES):
    rules = yaml.safe_load(Path(path).read_text())
    for rule in rules:
        missing = [key for key in _VALIDITY_RULE_KEYS if not rule.get(key)]
        if missing:
            raise _problem(path, f"rule {rule.get('name')!r} needs {', '.join(missing)}")
        if rule["reads"] not in VALIDITY_RULE_SOURCES:
            raise _problem(path, f"rule {rule['name']!r} must read one of "
                                 f"{', '.join(VALIDITY_RULE_SOURCES)}")  # fmt: skip
    return rules
