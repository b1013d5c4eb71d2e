"""Shape registry objects for templates: answers laid out by the dictionary, labels for codes."""

from dataclasses import dataclass

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.validation import from_json

from .models import AgeBand, CaseStatus

_SPECIAL_LABELS = {"not_known": "Not known", "not_applicable": "Not applicable"}


@dataclass
class AnswerRow:
    name: str
    label: str
    value: str
    blank: bool
    required: bool


def display_answer(field, value):
    """How one stored answer reads to a person."""
    if value is None or value == []:
        return ""
    if isinstance(value, dict):
        return _SPECIAL_LABELS.get(value.get("special"), str(value))
    if field.type == "boolean":
        return "Yes" if value else "No"
    if field.type == "single_choice":
        return field.codelist.label_of(value)
    if field.type == "multiple_choice":
        return "; ".join(field.codelist.label_of(v) for v in value)
    if field.type == "date":
        return f"{from_json(field, value):%-d %B %Y}"
    if field.unit:
        return f"{value} {field.unit}"
    return str(value)


def present_submission(submission):
    """The submission's sections, each with its questions and answers, in the form's own order,
    under the release the form was completed against."""
    release = get_dictionary().release(submission.release)
    form = release.form(submission.form_name)
    sections = []
    for section in form.sections:
        rows = [
            AnswerRow(
                name=field.name,
                label=field.label,
                value=display_answer(field, submission.answers.get(field.name)),
                blank=field.name not in submission.answers,
                required=field.required is True,
            )
            for field in section.fields
            if not field.identifying
        ]
        if rows:
            sections.append({"title": section.title, "rows": rows})
    return {"form": form, "release": release, "sections": sections, "submission": submission}


def present_identifiers(submission, values):
    form = get_dictionary().release(submission.release).form(submission.form_name)
    return [
        (form.fields[name].label, display_answer(form.fields[name], values.get(name)))
        for name in form.identifying_fields
    ]


def code_label(codelist_name, code):
    """The label of `code` in the latest release's code list (the case columns use its codes)."""
    if not code:
        return ""
    codelist = get_dictionary().latest.codelists.get(codelist_name)
    return codelist.label_of(code) if codelist else code


def present_case_row(case):
    return {
        "case": case,
        "status": CaseStatus(case.status).label,
        "age_band": AgeBand(case.age_band).label if case.age_band else "",
        "sex": code_label("sex", case.sex),
        "category": code_label("category_of_death", case.category_of_death),
    }


ACTION_LABELS = {
    "notify_death": "Notified the death",
    "save_draft": "Saved a draft",
    "submit_form": "Submitted a form",
    "amend_form": "Amended a form",
    "change_case_status": "Changed the status",
    "resolve_duplicate": "Decided on a possible duplicate",
    "view_identifiers": "Viewed the child's identifiers",
    "request_reporting_form": "Requested a reporting form",
}


def present_audit_event(event):
    """An audit event as a row of the case history: labels instead of names and codes."""
    form_name = event.detail.get("form") or ("notification" if event.action == "notify_death"
                                             else None)  # fmt: skip
    form = get_dictionary().latest.forms.get(form_name) if form_name else None
    form_title = form.title if form else ""
    changes = []
    for name, (before, after) in event.changes.items():
        field = form.fields.get(name) if form else None
        if field is not None:
            changes.append(
                (field.label, display_answer(field, before), display_answer(field, after))
            )
        elif name == "status":
            changes.append(("Status", _status_label(before), _status_label(after)))
        else:
            changes.append((name.replace("_", " ").capitalize(), before, after))
    return {
        "event": event,
        "what": ACTION_LABELS.get(event.action, event.action.replace("_", " ").capitalize()),
        "form": form_title,
        "changes": changes,
    }


def _status_label(value):
    return CaseStatus(value).label if value in CaseStatus.values else value
