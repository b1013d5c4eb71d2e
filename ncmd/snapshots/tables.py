"""The snapshot's tables and their columns, built from the dictionary of the latest release.

Every case-level field of the notification and analysis forms becomes a typed column
(`notification__place_of_death`, `analysis__category_of_death`, ...); identifying fields never do.
"""

import pyarrow as pa

from ncmd.dictionary import get_dictionary

FLATTENED_FORMS = ("notification", "analysis")
_ARROW_TYPES = {
    "text": pa.string(),
    "long_text": pa.string(),
    "integer": pa.int64(),
    "decimal": pa.float64(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "time": pa.string(),
    "boolean": pa.bool_(),
    "single_choice": pa.string(),
    "multiple_choice": pa.list_(pa.string()),
}

CASE_COLUMNS = [
    ("reference", pa.string()),
    ("cdop", pa.string()),
    ("region", pa.string()),
    ("status", pa.string()),
    ("notified_at", pa.timestamp("us", tz="UTC")),
    ("date_of_birth", pa.date32()),
    ("date_of_death", pa.date32()),
    ("death_at", pa.timestamp("us", tz="UTC")),
    ("hours_to_notification", pa.float64()),
    ("age_days", pa.int64()),
    ("age_band", pa.string()),
    ("sex", pa.string()),
    ("ethnicity", pa.string()),
    ("ethnicity_group", pa.string()),
    ("imd_decile", pa.int64()),
    ("imd_edition", pa.string()),
    ("expected_death", pa.string()),
    ("category_of_death", pa.string()),
    ("modifiable_factors", pa.string()),
    ("review_date", pa.date32()),
    ("days_to_review", pa.int64()),
    ("duplicate_status", pa.string()),
    ("duplicate_of", pa.string()),
]
SUBMISSION_COLUMNS = [
    ("submission_id", pa.int64()),
    ("case_reference", pa.string()),
    ("cdop", pa.string()),
    ("date_of_death", pa.date32()),
    ("form_name", pa.string()),
    ("form_kind", pa.string()),
    ("agency", pa.string()),
    ("agency_type", pa.string()),
    ("release", pa.string()),
    ("status", pa.string()),
    ("revision", pa.int64()),
    ("created_at", pa.timestamp("us", tz="UTC")),
    ("submitted_at", pa.timestamp("us", tz="UTC")),
    ("required_shown", pa.int64()),
    ("required_known", pa.int64()),
    ("fields_shown", pa.int64()),
    ("fields_known", pa.int64()),
    ("answers", pa.string()),  # JSON, upgraded to the latest release; no identifiers
]
FIELD_STATUS_COLUMNS = [
    ("submission_id", pa.int64()),
    ("case_reference", pa.string()),
    ("cdop", pa.string()),
    ("date_of_death", pa.date32()),
    ("form_name", pa.string()),
    ("field", pa.string()),
    ("required", pa.bool_()),
    ("status", pa.string()),  # not_known | not_applicable | blank (known answers are counted only)
    ("form_kind", pa.string()),
    ("submission_status", pa.string()),
]
FIELD_COUNT_COLUMNS = [
    ("cdop", pa.string()),
    ("form_name", pa.string()),
    ("field", pa.string()),
    ("year", pa.date32()),  # the first day (1 April) of the year of death
    ("required", pa.bool_()),
    ("shown", pa.int64()),
    ("known", pa.int64()),
    ("not_known", pa.int64()),
]
REQUEST_COLUMNS = [
    ("case_reference", pa.string()),
    ("cdop", pa.string()),
    ("date_of_death", pa.date32()),
    ("form_name", pa.string()),
    ("agency", pa.string()),
    ("agency_type", pa.string()),
    ("requested_at", pa.timestamp("us", tz="UTC")),
    ("due_date", pa.date32()),
    ("returned_at", pa.timestamp("us", tz="UTC")),
]
ORGANISATION_COLUMNS = [
    ("code", pa.string()),
    ("name", pa.string()),
    ("type", pa.string()),
    ("parent", pa.string()),
]
EXPECTED_FORM_COLUMNS = [
    ("case_reference", pa.string()),
    ("cdop", pa.string()),
    ("date_of_death", pa.date32()),
    ("form_name", pa.string()),
    ("present", pa.bool_()),
]


REPORTING_COLUMNS = [
    ("submission_id", pa.int64()),
    ("case_reference", pa.string()),
    ("cdop", pa.string()),
    ("date_of_death", pa.date32()),
    ("agency", pa.string()),
    ("agency_type", pa.string()),
    ("status", pa.string()),
]


def flattened_columns(release=None, forms=FLATTENED_FORMS):
    """(column name, form, field, arrow type) for every flattened field of `forms`."""
    release = release or get_dictionary().latest
    columns = []
    for form_name in forms:
        for field in release.form(form_name).fields.values():
            if not field.identifying:
                columns.append(
                    (f"{form_name}__{field.name}", form_name, field, _ARROW_TYPES[field.type])
                )
    return columns


def schema(columns):
    return pa.schema([pa.field(name, kind) for name, kind in columns])
