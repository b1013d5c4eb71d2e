"""Freezing the registry into Parquet files: deterministic, so the same registry always gives the
same files and the same content hash."""

import datetime
import hashlib
import json
from collections import defaultdict

import pyarrow as pa
import pyarrow.parquet as pq

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.expressions import Special, is_value
from ncmd.dictionary.releases import upgrade_answers
from ncmd.dictionary.validation import from_json
from ncmd.registry.models import Case, FormRequest, FormSubmission, Organisation

from .tables import (
    CASE_COLUMNS,
    EXPECTED_FORM_COLUMNS,
    FIELD_COUNT_COLUMNS,
    FIELD_STATUS_COLUMNS,
    ORGANISATION_COLUMNS,
    REPORTING_COLUMNS,
    REQUEST_COLUMNS,
    SUBMISSION_COLUMNS,
    flattened_columns,
    schema,
)

TABLES = ("organisations", "cases", "submissions", "reporting", "field_status", "field_counts",
          "requests", "expected_forms")  # fmt: skip
_SUBMITTED = ("submitted", "amended")


def write_tables(folder):
    """Write every table into `folder`; returns (row counts, content hash)."""
    dictionary = get_dictionary()
    latest = dictionary.latest
    flat = flattened_columns(latest)
    cases, facts_by_case = _cases(latest, flat)
    reporting_flat = flattened_columns(latest, forms=("reporting",))
    submissions, field_status, field_counts, reporting, present = _submissions(
        dictionary, latest, facts_by_case, reporting_flat
    )
    tables = {
        "organisations": (_organisations(), schema(ORGANISATION_COLUMNS)),
        "cases": (cases, schema(CASE_COLUMNS + [(c[0], c[3]) for c in flat])),
        "submissions": (submissions, schema(SUBMISSION_COLUMNS)),
        "reporting": (reporting, schema(REPORTING_COLUMNS + [(c[0], c[3]) for c in
                                                             reporting_flat])),
        "field_status": (field_status, schema(FIELD_STATUS_COLUMNS)),
        "field_counts": (field_counts, schema(FIELD_COUNT_COLUMNS)),
        "requests": (_requests(), schema(REQUEST_COLUMNS)),
        "expected_forms": (_expected_forms(latest, facts_by_case, present),
                           schema(EXPECTED_FORM_COLUMNS)),
    }  # fmt: skip
    digest, counts = hashlib.sha256(), {}
    for name in TABLES:
        columns, table_schema = tables[name]
        table = pa.Table.from_pydict(columns, schema=table_schema)
        path = folder / f"{name}.parquet"
        pq.write_table(table, path, compression="zstd", row_group_size=250_000)
        digest.update(name.encode())
        digest.update(path.read_bytes())
        counts[name] = table.num_rows
    return counts, digest.hexdigest()


def _empty(columns):
    return {name: [] for name, _ in columns}


def _cases(latest, flat):
    out = _empty(CASE_COLUMNS)
    out.update({name: [] for name, *_ in flat})
    notifications = _answers_by_case("notification")
    analyses = _answers_by_case("analysis")
    facts_by_case = {}
    rows = Case.objects.order_by("reference").values_list(
        "id", "reference", "cdop__code", "region__code", "status", "notified_at",
        "date_of_birth", "date_of_death", "age_days", "age_band", "sex", "ethnicity",
        "ethnicity_group", "imd_decile", "imd_edition", "expected_death", "category_of_death",
        "modifiable_factors", "review_date", "duplicate_status", "duplicate_of__reference",
    )  # fmt: skip
    dictionary = get_dictionary()
    for row in rows.iterator(chunk_size=5000):
        (pk, reference, cdop, region, status, notified_at, born, died, age_days, band, sex,
         ethnicity, group, decile, edition, expected, category, modifiable, review, duplicate,
         duplicate_of) = row  # fmt: skip
        typed = {}
        for form_name, source in (("notification", notifications), ("analysis", analyses)):
            release, answers = source.get(pk, (latest.id, {}))
            answers = upgrade_answers(dictionary, form_name, answers, release, latest.id)
            form = latest.form(form_name)
            for name, value in answers.items():
                if name in form.fields:
                    typed[(form_name, name)] = from_json(form.fields[name], value)
        death_at = _death_at(died, typed.get(("notification", "time_of_death")))
        values = {
            "reference": reference, "cdop": cdop, "region": region, "status": status,
            "notified_at": notified_at, "date_of_birth": born, "date_of_death": died,
            "death_at": death_at,
            "hours_to_notification": (
                (notified_at - death_at).total_seconds() / 3600 if death_at else None
            ),
            "age_days": age_days, "age_band": band, "sex": sex, "ethnicity": ethnicity,
            "ethnicity_group": group, "imd_decile": decile, "imd_edition": edition,
            "expected_death": expected, "category_of_death": category,
            "modifiable_factors": modifiable, "review_date": review,
            "days_to_review": (review - died).days if review and died else None,
            "duplicate_status": duplicate, "duplicate_of": duplicate_of,
        }  # fmt: skip
        for name, value in values.items():
            out[name].append(value)
        for column, form_name, field, _ in flat:
            value = typed.get((form_name, field.name))
            out[column].append(None if isinstance(value, Special) else value)
        facts = {name: value for (form_name, name), value in typed.items()
                 if form_name == "notification"}  # fmt: skip
        facts.update(age_days=age_days, age_band=band, category_of_death=category or None,
                     modifiable_factors=modifiable or None)  # fmt: skip
        facts_by_case[pk] = (reference, cdop, died, facts, duplicate)
    return out, facts_by_case


def _death_at(died, time_of_death):
    """When the child died: the date and time if known, else the end of the day of death (so a
    notification is never judged late for want of a time)."""
    if died is None:
        return None
    if isinstance(time_of_death, str) and ":" in time_of_death:
        hours, minutes = (int(part) for part in time_of_death.split(":"))
        moment = datetime.time(hours, minutes)
    else:
        moment = datetime.time(23, 59)
    return datetime.datetime.combine(died, moment, tzinfo=datetime.UTC)


def _answers_by_case(form_name):
    rows = FormSubmission.objects.filter(form_name=form_name, status__in=_SUBMITTED)
    return {
        case_id: (release, answers)
        for case_id, release, answers in rows.values_list("case_id", "release", "answers")
    }


def _submissions(dictionary, latest, facts_by_case, reporting_flat):
    out, status_out = _empty(SUBMISSION_COLUMNS), _empty(FIELD_STATUS_COLUMNS)
    reporting_out = _empty(REPORTING_COLUMNS)
    reporting_out.update({name: [] for name, *_ in reporting_flat})
    counts_by_field = defaultdict(lambda: [0, 0, 0])  # shown, known, not known
    present = set()
    ordered = FormSubmission.objects.order_by("case__reference", "form_name", "agency__code")
    rows = ordered.values_list(
        "id", "case_id", "form_name", "agency__code", "agency__agency_type", "release", "status",
        "revision", "created_at", "submitted_at", "answers",
    )  # fmt: skip
    for (pk, case_id, form_name, agency, agency_type, release_id, status, revision, created,
         submitted, answers) in rows.iterator(chunk_size=5000):  # fmt: skip
        reference, cdop, died, facts, _ = facts_by_case[case_id]
        release = dictionary.release(release_id)
        form = release.form(form_name)
        typed = {n: from_json(form.fields[n], v) for n, v in answers.items() if n in form.fields}
        counts = [0, 0, 0, 0]  # required shown, required known, shown, known
        for name, field in form.fields.items():
            if field.identifying or (field.show_when and not field.show_when(typed, facts)):
                continue
            required = field.required is True or (
                not isinstance(field.required, bool) and field.required(typed, facts)
            )
            value = typed.get(name)
            state = _state(value)
            counts[0] += required
            counts[1] += required and state == "known"
            counts[2] += 1
            counts[3] += state == "known"
            tally = counts_by_field[(cdop, form_name, name, _year_start(died), bool(required))]
            tally[0] += 1
            tally[1] += state == "known"
            tally[2] += state == "not_known"
            if state == "known":
                continue  # only the questions not answered with a known value are listed
            for column, item in zip(
                ("submission_id", "case_reference", "cdop", "date_of_death", "form_name",
                 "field", "required", "status", "form_kind", "submission_status"),
                (pk, reference, cdop, died, form_name, name, bool(required), state, form.kind,
                 status),
                strict=True,
            ):  # fmt: skip
                status_out[column].append(item)
        if status in _SUBMITTED:
            present.add((case_id, form_name))
        upgraded = upgrade_answers(dictionary, form_name, answers, release_id, latest.id)
        if form_name == "reporting":
            fields = latest.form("reporting").fields
            for column, item in zip(
                ("submission_id", "case_reference", "cdop", "date_of_death", "agency",
                 "agency_type", "status"),
                (pk, reference, cdop, died, agency, agency_type, status),
                strict=True,
            ):  # fmt: skip
                reporting_out[column].append(item)
            for column, _, field, _ in reporting_flat:
                value = from_json(fields[field.name], upgraded.get(field.name))
                reporting_out[column].append(None if isinstance(value, Special) else value)
        for column, item in zip(
            [c for c, _ in SUBMISSION_COLUMNS],
            [pk, reference, cdop, died, form_name, form.kind, agency, agency_type, release_id,
             status, revision, created, submitted, *counts,
             json.dumps(upgraded, sort_keys=True, separators=(",", ":"))],
            strict=True,
        ):  # fmt: skip
            out[column].append(item)
    counts_out = _empty(FIELD_COUNT_COLUMNS)
    for key in sorted(counts_by_field, key=lambda k: tuple("" if v is None else str(v) for v in k)):
        for (column, _), item in zip(FIELD_COUNT_COLUMNS, (*key, *counts_by_field[key]),
                                     strict=True):  # fmt: skip
            counts_out[column].append(item)
    return out, status_out, counts_out, reporting_out, present


def _year_start(day):
    """The first day of the year ending 31 March that holds `day`."""
    if day is None:
        return None
    return datetime.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _state(value):
    if isinstance(value, Special):
        return value.kind
    return "known" if is_value(value) else "blank"


def _organisations():
    out = _empty(ORGANISATION_COLUMNS)
    rows = Organisation.objects.exclude(type="agency").order_by("code")
    for row in rows.values_list("code", "name", "type", "parent__code"):
        for (column, _), item in zip(ORGANISATION_COLUMNS, row, strict=True):
            out[column].append(item)
    return out


def _requests():
    out = _empty(REQUEST_COLUMNS)
    rows = FormRequest.objects.order_by("case__reference", "form_name", "agency__code").values_list(
        "case__reference", "case__cdop__code", "case__date_of_death", "form_name",
        "agency__code", "agency__agency_type", "requested_at", "due_date", "returned_at",
    )  # fmt: skip
    for row in rows.iterator(chunk_size=5000):
        for (column, _), item in zip(REQUEST_COLUMNS, row, strict=True):
            out[column].append(item)
    return out


def _expected_forms(latest, facts_by_case, present):
    """Which supplementary forms each case's circumstances call for, and whether they are in."""
    out = _empty(EXPECTED_FORM_COLUMNS)
    supplementary = [f for f in latest.forms.values() if f.kind == "supplementary"]
    for case_id, (reference, cdop, died, facts, duplicate) in sorted(
        facts_by_case.items(), key=lambda item: item[1][0]
    ):
        if duplicate == "linked":
            continue
        for form in supplementary:
            if form.applies_when is not None and form.applies_when({}, facts):
                for column, item in zip(
                    ("case_reference", "cdop", "date_of_death", "form_name", "present"),
                    (reference, cdop, died, form.name, (case_id, form.name) in present),
                    strict=True,
                ):
                    out[column].append(item)
    return out
