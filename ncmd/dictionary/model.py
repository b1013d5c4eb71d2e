"""The data dictionary as plain, immutable Python objects.

These are what the loader builds from the release folders and what everything else reads: the
validator, the web forms, the API schemas, the documentation, the snapshots. Nothing here imports
Django, so the dictionary can be checked and used anywhere.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from .expressions import Expression

FIELD_TYPES = (
    "text",
    "long_text",
    "integer",
    "decimal",
    "date",
    "datetime",
    "time",
    "boolean",
    "single_choice",
    "multiple_choice",
    "nhs_number",
    "postcode",
)
CHOICE_TYPES = ("single_choice", "multiple_choice")
FORM_KINDS = ("notification", "reporting", "supplementary", "analysis")
# Facts about a case that expressions can read as case.<name>, beyond the notification's fields.
DERIVED_CASE_FACTS = ("age_days", "age_band", "category_of_death", "modifiable_factors")


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    group: str | None = None


@dataclass(frozen=True)
class CodeList:
    name: str
    label: str
    codes: tuple[Code, ...]
    groups: dict = field(default_factory=dict)

    @cached_property
    def by_code(self):
        return {c.code: c for c in self.codes}

    def label_of(self, code):
        found = self.by_code.get(code)
        return found.label if found else code


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str
    help: str = ""
    required: bool | Expression = False
    show_when: Expression | None = None
    min: float | None = None
    max: float | None = None
    codelist: CodeList | None = None
    identifying: bool = False
    allow: tuple[str, ...] = ()
    unit: str = ""
    section: str = ""

    @property
    def is_choice(self):
        return self.type in CHOICE_TYPES

    def required_source(self):
        if isinstance(self.required, Expression):
            return self.required.source
        return "yes" if self.required else "no"


@dataclass(frozen=True)
class Rule:
    name: str
    check: Expression
    fields: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    fields: tuple[Field, ...]
    description: str = ""


@dataclass(frozen=True)
class Form:
    name: str
    title: str
    kind: str
    description: str
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...]
    per_agency: bool = False
    applies_when: Expression | None = None

    @cached_property
    def fields(self):
        """Every field of the form by name, in the order the form asks them."""
        return {f.name: f for s in self.sections for f in s.fields}

    @cached_property
    def identifying_fields(self):
        return tuple(name for name, f in self.fields.items() if f.identifying)


@dataclass(frozen=True)
class Changes:
    """How answers captured under the previous release read under this one."""

    renamed_fields: tuple[tuple[str, str, str], ...] = ()  # (form, from, to)
    recoded: tuple[tuple[str, dict], ...] = ()  # (codelist, {old: new})
    added_fields: tuple[tuple[str, str], ...] = ()  # (form, field)


@dataclass(frozen=True)
class Release:
    id: str
    effective_from: date
    title: str
    previous: str | None
    forms: dict
    codelists: dict
    changes: Changes
    notes: str = ""

    def form(self, name):
        try:
            return self.forms[name]
        except KeyError:
            raise KeyError(
                f"release {self.id} has no form {name!r}; its forms are {', '.join(self.forms)}"
            ) from None


@dataclass(frozen=True)
class Dictionary:
    releases: dict  # id -> Release, in order of effective date

    @property
    def versions(self):
        return self.releases

    @property
    def latest(self):
        return list(self.releases.values())[-1]

    def release(self, release_id):
        try:
            return self.releases[release_id]
        except KeyError:
            raise KeyError(
                f"no dictionary release {release_id!r}; releases: {', '.join(self.releases)}"
            ) from None

    def release_on(self, day):
        """The release in force on `day`: the latest whose effective date is on or before it."""
        current = None
        for release in self.releases.values():
            if release.effective_from <= day:
                current = release
        return current or next(iter(self.releases.values()))
