"""The shapes the API takes and gives, as pydantic models; the OpenAPI document is built from
them. Answers stay free-form objects here: what a form's answers may hold is the dictionary's
business (see each form's JSON Schema), and the validator is the judge."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from ncmd.registry.models import AgeBand, CaseStatus

Answers = dict[str, Any]
CaseStatusCode = Literal[tuple(CaseStatus.values)]
AgeBandCode = Literal[tuple(AgeBand.values)]


class ProblemEntry(Schema):
    form: str | None = Field(None, description="The form the problem is on.")
    field: str | None = Field(None, description="The question (or request part) at fault.")
    message: str


class Problem(Schema):
    """An RFC 9457 problem detail."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemEntry] = Field(default_factory=list)


class NotifyIn(Schema):
    cdop: str | None = Field(
        None,
        max_length=20,
        description="The CDOP's code. Needed only by national administrators; CDOP staff "
        "notify to their own CDOP.",
    )
    client_reference: str = Field(
        "",
        max_length=100,
        description="Your system's own identifier for the case. Notifying again with the same "
        "one returns the first case and changes nothing.",
    )
    answers: Answers = Field(description="The notification form's answers, by field name.")


class FormIn(Schema):
    answers: Answers = Field(description="The form's answers, by field name.")
    agency: str | None = Field(
        None, max_length=20, description="For a reporting form: the agency's code."
    )
    draft: bool = Field(False, description="Save a draft (incomplete answers allowed).")


class AmendmentIn(Schema):
    answers: Answers = Field(description="The complete corrected answers.")
    reason: str = Field(max_length=1000, description="Why the form is being amended.")
    agency: str | None = Field(
        None, max_length=20, description="For a reporting form: the agency's code."
    )


class SubmissionOut(Schema):
    form: str
    title: str
    agency: str | None
    release: str
    status: str
    revision: int
    created_at: datetime
    submitted_at: datetime | None
    updated_at: datetime
    answers: Answers


class CaseOut(Schema):
    reference: str
    client_reference: str
    cdop: str
    cdop_name: str
    region: str
    status: CaseStatusCode
    duplicate_status: str
    possible_duplicate_of: str | None
    notified_at: datetime
    date_of_death: date | None
    age_band: str
    sex: str
    ethnicity: str
    expected_death: str
    category_of_death: str
    modifiable_factors: str
    review_date: date | None
    updated_at: datetime


class CaseDetailOut(CaseOut):
    forms: list[SubmissionOut]
    identifiers: dict[str, Any] | None = Field(
        None, description="Only with ?include=identifiers, for roles that may see them."
    )


class CasePage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[CaseOut]


class ReleaseOut(Schema):
    id: str
    title: str
    effective_from: date
    previous: str | None
    in_force: bool
    notes: str


class FieldOut(Schema):
    name: str
    label: str
    type: str
    help: str
    required: str = Field(description="'yes', 'no', or the expression that makes it required.")
    show_when: str | None
    codelist: str | None
    identifying: bool
    allow: list[str]
    min: float | None
    max: float | None
    unit: str


class SectionOut(Schema):
    name: str
    title: str
    fields: list[FieldOut]


class RuleOut(Schema):
    name: str
    check: str
    fields: list[str]
    message: str


class FormSummaryOut(Schema):
    name: str
    title: str
    kind: str
    per_agency: bool
    applies_when: str | None
    description: str


class FormOut(FormSummaryOut):
    release: str
    sections: list[SectionOut]
    rules: list[RuleOut]
    answers_schema: dict[str, Any] = Field(description="JSON Schema (2020-12) of the answers.")


class CodeOut(Schema):
    code: str
    label: str
    group: str | None


class CodeListOut(Schema):
    name: str
    label: str
    system: str
    codes: list[CodeOut]
    groups: dict[str, str]
