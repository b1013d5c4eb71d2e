"""Bulk import of notifications: the same records as notify_death, all-or-nothing, re-import,
duplicates, and the one validator deciding for every way in."""

import csv
import datetime
import json

import pytest
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.validation import validate_answers
from ncmd.registry import actions
from ncmd.registry.models import (
    AuditEvent,
    Case,
    DuplicateStatus,
    FormSubmission,
    Identifiers,
)
from ncmd.submissions.imports.importer import ImportRefused, import_file, reports_dir
from ncmd.submissions.imports.models import ImportRun
from ncmd.submissions.imports.reports import read_report
from tests.factories import notification_answers

AT = datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC)


def cells(answers):
    return {k: ";".join(v) if isinstance(v, list) else str(v) for k, v in answers.items()}


def write_csv(path, rows, headers=None):
    headers = headers or list(dict.fromkeys(k for row in rows for k in row))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, headers)
        writer.writeheader()
        for row in rows:
            writer.writerow(cells(row))
    return path


def answers(**overrides):
    return notification_answers(get_dictionary().release_on(AT.date()).id, **overrides)


def counts():
    return (Case.objects.count(), FormSubmission.objects.count(), Identifiers.objects.count(),
            AuditEvent.objects.exclude(action__endswith="_import").count())  # fmt: skip


def problems(run):
    return list(read_report(reports_dir() / run.report))


@pytest.fixture
def run_import(users, world, tmp_path):
    def run(rows, mode="all_or_nothing", by="cdop_admin", name="deaths.csv", **kwargs):
        path = rows if not isinstance(rows, list) else write_csv(tmp_path / name, rows)
        return import_file(path=path, form_name="notification", by=users[by], mode=mode,
                           at=kwargs.pop("at", AT), **kwargs)  # fmt: skip

    return run


def test_one_row_is_recorded_exactly_as_notify_death_records_it(run_import, users, world):
    row = answers()
    run = run_import([{**row, "client_reference": "A-1"}])
    assert run.status == "imported" and run.created == 1
    imported = Case.objects.get(client_reference="A-1")
    by_action = actions.notify_death(
        cdop=world["tees"], answers=answers(), by=users["cdop_admin"], at=AT,
        client_reference="A-2",
    )  # fmt: skip
    skip = {"id", "reference", "client_reference", "duplicate_of", "duplicate_status"}
    for field in Case._meta.concrete_fields:
        if field.attname not in skip and field.name not in skip:
            assert getattr(imported, field.attname) == getattr(by_action, field.attname), field
    # The action saw the imported case first, so it flags itself as its possible duplicate.
    assert by_action.duplicate_of_id == imported.pk
    sub_a, sub_b = (FormSubmission.objects.get(case=c) for c in (imported, by_action))
    for field in FormSubmission._meta.concrete_fields:
        if field.attname not in ("id", "case_id"):
            assert getattr(sub_a, field.attname) == getattr(sub_b, field.attname), field
    ids_a, ids_b = (Identifiers.objects.get(submission=s) for s in (sub_a, sub_b))
    assert (ids_a.values, ids_a.nhs_number, ids_a.postcode_district) == (
        ids_b.values, ids_b.nhs_number, ids_b.postcode_district)  # fmt: skip
    event_a = AuditEvent.objects.get(action="notify_death", case_reference=imported.reference)
    event_b = AuditEvent.objects.get(action="notify_death", case_reference=by_action.reference)
    for name in ("at", "actor_id", "actor", "action", "object_type", "organisation", "changes"):
        assert getattr(event_a, name) == getattr(event_b, name), name
    assert event_a.object_id == str(imported.pk)
    assert event_a.detail == {**event_b.detail, "possible_duplicate_of": None}
    assert event_b.detail["possible_duplicate_of"] == imported.reference


def test_all_or_nothing_with_one_bad_row_writes_nothing(run_import):
    before = counts()
    rows = [answers(nhs_number="9434765870"), answers(nhs_number="1111111112"),
            answers(nhs_number="9434765919")]  # fmt: skip
    run = run_import(rows)
    assert run.status == "refused" and run.created == 0 and run.refused == 1
    assert counts() == before
    [problem] = problems(run)
    assert problem["row"] == "3" and problem["column"] == "nhs_number"
    assert problem["value"] == "1111111112" and "check digit" in problem["message"]


def test_valid_rows_mode_imports_the_valid_rows_and_reports_the_rest(run_import):
    rows = [answers(nhs_number="9434765870"), answers(sex="Z"), answers(nhs_number="9434765919")]
    run = run_import(rows, mode="valid_rows")
    assert run.status == "partly_imported"
    assert (run.rows, run.created, run.refused) == (3, 2, 1)
    assert Case.objects.count() == 2
    [problem] = problems(run)
    assert (problem["row"], problem["column"], problem["value"]) == ("3", "sex", "Z")


@pytest.mark.parametrize("with_reference", [True, False])
def test_importing_the_same_file_again_changes_nothing(run_import, with_reference, tmp_path):
    rows = [answers(nhs_number="9434765870"), answers(nhs_number="9434765919", given_name="Bo")]
    if with_reference:
        rows = [{**r, "client_reference": f"R{i}"} for i, r in enumerate(rows)]
    path = write_csv(tmp_path / "twice.csv", rows)
    first = run_import(path)
    before = counts()
    second = run_import(path, at=AT + datetime.timedelta(days=1))
    assert (first.created, second.created, second.unchanged) == (2, 0, 2)
    assert counts() == before
    assert second.status == "imported" and second.sha256 == first.sha256


def test_duplicates_are_flagged_against_the_registry_and_within_the_file(run_import, notify):
    existing = notify(at=AT, nhs_number="9434765919")
    rows = [
        answers(nhs_number="9434765919"),  # same NHS number as the existing case
        answers(nhs_number="9434765870", date_of_death="2024-03-05"),
        answers(
            nhs_number="not known",
            nhs_number_absent_reason="not_available",
            date_of_death="2024-03-05",
        ),
    ]  # same birth, sex, death and district as row 3
    run = run_import(rows)
    assert run.created == 3 and run.possible_duplicates == 2
    first, second, third = Case.objects.filter(pk__gt=existing.pk).order_by("pk")
    assert first.duplicate_of == existing and first.duplicate_status == DuplicateStatus.POSSIBLE
    assert second.duplicate_of is None
    assert third.duplicate_of == second and third.duplicate_status == DuplicateStatus.POSSIBLE


VARIANTS = [
    {},
    {"nhs_number": "1111111112"},
    {"sex": "Z"},
    {"date_of_birth": "31/02/2024"},
    {"date_of_death": "2099-01-01"},
    {"date_of_birth": "2001-01-01"},
    {"expected_death": "expected"},
    {"time_of_death": "25:00"},
    {"circumstances": "sudden_unexpected_infant;nonsense"},
    {"home_postcode": "not a postcode"},
    {"given_name": '=HYPERLINK("http://x")'},
    {"place_of_death": "other"},
    {"nhs_number": "not known"},
]


@pytest.mark.parametrize("change", VARIANTS)
def test_import_accepts_and_refuses_exactly_what_notify_death_and_the_validator_do(
    run_import, users, world, change
):
    row = cells(answers(**change))
    form = get_dictionary().release_on(AT.date()).form("notification")
    validator_ok = validate_answers(form, row).ok
    try:
        actions.notify_death(cdop=world["tees"], answers=row, by=users["cdop_admin"], at=AT)
        action_ok = True
    except actions.InvalidAnswers:
        action_ok = False
    Case.objects.update(duplicate_status=DuplicateStatus.NONE)
    run = run_import([row])
    assert (run.status == "imported") == action_ok
    if action_ok != validator_ok:  # only the date sense checks of notify_death differ
        assert {"date_of_death", "date_of_birth"} & set(change)
    if not action_ok:
        assert run.problems >= 1


def test_json_array_and_json_lines_import_the_same_answers(run_import, tmp_path):
    row = {**answers(), "client_reference": "J1"}
    array = tmp_path / "deaths.json"
    array.write_text(json.dumps([row]))
    assert run_import(array).created == 1
    lines = tmp_path / "deaths.jsonl"
    lines.write_text(json.dumps({**row, "client_reference": "J2"}) + "\n\n")
    assert run_import(lines).created == 1
    a, b = (FormSubmission.objects.get(case__client_reference=r) for r in ("J1", "J2"))
    assert a.answers == b.answers


def test_xlsx_rows_are_read_by_label_or_name(run_import, tmp_path):
    import openpyxl

    row = answers()
    form = get_dictionary().release_on(AT.date()).form("notification")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    headers = [form.fields[k].label if i % 2 else k for i, k in enumerate(row)]
    sheet.append(headers)
    values = cells(row)
    values["date_of_birth"] = datetime.datetime(2024, 1, 10)
    values["nhs_number"] = 9434765919
    sheet.append(list(values.values()))
    workbook.save(tmp_path / "deaths.xlsx")
    run = run_import(tmp_path / "deaths.xlsx")
    assert run.status == "imported", problems(run)
    assert Case.objects.get().date_of_birth == datetime.date(2024, 1, 10)


def test_a_cdop_admin_imports_only_into_their_own_cdop(run_import, world):
    with pytest.raises(ImportRefused, match="your own CDOP"):
        run_import([answers()], cdop=world["camden"])
    run = run_import([{**answers(), "cdop": "CDOP003"}])
    assert run.status == "refused" and "cannot name another CDOP" in problems(run)[0]["message"]


def test_a_national_admin_names_the_cdop_per_row(run_import):
    run = run_import([{**answers(), "cdop": "CDOP003"}, {**answers(), "cdop": ""}],
                     by="national_admin")  # fmt: skip
    assert run.status == "refused"
    assert problems(run)[0]["column"] == "cdop" and problems(run)[0]["row"] == "3"
    run = run_import([{**answers(), "cdop": "CDOP003"}], by="national_admin")
    assert Case.objects.get().cdop.code == "CDOP003"


def test_every_run_is_recorded_and_audited(run_import, users):
    run = run_import([answers()])
    assert ImportRun.objects.get() == run and run.actor == "cdop_admin"
    assert run.finished_at is not None and len(run.sha256) == 64
    start, finish = (AuditEvent.objects.get(action=a) for a in ("start_import", "finish_import"))
    assert start.object_id == finish.object_id == str(run.pk)
    assert finish.detail["created"] == 1 and start.organisation == "CDOP001"


def test_the_release_is_the_one_in_force_on_the_day_of_the_import(run_import):
    day = datetime.datetime(2024, 6, 1, 9, tzinfo=datetime.UTC)
    row = notification_answers("2019-04")
    run = run_import([row], at=day)
    assert run.status == "imported", problems(run)
    assert FormSubmission.objects.get().release == "2019-04"
    assert timezone.now() > day
