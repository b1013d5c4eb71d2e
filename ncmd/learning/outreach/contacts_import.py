"""Importing stakeholder contacts from a CSV file, all or nothing.

Stakeholder lists arrive as spreadsheets. Columns (in any order, names as below, case ignored):
name, email, organisation, sector, audiences, consent_date, consent_source, and optionally
job_title and lawful_basis. Audiences are separated by semicolons and may be given by code
(`midwives`) or label (`Midwives`). Every row is checked first; if any row has a problem nothing is
written and every problem is listed by row and column. A contact whose e-mail is already known is
updated; an organisation not yet known is created with the row's sector.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from ncmd.learning.audiences import Audience

from . import actions
from .models import Contact, LawfulBasis, Sector, StakeholderOrganisation

REQUIRED = ["name", "email", "organisation", "sector", "audiences", "consent_date",
            "consent_source"]  # fmt: skip
OPTIONAL = ["job_title", "lawful_basis"]
MAX_ROWS = 20000


@dataclass(frozen=True)
class RowProblem:
    row: int  # the spreadsheet's row number: the header is row 1
    column: str
    message: str

    def __str__(self):
        return f"Row {self.row}, {self.column}: {self.message}"


class ImportProblems(actions.OutreachRefused):
    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"{len(problems)} problems; nothing was imported.")


def _lookup(choices):
    table = {}
    for value, label in choices:
        table[value.lower()] = value
        table[label.lower()] = value
    return table


AUDIENCES, SECTORS, BASES = _lookup(Audience.choices), _lookup(Sector.choices), _lookup(
    LawfulBasis.choices)  # fmt: skip


def read_rows(data):
    """The rows of a CSV file's bytes as dicts keyed by lower-case column name."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem = RowProblem(0, "file", "the file is not UTF-8 text: save it as 'CSV UTF-8'")
        raise ImportProblems([problem]) from error
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise ImportProblems([RowProblem(1, c, "this column is missing") for c in missing])
    reader.fieldnames = headers
    rows = []
    for row in reader:
        rows.append({k: (v or "").strip() for k, v in row.items() if k})
        if len(rows) > MAX_ROWS:
            raise ImportProblems([RowProblem(0, "file", f"more than {MAX_ROWS} rows: split it")])
    return rows


def check_row(number, row, seen):
    problems, out = [], {}
    if not row.get("name"):
        problems.append(RowProblem(number, "name", "give the contact's name"))
    email = row.get("email", "").lower()
    try:
        validate_email(email)
    except ValidationError:
        problems.append(RowProblem(number, "email", f"{email or 'an empty value'} is not an "
                                                    "e-mail address"))  # fmt: skip
    if email in seen:
        problems.append(RowProblem(number, "email", f"{email} is also on row {seen[email]}"))
    seen.setdefault(email, number)
    if not row.get("organisation"):
        problems.append(RowProblem(number, "organisation", "give the organisation's name"))
    sector = SECTORS.get(row.get("sector", "").lower())
    if sector is None:
        problems.append(
            RowProblem(
                number,
                "sector",
                f"{row.get('sector') or 'an empty value'} "
                f"is not a sector; use one of: {', '.join(Sector.values)}",
            )
        )
    audiences = []
    for part in filter(None, (p.strip() for p in row.get("audiences", "").split(";"))):
        value = AUDIENCES.get(part.lower())
        if value is None:
            problems.append(
                RowProblem(
                    number,
                    "audiences",
                    f"{part} is not an audience; use "
                    f"codes such as {', '.join(Audience.values[:3])}",
                )
            )
        else:
            audiences.append(value)
    if not audiences and row.get("audiences", "") == "":
        problems.append(RowProblem(number, "audiences", "give at least one audience"))
    consent_date, source = row.get("consent_date", ""), row.get("consent_source", "")
    given_on = None
    if consent_date:
        try:
            given_on = datetime.date.fromisoformat(consent_date)
        except ValueError:
            problems.append(
                RowProblem(
                    number, "consent_date", f"{consent_date} is not a date written as YYYY-MM-DD"
                )
            )
        else:
            if given_on > datetime.date.today():
                problems.append(RowProblem(number, "consent_date", "is in the future"))
        if not source:
            problems.append(
                RowProblem(
                    number,
                    "consent_source",
                    "say where the consent came from when a consent date is given",
                )
            )
    basis = BASES.get((row.get("lawful_basis") or "consent").lower())
    if basis is None:
        problems.append(
            RowProblem(number, "lawful_basis", f"use one of: {', '.join(LawfulBasis.values)}")
        )
    out = {"name": row.get("name", ""), "email": email, "organisation": row.get("organisation"),
           "sector": sector, "audiences": audiences, "given_on": given_on, "source": source,
           "job_title": row.get("job_title", ""), "basis": basis}  # fmt: skip
    return out, problems


@transaction.atomic
def import_contacts(*, data, by):
    """Import a CSV file's bytes. Returns (created, updated); raises ImportProblems with every
    problem, having written nothing."""
    rows = read_rows(data)
    if not rows:
        raise ImportProblems([RowProblem(2, "file", "the file has no rows under the header")])
    seen, checked, problems = {}, [], []
    for index, row in enumerate(rows, start=2):
        values, row_problems = check_row(index, row, seen)
        checked.append(values)
        problems += row_problems
    if problems:
        raise ImportProblems(problems)
    created = updated = 0
    organisations = {o.name.lower(): o for o in StakeholderOrganisation.objects.all()}
    for values in checked:
        organisation = organisations.get(values["organisation"].lower())
        if organisation is None:
            organisation = actions.save_stakeholder_organisation(
                by=by, name=values["organisation"], sector=values["sector"],
                audiences=values["audiences"],
            )  # fmt: skip
            organisations[organisation.name.lower()] = organisation
        contact = Contact.objects.filter(email=values["email"]).first()
        updated += contact is not None
        created += contact is None
        contact = actions.save_contact(
            by=by, contact=contact, name=values["name"], email=values["email"],
            organisation=organisation, job_title=values["job_title"],
            audiences=values["audiences"],
        )  # fmt: skip
        if values["given_on"] and (contact.consent_given_on != values["given_on"]
                                   or contact.consent_source != values["source"]):  # fmt: skip
            actions.record_consent(
                contact=contact,
                given_on=values["given_on"],
                source=values["source"],
                lawful_basis=values["basis"],
                by=by,
            )
    return created, updated
