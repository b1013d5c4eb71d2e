"""All or nothing with checking workers: this process writes batches while the workers check
the next rows, in one transaction rolled back when any row fails. Nothing is kept when a late
row fails (after batches were written), and a clean file gives the cases one process gives."""

import pytest
from django.db import transaction

from ncmd.registry import bulk
from ncmd.registry.models import AuditEvent, Case, FormSubmission, Identifiers
from ncmd.submissions.imports import importer
from ncmd.submissions.imports.importer import import_file, reports_dir
from ncmd.submissions.imports.reports import read_report
from tests.integration.test_import_workers import AT, _rows, _write


class _RolledBack(Exception):
    pass


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(importer, "WORKER_CHUNK", 3)


@pytest.fixture
def writes(monkeypatch):
    """The number of rows handed to the bulk writer, whatever became of them."""
    written = []
    original = bulk.import_notifications

    def counting(*, rows, by, at=None):
        rows = list(rows)
        written.append(len(rows))
        return original(rows=rows, by=by, at=at)

    monkeypatch.setattr(bulk, "import_notifications", counting)
    return written


def _import(path, users, workers, batch_size=4):
    run = import_file(path=path, form_name="notification", by=users["cdop_admin"], at=AT,
                      workers=workers, batch_size=batch_size)  # fmt: skip
    return run, list(read_report(reports_dir() / run.report))


def _clean_rows():
    return [r for i, r in enumerate(_rows()) if i not in (2, 5, 9, 11, 20)]


def test_a_late_problem_rolls_back_the_batches_already_written(tmp_path, users, world, writes):
    rows = _clean_rows()
    rows[16]["sex"] = "Z"  # the 17th row: four batches of 4 are written before it is checked
    path = _write(tmp_path / "late.csv", rows)
    events = AuditEvent.objects.count()
    run, report = _import(path, users, 2)
    assert sum(writes) >= 8, "batches were written before the problem was found"
    assert run.status == "refused" and run.created == 0 and run.unchanged == 0
    assert run.rows == 18 and run.refused == 1 and run.problems == 1
    assert [line["row"] for line in report if line["severity"] == "error"] == ["18"]
    assert not Case.objects.exists() and not FormSubmission.objects.exists()
    assert not Identifiers.objects.exists()
    assert not AuditEvent.objects.filter(action="notify_death").exists()
    assert AuditEvent.objects.count() > events  # the import's own start and finish are kept


def test_every_problem_is_still_reported_after_the_first(tmp_path, users, world):
    path = _write(tmp_path / "deaths.csv", _rows())
    reports = []
    for workers in (1, 2):
        try:
            with transaction.atomic():
                run, report = _import(path, users, workers)
                reports.append((run.status, run.rows, run.refused, run.problems, report))
                assert not Case.objects.exists()
                raise _RolledBack
        except _RolledBack:
            pass
    assert reports[0] == reports[1]
    assert reports[1][0] == "refused" and reports[1][3] == 6


def test_a_clean_file_gives_the_cases_one_process_gives(tmp_path, users, world, writes):
    path = _write(tmp_path / "clean.csv", _clean_rows())

    def recorded():
        return sorted(
            (s.case.client_reference, s.case.sex, s.case.duplicate_status, str(s.answers))
            for s in FormSubmission.objects.select_related("case")
        )

    try:
        with transaction.atomic():
            one, one_report = _import(path, users, 1)
            expected = recorded()
            raise _RolledBack
    except _RolledBack:
        pass
    writes.clear()
    two, two_report = _import(path, users, 2)
    assert writes == [4, 4, 4, 4, 2], "the same batches as writing after checking"
    assert (two.status, two.created, two.possible_duplicates, two.warnings) == (
        one.status, one.created, one.possible_duplicates, one.warnings,
    )  # fmt: skip
    assert two.status == "imported" and two.created == 18
    assert recorded() == expected and two_report == one_report


def test_a_file_unreadable_near_its_end_keeps_nothing(tmp_path, users, world, writes):
    path = _write(tmp_path / "broken.csv", _clean_rows())
    lines = path.read_bytes().split(b"\n")
    lines[-3] = b"\xff" + lines[-3]
    path.write_bytes(b"\n".join(lines))
    run, report = _import(path, users, 2)
    assert sum(writes) >= 8
    assert run.status == "refused" and run.created == 0 and not Case.objects.exists()
    assert "not UTF-8" in report[-1]["message"]
