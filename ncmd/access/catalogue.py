"""What a researcher can ask for: the fields of a snapshot's case table, described from the data
dictionary, with how each may be coarsened and how risky it is.

The dictionary's notification and analysis fields are flattened into the snapshot exactly as
`ncmd.snapshots.tables.flattened_columns` does it (identifying fields never are), plus a few
facts the registry derives (area, age at death, deprivation decile). Direct identifiers are not
in a snapshot, so they cannot be asked for. Free-text answers can identify a child (a name, a
street, an event in the news), so they are flagged as high risk and a reviewer must approve
each one explicitly.
"""

from dataclasses import dataclass
from functools import cache

from ncmd.dictionary import get_dictionary
from ncmd.registry.models import AgeBand
from ncmd.snapshots.tables import flattened_columns

COARSENING_LABELS = {
    "as_recorded": "As recorded",
    "exact": "Exact date",
    "month": "Month (YYYY-MM)",
    "year": "Year (YYYY)",
    "hour": "Hour of the day",
    "months": "Age in whole months",
    "years": "Age in whole years",
}
# Coarsenings from finest to coarsest, by kind of field.
_DATE = ("exact", "month", "year")
_BIRTH = ("month", "year")  # a child's exact date of birth is never released
_TIME = ("exact", "hour")
_AGE = ("months", "years")
_PLAIN = ("as_recorded",)

# Fields that, combined, could single a child out (the disclosure risk check groups on them).
QUASI_IDENTIFIERS = frozenset(
    {
        "notification__date_of_birth",
        "notification__date_of_death",
        "notification__sex",
        "notification__ethnicity",
        "notification__gp_practice",
        "cdop",
        "region",
        "age_at_death",
        "age_band",
        "ethnicity_group",
        "imd_decile",
    }
)

_TYPE_LABELS = {
    "text": "free text", "long_text": "free text", "single_choice": "a code",
    "multiple_choice": "codes", "code": "a code", "boolean": "yes or no",
}  # fmt: skip

# Facts the registry derives for every case: (name, snapshot column, label, type, help).
_DERIVED = (
    (
        "region",
        "region",
        "Region of the CDOP",
        "code",
        "The ONS code of the region of the CDOP that reviewed the death.",
    ),
    ("cdop", "cdop", "CDOP", "code", "The code of the CDOP that reviewed the death."),
    (
        "age_at_death",
        "age_days",
        "Age at death",
        "integer",
        "Worked out from the dates of birth and death.",
    ),
    (
        "age_band",
        "age_band",
        "Age band at death",
        "single_choice",
        "0-27d, 28-364d, 1-4, 5-9, 10-14 or 15-17 (years unless marked in days).",
    ),
    (
        "ethnicity_group",
        "ethnicity_group",
        "Ethnic group (the five broad groups)",
        "single_choice",
        "The broad group of the ethnicity recorded on the notification.",
    ),
    (
        "imd_decile",
        "imd_decile",
        "Deprivation decile of the home address",
        "integer",
        "Index of Multiple Deprivation decile of the home's small area (1 = most deprived). "
        "Released instead of a postcode, which is never released.",
    ),
)


@dataclass(frozen=True)
class ExtractField:
    name: str  # the column name in the extract and in requests
    column: str  # the snapshot column it is read from
    label: str
    type: str
    source: str
    help: str = ""
    codes: tuple = ()  # ((code, label), ...) for coded fields
    codelist_name: str = ""
    section: str = ""

    @property
    def type_label(self):
        return _TYPE_LABELS.get(self.type, self.type.replace("_", " "))

    @property
    def free_text(self):
        return self.type in ("text", "long_text")

    @property
    def quasi_identifier(self):
        return self.name in QUASI_IDENTIFIERS

    @property
    def risk(self):
        if self.free_text:
            return "high: free text can identify a child"
        if self.quasi_identifier:
            return "quasi-identifier: counted in the disclosure risk check"
        return ""

    @property
    def coarsenings(self):
        if self.name == "notification__date_of_birth":
            return _BIRTH
        if self.name == "age_at_death":
            return _AGE
        if self.type in ("date", "datetime"):
            return _DATE
        if self.type == "time":
            return _TIME
        return _PLAIN

    @property
    def default_coarsening(self):
        options = self.coarsenings
        return options[1] if len(options) > 1 else options[0]

    def coarsening_choices(self):
        return [(option, COARSENING_LABELS[option]) for option in self.coarsenings]

    def at_least_as_coarse(self, coarsening, than):
        """True when `coarsening` gives away no more than `than`."""
        options = self.coarsenings
        return options.index(coarsening) >= options.index(than)


@cache
def catalogue(release_id=None):
    """Every field a researcher can ask for, by name, in the order of the dictionary's forms."""
    dictionary = get_dictionary()
    release = dictionary.release(release_id) if release_id else dictionary.latest
    fields = {}
    derived_codes = {
        "age_band": (tuple(AgeBand.choices), "age bands"),
        "ethnicity_group": (
            tuple(release.codelists["ethnicity"].groups.items()),
            "groups of the ethnicity code list",
        ),
    }
    for name, column, label, kind, help_text in _DERIVED:
        codes, codelist_name = derived_codes.get(name, ((), ""))
        fields[name] = ExtractField(
            name,
            column,
            label,
            kind,
            "Derived by the registry",
            help_text,
            codes,
            codelist_name,
            "Case",
        )
    for column, form_name, field, _ in flattened_columns(release):
        form = release.form(form_name)
        section = next((s.title for s in form.sections if field in s.fields), "")
        codes = tuple((c.code, c.label) for c in field.codelist.codes) if field.codelist else ()
        fields[column] = ExtractField(
            column,
            column,
            field.label,
            field.type,
            form.title,
            field.help,
            codes,
            field.codelist.name if field.codelist else "",
            section,
        )
    return fields


def field(name):
    try:
        return catalogue()[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a field that can be requested") from None


def grouped():
    """[(group title, [fields])] for the request form's field picker."""
    groups = {}
    for item in catalogue().values():
        title = (
            item.source
            if item.source.startswith("Derived")
            else (f"{item.source}: {item.section}" if item.section else item.source)
        )
        groups.setdefault(title, []).append(item)
    return list(groups.items())
