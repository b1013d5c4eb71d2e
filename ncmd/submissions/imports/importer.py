"""Importing one file: read it a row at a time, check every row with the one validator, report
every problem, and write the valid rows through the registry's actions.

Two modes. All or nothing (the default): a first pass checks every row and keeps the valid ones in
a temporary spool file; only if no row has a problem does a second pass write them, in one
transaction. Valid rows: one pass, writing each batch of valid rows as it fills and reporting the
rest. Either way nothing holds the whole file in memory, and importing the same file again changes
nothing: a notification's client reference (given, or derived from its answers) names the case it
made, and a submitted form with the same answers is left as it is.

Answers are checked against the dictionary release in force on the day of the import, as
`notify_death` and `submit_form` do for a form made that day.
"""

import hashlib
import json
import tempfile
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
                at=None, progress=None, batch_size=BATCH_SIZE):  # fmt: skip
    """Import the file at `path` into `form_name` as `by`; returns the finished ImportRun.

    `cdop` is the CDOP for every row (a CDOP administrator's own CDOP when not given); `progress`,
    if given, is called with a phase name and returns an object with `update(n)` and `close()`.
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
            form=form, by=by, cdop=cdop, at=at, state=state
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
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        bar = _bar(progress, "Checking rows")
        valid = 0
        for item in _checked(rows, handler, state, bar):
            spool.write(json.dumps(item, separators=(",", ":")) + "\n")
            valid += 1
        bar.close()
        if state.report.errors:
            state.counts.refused = state.counts.rows - valid
            return ImportStatus.REFUSED
        spool.seek(0)
        bar = _bar(progress, "Writing rows")
        with transaction.atomic():
            for batch in _batches((json.loads(line) for line in spool), batch_size):
                handler.write(batch)
                bar.update(len(batch))
        bar.close()
    return ImportStatus.IMPORTED


def _valid_rows(rows, handler, state, progress, batch_size):
    bar = _bar(progress, "Importing rows")
    valid = 0
    for batch in _batches(_checked(rows, handler, state, bar), batch_size):
        with transaction.atomic():
            handler.write(batch)
        valid += len(batch)
    bar.close()
    state.counts.refused = state.counts.rows - valid
    if state.counts.refused:
        return ImportStatus.PARTLY_IMPORTED if valid else ImportStatus.REFUSED
    return ImportStatus.IMPORTED


def _checked(rows, handler, state, bar):
    """The rows that pass, as JSON-ready items for `handler.write`; problems go to the report."""
    for number, raw, routing, header_of in rows:
        state.counts.rows += 1
        item, problems = handler.check(number, raw, routing)
        for column, message in problems:
            shown = header_of.get(column, column)
            state.report.add(number, shown, raw.get(column, routing.get(column)), message)
        bar.update(1)
        if not problems:
            yield item


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


class _Rows:
    """The file's rows as (row number, raw answers, routing values, header of each field)."""

    def __init__(self, table, kind, form, state):
        self.headers, self._cells = table.headers, table.rows
        self.form, self.state, self.kind = form, state, kind
        self.columns = match_columns(form, self.headers)
        if kind != "json":
            self._check_columns(self.columns)

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
        by_keys = {}
        for number, cells in self._cells:
            columns = self.columns
            if self.kind == "json":
                keys = tuple(cells)
                columns = by_keys.get(keys) or by_keys.setdefault(
                    keys, match_columns(self.form, keys)
                )
            header_of = {name: header for header, name in columns.fields.items()}
            header_of.update({name: header for header, name in columns.routing.items()})
            raw, routing, text_formulas = split_row(columns, cells, strings=self.kind != "json")
            for header, value in cells.items():
                if isinstance(value, FormulaCell) and header in columns.fields:
                    raw[columns.fields[header]] = _FormulaRefusal(value)
            for header, name, value in text_formulas:
                if isinstance(cells[header], FormulaCell):
                    continue
                spec = self.form.fields[name]
                if spec.type in ("text", "long_text"):
                    self.state.report.add(
                        number, header, value,
                        f"'{spec.label}' starts with '{value[:1]}', which a spreadsheet reads as "
                        "a formula. It is imported as text, as given, and every export shows it "
                        "as text.",
                        severity="warning",
                    )  # fmt: skip
            yield number, raw, routing, header_of


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
    def __init__(self, *, form, by, cdop, at, state):
        self.form, self.by, self.cdop, self.at, self.state = form, by, cdop, at, state
        self._cdops = {}

    def cdop_for(self, routing):
        """(the row's CDOP, problem): the file's CDOP, or the row's `cdop` column."""
        code = routing.get("cdop", "")
        if not code:
            if self.cdop is None:
                return None, ("cdop", "Give the CDOP: choose one for the whole file, or fill in "
                              "the cdop column with the CDOP's code.")  # fmt: skip
            return self.cdop, None
        if code not in self._cdops:
            self._cdops[code] = Organisation.objects.filter(
                code=code, type=OrganisationType.CDOP
            ).first()
        found = self._cdops[code]
        if found is None:
            return None, ("cdop", f"'{code}' is not the code of a CDOP.")
        if self.cdop is not None and found.pk != self.cdop.pk:
            return None, ("cdop", f"This file is imported into {self.cdop.name} ({self.cdop.code}):"
                          f" a row cannot name another CDOP ({code}).")  # fmt: skip
        return found, None


class _Notifications(_Handler):
    def check(self, number, raw, routing):
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
        return (valid.as_json(), []) if valid else (None, _problems(found))

    def write(self, batch):
        rows = [bulk.ValidNotification.from_json(item) for item in batch]
        counts = self.state.counts
        for outcome in bulk.import_notifications(rows=rows, by=self.by, at=self.at):
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
