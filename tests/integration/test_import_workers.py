"""Checking notification rows in worker processes (`workers=2`, `ncmd import --workers 2`) gives
the same import as checking them in the importing process: the same counts, the same report
line for line (errors and warnings in row order), the same cases, in both modes."""

import csv
import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from ncmd.dictionary import get_dictionary
from ncmd.registry.models import Case, FormSubmission
from ncmd.submissions.imports import importer
from ncmd.submissions.imports.importer import import_file, reports_dir
from ncmd.submissions.imports.reports import read_report
from tests.factories import notification_answers

AT = datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC)


class _RolledBack(Exception):
    pass


def _cells(answers):
    return {k: ";".join(v) if isinstance(v, list) else str(v) for k, v in answers.items()}


def _rows():
    """Valid rows, with problems among them: the validator's (a code, a date, a check digit, a
    date in the future), a CDOP that does not exist, and text cells that look like formulas
    (warnings only)."""
    release = get_dictionary().release_on(AT.date()).id
    numbers = ["9434765919", "9434765870", "9434765862", "9434765854", "9434765846"]
    rows = []
    for index in range(23):
        answers = notification_answers(release, nhs_number=numbers[index % 5])
        row = {"client_reference": f"W-{index}", "cdop": "", **_cells(answers)}
        rows.append(row)
    rows[2]["sex"] = "Z"
    rows[5]["date_of_birth"] = "31/02/2024"
    rows[5]["nhs_number"] = "1111111112"
    rows[9]["cdop"] = "NOPE"
    rows[11]["circumstances_summary"] = "=this looks like a formula"  # a warning too
    rows[14]["given_name"] = "+Ava"  # a warning only: imported as text
    rows[20]["date_of_death"] = "2099-01-01"
    return rows


def _write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    # Chunks of 3 rows, so that a file of 23 rows keeps several chunks in flight.
    monkeypatch.setattr(importer, "WORKER_CHUNK", 3)


def _import(path, users, workers, mode):
    run = import_file(path=path, form_name="notification", by=users["cdop_admin"], at=AT,
                      mode=mode, workers=workers)  # fmt: skip
    return run, list(read_report(reports_dir() / run.report))


@pytest.mark.parametrize("mode", ["all_or_nothing", "valid_rows"])
def test_workers_report_exactly_what_one_process_reports(tmp_path, users, world, mode):
    path = _write(tmp_path / "deaths.csv", _rows())
    try:
        with transaction.atomic():  # rolled back: the second import starts from the same state
            one, one_report = _import(path, users, 1, mode)
            written = sorted(Case.objects.values_list("client_reference", flat=True))
            raise _RolledBack
    except _RolledBack:
        pass
    assert not Case.objects.exists()
    counts = (one.status, one.rows, one.created, one.refused, one.problems, one.warnings)
    two, two_report = _import(path, users, 2, mode)
    assert (two.status, two.rows, two.created, two.refused, two.problems, two.warnings) == counts
    assert two_report == one_report
    rows_reported = [line["row"] for line in two_report]
    assert rows_reported == sorted(rows_reported, key=int)
    assert {"4", "7", "11", "13", "16", "22"} == set(rows_reported)  # header is row 1
    assert any(line["severity"] == "warning" and line["row"] == "16" for line in two_report)
    if mode == "valid_rows":
        assert two.created == 19 and two.warnings == 2
        assert sorted(Case.objects.values_list("client_reference", flat=True)) == written
    else:
        assert two.status == "refused" and not Case.objects.exists()


def test_a_clean_file_checked_by_workers_is_imported_as_by_one_process(tmp_path, users, world):
    rows = [r for i, r in enumerate(_rows()) if i not in (2, 5, 9, 11, 20)]
    path = _write(tmp_path / "clean.csv", rows)
    run, report = _import(path, users, 2, "all_or_nothing")
    assert run.status == "imported" and run.created == 18
    assert [line["severity"] for line in report] == ["warning"]
    answers = FormSubmission.objects.get(case__client_reference="W-0").answers
    again, _ = _import(path, users, 1, "all_or_nothing")
    assert again.unchanged == 18 and again.created == 0
    assert FormSubmission.objects.get(case__client_reference="W-0").answers == answers


def test_the_command_takes_a_number_of_workers(tmp_path, users, world):
    rows = [r for i, r in enumerate(_rows()) if i not in (2, 5, 9, 11, 20)]
    path = _write(tmp_path / "clean.csv", rows)
    call_command("import", str(path), form="notification", username="cdop_admin", workers=2)
    assert Case.objects.count() == 18
    with pytest.raises(CommandError, match="--workers must be 1 or more"):
        call_command("import", str(path), form="notification", username="cdop_admin", workers=0)


def test_a_row_that_cannot_be_read_stops_the_import_as_in_one_process(tmp_path, users, world):
    rows = [r for i, r in enumerate(_rows()) if i not in (2, 5, 9, 11, 20)]
    path = _write(tmp_path / "broken.csv", rows)
    lines = path.read_bytes().split(b"\n")
    lines[12] = b"\xff" + lines[12]  # line 13 is not UTF-8
    path.write_bytes(b"\n".join(lines))
    outcomes = []
    for workers in (1, 2):
        try:
            with transaction.atomic():
                run = import_file(
                    path=path, form_name="notification", by=users["cdop_admin"], at=AT,
                    mode="valid_rows", workers=workers, batch_size=4,
                )  # fmt: skip
                report = list(read_report(reports_dir() / run.report))
                written = sorted(Case.objects.values_list("client_reference", flat=True))
                outcomes.append((run.status, run.rows, run.created, report, written))
                raise _RolledBack
        except _RolledBack:
            pass
    assert outcomes[0] == outcomes[1]
    status, rows_read, created, report, written = outcomes[1]
    # Line 13 is in the sixth row (each row's address has a line break): the batch of 4 rows
    # completed before it is kept, the row after it was not yet written; the problem is reported.
    assert status == "partly_imported" and rows_read == 5 and created == 4 == len(written)
    assert "not UTF-8" in report[-1]["message"] and "line 13" in report[-1]["message"]
