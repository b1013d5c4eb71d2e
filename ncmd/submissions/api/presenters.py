"""Registry and dictionary objects shaped for the API's JSON (see schemas.py)."""

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.exports import codelist_system, json_schema


def present_case(case):
    return {
        "reference": case.reference,
        "client_reference": case.client_reference,
        "cdop": case.cdop.code,
        "cdop_name": case.cdop.name,
        "region": case.region.code,
        "status": case.status,
        "duplicate_status": case.duplicate_status,
        "possible_duplicate_of": case.duplicate_of.reference if case.duplicate_of_id else None,
        "notified_at": case.notified_at,
        "date_of_death": case.date_of_death,
        "age_band": case.age_band,
        "sex": case.sex,
        "ethnicity": case.ethnicity,
        "expected_death": case.expected_death,
        "category_of_death": case.category_of_death,
        "modifiable_factors": case.modifiable_factors,
        "review_date": case.review_date,
        "updated_at": case.updated_at,
    }


def present_submission(submission):
    form = get_dictionary().release(submission.release).form(submission.form_name)
    return {
        "form": submission.form_name,
        "title": form.title,
        "agency": submission.agency.code if submission.agency_id else None,
        "release": submission.release,
        "status": submission.status,
        "revision": submission.revision,
        "created_at": submission.created_at,
        "submitted_at": submission.submitted_at,
        "updated_at": submission.updated_at,
        "answers": dict(submission.answers),
    }


def present_release(release, in_force):
    return {
        "id": release.id,
        "title": release.title,
        "effective_from": release.effective_from,
        "previous": release.previous,
        "in_force": in_force,
        "notes": release.notes.strip(),
    }


def present_form_summary(form):
    return {
        "name": form.name,
        "title": form.title,
        "kind": form.kind,
        "per_agency": form.per_agency,
        "applies_when": form.applies_when.source if form.applies_when else None,
        "description": form.description.strip(),
    }


def present_form(release, form):
    return {
        **present_form_summary(form),
        "release": release.id,
        "sections": [
            {
                "name": section.name,
                "title": section.title,
                "fields": [_present_field(field) for field in section.fields],
            }
            for section in form.sections
        ],
        "rules": [
            {
                "name": r.name,
                "check": r.check.source,
                "fields": list(r.fields),
                "message": r.message,
            }
            for r in form.rules
        ],  # fmt: skip
        "answers_schema": json_schema(release, form),
    }


def _present_field(field):
    return {
        "name": field.name,
        "label": field.label,
        "type": field.type,
        "help": (field.help or "").strip(),
        "required": field.required_source(),
        "show_when": field.show_when.source if field.show_when else None,
        "codelist": field.codelist.name if field.codelist else None,
        "identifying": field.identifying,
        "allow": list(field.allow),
        "min": field.min,
        "max": field.max,
        "unit": field.unit,
    }


def present_codelist(release, codelist):
    return {
        "name": codelist.name,
        "label": codelist.label,
        "system": codelist_system(release.id, codelist.name),
        "codes": [{"code": c.code, "label": c.label, "group": c.group} for c in codelist.codes],
        "groups": dict(codelist.groups),
    }
