"""Importing one file: read it a row at a time, check every row with the one validator, report every
problem, and write the valid rows through the registry's actions.

Two modes. All or nothing (the default): a first pass checks every row and keeps the valid ones in
a temporary spool file; only if no row has a problem does a second pass write them, in one
transaction (with checking workers, this process writes while the workers check, inside that one
transaction, which is rolled back if any row has a problem). Valid rows: one pass, writing each
batch of valid rows as it fills and reporting the rest. Either way nothing holds the whole file in
memory, and importing the same file again changes nothing: a notification's client reference
(given, or derived from its answers) names the case it made, and a submitted form with the same
answers is left as it is.

Answers are checked against the dictionary release in force on the day of the import, as
`notify_death` and `submit_form` do for a form made that day. Notification rows can be checked in
worker processes (`workers=2`, `ncmd import --workers 2`); this process still reads, reports and
writes every row, in the file's order.
"""

import collections
import hashlib
import json
import multiprocessing
import os
import pickle
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.validation import validate_answers
from ncmd.registry import actions as registry_actions
from ncmd.registry import bulk
from ncmd.registry.access import cases_for
from ncmd.registry.facts import case_facts
from ncmd.registry.models import (
    FormSubmission,
    Identifiers,
    Organisation,
    OrganisationType,
    Role,
    SubmissionStatus,
)

from . import actions
from .columns import match_columns, split_row
from .models import ImportMode, ImportStatus
from .readers import FileProblem, FormulaCell, detect_kind, read_rows
from .reports import ReportWriter

BATCH_SIZE = 2000
WORKER_CHUNK = 500  # rows sent to a worker process at a time
_WORKER_NICENESS = 10  # how much lower a worker's scheduling priority is than this process's
IMPORT_ROLES = (Role.CDOP_ADMIN, Role.NATIONAL_ADMIN)


class ImportRefused(Exception):
    """The import cannot start (who is importing, the form, the CDOP); nothing was read."""


def can_import(user):
    """CDOP administrators (into their own CDOP) and national administrators import files."""
    return bool(getattr(user, "is_active", False) and user.role in IMPORT_ROLES)


def importable_forms(at=None):
    release = get_dictionary().release_on((at or timezone.now()).date())
    return {name: form.title for name, form in release.forms.items()}


def max_bytes():
    return settings.NCMD_IMPORT_MAX_BYTES


def reports_dir():
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Counts:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    refused: int = 0
    possible_duplicates: int = 0
    problems: int = 0
    warnings: int = 0

    def as_dict(self):
        return dict(self.__dict__)


@dataclass
class _State:
    report: ReportWriter
    counts: Counts = field(default_factory=Counts)


def import_file(*, path, form_name, by, file_name=None, cdop=None, mode=ImportMode.ALL_OR_NOTHING,
                at=None, progress=None, batch_size=BATCH_SIZE, workers=1):  # fmt: skip
    """Import the file at `path` into `form_name` as `by`; returns the finished ImportRun.

    `cdop` is the CDOP for every row (a CDOP administrator's own CDOP when not given); `progress`,
    if given, is called with a phase name and returns an object with `update(n)` and `close()`.
    `workers` above 1 checks notification rows in that many forked worker processes (for the
    command line, not a web request: a process with other threads should not fork).
    Raises ImportRefused, with a message, when the import cannot start at all."""
    at = at or timezone.now()
    mode = ImportMode(mode)
    file_name = file_name or Path(path).name
    cdop = _check_request(by, form_name, cdop, at)
    size = Path(path).stat().st_size
    kind = "?"
    problem = None
    try:
        if size > max_bytes():
            raise FileProblem(
                f"The file is {size / 1e6:.1f} MB; the largest file that can be imported is "
                f"{max_bytes() / 1e6:.0f} MB. Split it into smaller files."
            )
        kind = detect_kind(path, file_name)
    except FileProblem as error:
        problem = error
    run = actions.start_import(
        by=by, file_name=file_name, file_kind=kind, size=size, sha256=file_digest(path),
        form_name=form_name, mode=mode, cdop=cdop, at=at,
    )  # fmt: skip
    report_path = reports_dir() / f"run-{run.pk}-problems.csv"
    state = _State(ReportWriter(report_path))
    status = ImportStatus.FAILED
    try:
        if problem is not None:
            raise problem
        form = get_dictionary().release_on(at.date()).form(form_name)
        handler = (_Notifications if form.kind == "notification" else _Forms)(
            form=form, by=by, cdop=cdop, at=at, state=state, workers=workers
        )
        table = read_rows(path, kind)
        try:
            rows = _Rows(table, kind, form, state)
            if mode == ImportMode.ALL_OR_NOTHING:
                status = _all_or_nothing(rows, handler, state, progress, batch_size)
            else:
                status = _valid_rows(rows, handler, state, progress, batch_size)
        finally:
            table.close()
    except FileProblem as error:
        state.report.add("", "", "", str(error))
        written = state.counts.created
        status = ImportStatus.PARTLY_IMPORTED if written else ImportStatus.REFUSED
    finally:
        state.report.close()
        state.counts.problems = state.report.errors
        state.counts.warnings = state.report.warnings
        run = actions.finish_import(
            run=run, by=by, status=status, counts=state.counts.as_dict(),
            report=report_path.name,
        )  # fmt: skip
    return run


def _check_request(by, form_name, cdop, at):
    if not can_import(by):
        raise ImportRefused(
            "Only CDOP administrators and national administrators can import files."
        )
    forms = importable_forms(at)
    if form_name not in forms:
        raise ImportRefused(
            f"There is no form '{form_name}' to import into; the forms are: {', '.join(forms)}."
        )
    if cdop is not None and cdop.type != OrganisationType.CDOP:
        raise ImportRefused(f"{cdop.name} is not a CDOP.")
    if by.role == Role.CDOP_ADMIN:
        if cdop is not None and cdop.pk != by.organisation_id:
            raise ImportRefused(f"You can import only into your own CDOP ({by.organisation.name}).")
        return by.organisation
    return cdop


# Passes --------------------------------------------------------------------------------------


def _all_or_nothing(rows, handler, state, progress, batch_size):
    if handler.workers > 1:
        return _checked_while_writing(rows, handler, state, progress, batch_size)
    with tempfile.TemporaryFile() as spool:
        bar = _bar(progress, "Checking rows")
        valid = 0
        for item in _checked(rows, handler, state, bar):
            # This process's own temporary file, read back only by it.
            pickle.dump(item, spool, protocol=pickle.HIGHEST_PROTOCOL)
            valid += 1
        bar.close()
        if state.report.errors:
            state.counts.refused = state.counts.rows - valid
            return ImportStatus.REFUSED
        spool.seek(0)
        bar = _bar(progress, "Writing rows")
        with transaction.atomic():
            for batch in _batches(_unpickled(spool, valid), batch_size):
                handler.write(batch)
                bar.update(len(batch))
        bar.close()
    return ImportStatus.IMPORTED


class _Refused(Exception):
    """A row had a problem: roll back what was written of an all-or-nothing import."""


def _checked_while_writing(rows, handler, state, progress, batch_size):
    """All or nothing with the checking done in worker processes: this process writes each
    batch of valid rows while the workers check the next rows, all in one transaction, rolled
    back if any row has a problem (or the file cannot be read to its end). After the first
    problem nothing more is written, but every row is still checked, for the report. The rows
    written, their batches and their order are those of checking first and writing after."""
    bar = _bar(progress, "Checking and writing rows")
    counts = state.counts
    valid = 0
    try:
        with transaction.atomic():
            batch = []
            for item in _checked(rows, handler, state, bar, ahead=batch_size):
                valid += 1
                if state.report.errors:
                    batch = []
                    continue
                batch.append(item)
                if len(batch) >= batch_size:
                    handler.write(batch)
                    batch = []
            if state.report.errors:
                raise _Refused
            if batch:
                handler.write(batch)
    except (_Refused, FileProblem) as error:
        # Nothing was kept: the counts of what was written go with the transaction.
        counts.created = counts.unchanged = counts.possible_duplicates = 0
        if isinstance(error, FileProblem):
            raise
        counts.refused = counts.rows - valid
        return ImportStatus.REFUSED
    finally:
        bar.close()
    return ImportStatus.IMPORTED


def _valid_rows(rows, handler, state, progress, batch_size):
    bar = _bar(progress, "Importing rows")
    valid = 0
    for batch in _batches(_checked(rows, handler, state, bar, ahead=batch_size), batch_size):
        with transaction.atomic():
            handler.write(batch)
        valid += len(batch)
    bar.close()
    state.counts.refused = state.counts.rows - valid
    if state.counts.refused:
        return ImportStatus.PARTLY_IMPORTED if valid else ImportStatus.REFUSED
    return ImportStatus.IMPORTED


def _checked(rows, handler, state, bar, ahead=0):
    """The rows that pass, as items for `handler.write`; problems go to the report.
    With workers, up to `ahead` rows more are being checked while the caller writes."""
    if handler.workers > 1:
        yield from _checked_in_workers(rows, handler, state, bar, ahead)
        return
    for number, cells in rows:
        item, lines = _check_row(rows, handler, number, cells)
        if _report(lines, state, bar):
            yield item


def _check_row(rows, handler, number, cells):
    """(the item for `handler.write` or None, the report's lines about the row: its warnings
    and problems as (row, column, value, message, severity)). Needs the database only for forms
    about a case, so notification rows are checked in worker processes as well as here."""
    row = rows.row(number, cells)
    item, problems = handler.check(number, row.raw, row.routing)
    lines = [(number, header, value, message, "warning") for header, value, message in row.warnings]
    for column, message in problems:
        value = row.raw.get(column, row.routing.get(column))
        lines.append((number, row.header_of.get(column, column), value, message, "error"))
    return item, lines


def _report(lines, state, bar):
    """Count the row and report its warnings and problems; True when it has no problem."""
    state.counts.rows += 1
    passed = True
    for number, column, value, message, severity in lines:
        state.report.add(number, column, value, message, severity=severity)
        passed = passed and severity != "error"
    bar.update(1)
    return passed


def _checked_in_workers(rows, handler, state, bar, ahead=0):
    """`_checked` with the rows checked in worker processes, a chunk of rows at a time.

    This process reads the file's cells, writes the report and keeps the order; each worker,
    forked with the file's columns and the handler (the dictionary and the CDOPs already
    loaded), turns a chunk's cells into rows and checks them with the one validator, without
    the database. A few chunks are in flight at a time, so memory stays flat: at most two
    chunks per worker, or `ahead` rows (a batch that this process writes meanwhile) and one
    chunk per worker. Results come back in the rows' order, with the same problems and the
    same report as checking in this process."""
    context = multiprocessing.get_context("fork")
    in_flight = collections.deque()
    with ProcessPoolExecutor(
        max_workers=handler.workers, mp_context=context,
        initializer=_start_worker, initargs=(rows, handler),
    ) as pool:  # fmt: skip

        def receive():
            for item, lines in in_flight.popleft().result():
                if _report(lines, state, bar):
                    yield item

        most_in_flight = max(2 * handler.workers, -(-ahead // WORKER_CHUNK) + handler.workers)
        chunk, failure = [], None
        try:
            for number, cells in rows:
                chunk.append((number, cells))
                if len(chunk) >= WORKER_CHUNK:
                    in_flight.append(pool.submit(_check_chunk, chunk))
                    chunk = []
                    while len(in_flight) > most_in_flight:
                        yield from receive()
        except FileProblem as error:
            # A row that cannot be read: the rows before it are finished first, as when
            # checking in this process, then the problem goes on to the caller.
            failure = error
        if chunk:
            in_flight.append(pool.submit(_check_chunk, chunk))
        while in_flight:
            yield from receive()
        if failure is not None:
            raise failure


# What a worker process checks rows with, given when it is forked (so never pickled).
_WORKER = None


def _start_worker(rows, handler):
    global _WORKER
    _WORKER = (rows, handler)
    # The one process that writes sets the pace: the workers give way to it when they share a
    # core, rather than taking a fair share of its time.
    os.nice(_WORKER_NICENESS)


def _check_chunk(chunk):
    """`_check_row` for a chunk of (number, cells), in a worker process."""
    rows, handler = _WORKER
    return [_check_row(rows, handler, number, cells) for number, cells in chunk]


def _unpickled(spool, count):
    for _ in range(count):
        yield pickle.load(spool)  # noqa: S301 - this process's own temporary file


def _batches(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _NoBar:
    def update(self, n):
        pass

    def close(self):
        pass


def _bar(progress, phase):
    return progress(phase) if progress else _NoBar()


# Reading rows --------------------------------------------------------------------------------


@dataclass
class _Row:
    """One row of the file: its number, raw answers, routing values, the header of each field,
    and warnings (header, value, message) about its cells."""

    number: int
    raw: dict
    routing: dict
    header_of: dict
    warnings: list


class _Rows:
    """The file's rows, as `_Row`s."""

    def __init__(self, table, kind, form, state):
        self.headers, self._cells = table.headers, table.rows
        self.form, self.state, self.kind = form, state, kind
        self.columns = match_columns(form, self.headers)
        if kind != "json":
            self._check_columns(self.columns)
        # The header of each field, worked out once per set of columns.
        self._fixed = (self.columns, _headers_of(self.columns))
        self._by_keys = {}

    def _check_columns(self, columns):
        for header in columns.unknown:
            self.state.report.add(
                1, header, "",
                f"The column '{header}' is not a question on the {self.form.title}: rename it "
                "to a question's field name or label, or remove it. Nothing was imported.",
            )  # fmt: skip
        for header, earlier in columns.repeated:
            self.state.report.add(
                1, header, "",
                f"The columns '{earlier}' and '{header}' are the same question: keep one.",
            )  # fmt: skip
        if columns.unknown or columns.repeated:
            raise FileProblem(
                "The file's columns do not match the form: see the problems in row 1."
            )

    def __iter__(self):
        """(number, cells) for each row of the file, as read: `row` makes each a `_Row`."""
        return iter(self._cells)

    def row(self, number, cells):
        """The `_Row` of one row's cells."""
        columns, header_of = self._fixed
        strings = self.kind != "json"
        if not strings:
            # Each JSON object may have its own keys: their columns are matched once per set.
            keys = tuple(cells)
            if keys not in self._by_keys:
                found = match_columns(self.form, keys)
                self._by_keys[keys] = (found, _headers_of(found))
            columns, header_of = self._by_keys[keys]
        raw, routing, text_formulas = split_row(columns, cells, strings=strings)
        for header, value in cells.items():
            if isinstance(value, FormulaCell) and header in columns.fields:
                raw[columns.fields[header]] = _FormulaRefusal(value)
        warnings = []
        for header, name, value in text_formulas:
            if isinstance(cells[header], FormulaCell):
                continue
            spec = self.form.fields[name]
            if spec.type in ("text", "long_text"):
                warnings.append((header, value,
                    f"'{spec.label}' starts with '{value[:1]}', which a spreadsheet reads as "
                    "a formula. It is imported as text, as given, and every export shows it "
                    "as text.",
                ))  # fmt: skip
        return _Row(number, raw, routing, header_of, warnings)


def _headers_of(columns):
    header_of = {name: header for header, name in columns.fields.items()}
    header_of.update({name: header for header, name in columns.routing.items()})
    return header_of


class _FormulaRefusal(str):
    """A workbook formula in place of an answer: refused before the validator sees the row."""


# Writing rows --------------------------------------------------------------------------------


def _formula_problems(raw):
    return [
        (name, "This cell holds a spreadsheet formula, not a value: copy the column and paste it "
         "as values only, then import the file again.")
        for name, value in raw.items()
        if isinstance(value, _FormulaRefusal)
    ]  # fmt: skip


def _problems(result_problems):
    return [(p.field or "", p.message) for p in result_problems]


def derived_client_reference(raw):
    """A stable key for a notification row without a client reference: the same answers give
    the same key, so importing the row again finds the case it made."""
    given = {k: v for k, v in sorted(raw.items()) if v not in (None, "", [])}
    text = json.dumps(given, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "auto-" + hashlib.sha256(text.encode()).hexdigest()[:40]


class _Handler:
    workers = 1  # processes that check rows; forms about a case are checked here, one by one

    def __init__(self, *, form, by, cdop, at, state, workers=1):
        self.form, self.by, self.cdop, self.at, self.state = form, by, cdop, at, state
        # Every CDOP by code, loaded once: rows name theirs, also in a worker without a database.
        self._cdops = {o.code: o for o in Organisation.objects.filter(type=OrganisationType.CDOP)}
        if isinstance(self, _Notifications):
            self.workers = max(1, int(workers))

    def cdop_for(self, routing):
        """(the row's CDOP, problem): the file's CDOP, or the row's `cdop` column."""
        code = routing.get("cdop", "")
        if not code:
            if self.cdop is None:
                return None, ("cdop", "Give the CDOP: choose one for the whole file, or fill in "
                              "the cdop column with the CDOP's code.")  # fmt: skip
            return self.cdop, None
        found = self._cdops.get(code)
        if found is None:
            return None, ("cdop", f"'{code}' is not the code of a CDOP.")
        if self.cdop is not None and found.pk != self.cdop.pk:
            return None, ("cdop", f"This file is imported into {self.cdop.name} ({self.cdop.code}):"
                          f" a row cannot name another CDOP ({code}).")  # fmt: skip
        return found, None


class _Notifications(_Handler):
    def check(self, number, raw, routing):
        """(bulk.ValidNotification, []) or (None, problems). Needs no database, so it runs in a
        worker process as well as here."""
        cdop, problem = self.cdop_for(routing)
        problems = _formula_problems(raw)
        if problem:
            problems.append(problem)
        if problems:
            return None, problems
        client_reference = routing.get("client_reference", "") or derived_client_reference(raw)
        if len(client_reference) > 100:
            return None, [("client_reference", "The client reference must be 100 characters or "
                           "fewer.")]  # fmt: skip
        valid, found = bulk.validate_notification(
            cdop=cdop, raw=raw, at=self.at, client_reference=client_reference, key=number
        )
        return (valid, []) if valid else (None, _problems(found))

    def write(self, batch):
        counts = self.state.counts
        for outcome in bulk.import_notifications(rows=batch, by=self.by, at=self.at):
            counts.created += outcome.created
            counts.unchanged += not outcome.created
            counts.possible_duplicates += bool(outcome.possible_duplicate_of)


class _Forms(_Handler):
    """Forms about an existing case: one `submit_form` per row (idempotent, audited)."""

    def check(self, number, raw, routing):
        problems = _formula_problems(raw)
        case, problem = self._case(routing)
        if problem:
            problems.append(problem)
        agency, problem = self._agency(routing)
        if problem:
            problems.append(problem)
        if problems:
            return None, problems
        existing = FormSubmission.objects.filter(
            case=case, form_name=self.form.name, agency=agency
        ).first()
        release = existing.release if existing else self.form_release()
        form = get_dictionary().release(release).form(self.form.name)
        result = validate_answers(form, raw, case=case_facts(case, release))
        if not result.ok:
            return None, _problems(result.problems)
        if existing is not None and existing.status != SubmissionStatus.DRAFT:
            earlier = Identifiers.objects.filter(submission=existing).first()
            same = (
                existing.answers == result.answers
                and (earlier.values if earlier else {}) == result.identifiers
            )
            if not same:
                return None, [
                    (
                        "",
                        f"The {form.title} for case {case.reference} has already "
                        "been submitted with other answers: amend it in the portal.",
                    )
                ]
        return [case.pk, agency.pk if agency else None, raw], []

    def form_release(self):
        return get_dictionary().release_on(self.at.date()).id

    def _case(self, routing):
        scope = cases_for(self.by)
        reference = routing.get("case_reference", "")
        client_reference = routing.get("client_reference", "")
        if reference:
            case = scope.filter(reference=reference).first()
            return case, None if case else ("case_reference", f"There is no case {reference} "
                                            "that you can see.")  # fmt: skip
        if client_reference:
            cdop, problem = self.cdop_for(routing)
            if problem and self.cdop is None and not routing.get("cdop"):
                matches = list(scope.filter(client_reference=client_reference)[:2])
            elif problem:
                return None, problem
            else:
                matches = list(scope.filter(cdop=cdop, client_reference=client_reference)[:2])
            if len(matches) == 1:
                return matches[0], None
            if matches:
                return None, (
                    "client_reference",
                    f"More than one CDOP has a case with the "
                    f"client reference {client_reference}: add the cdop column.",
                )
            return None, ("client_reference", f"There is no case with the client reference "
                          f"{client_reference} that you can see.")  # fmt: skip
        return None, ("case_reference", "Give the case: its case_reference, or the "
                      "client_reference it was notified with.")  # fmt: skip

    def _agency(self, routing):
        code = routing.get("agency", "")
        if not self.form.per_agency:
            return None, None
        if not code:
            return None, ("agency", f"The {self.form.title} is completed per agency: give the "
                          "agency's code in the agency column.")  # fmt: skip
        agency = Organisation.objects.filter(code=code, type=OrganisationType.AGENCY).first()
        return agency, None if agency else ("agency", f"'{code}' is not the code of an agency.")

    def write(self, batch):
        from ncmd.registry.models import Case

        counts = self.state.counts
        for case_id, agency_id, raw in batch:
            case = Case.objects.get(pk=case_id)
            agency = Organisation.objects.get(pk=agency_id) if agency_id else None
            before = (
                FormSubmission.objects.filter(case=case, form_name=self.form.name, agency=agency)
                .exclude(status=SubmissionStatus.DRAFT)
                .exists()
            )
            registry_actions.submit_form(
                case=case, form_name=self.form.name, answers=raw, agency=agency, by=self.by,
                at=self.at,
            )  # fmt: skip
            counts.unchanged += before
            counts.created += not before
