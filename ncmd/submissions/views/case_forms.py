"""A case's forms: which can be filled in, which are drafts, which are submitted (and can be
amended). Supplementary forms that apply to the case, by their `applies_when`, come first."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.registry.access import requests_for, submissions_for
from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.facts import case_facts
from ncmd.registry.models import SubmissionStatus
from ncmd.registry.views.decorators import load_case, require_permission


@require_permission(Permission.EDIT_FORMS)
@load_case
def case_forms(request, case):
    user = request.user
    release = get_dictionary().release_on(timezone.now().date())
    saved = {(s.form_name, s.agency_id): s for s in submissions_for(user, case)}
    facts = case_facts(case, release.id)
    can_amend = has_permission(user, Permission.AMEND_FORMS)

    def row(form, agency=None):
        submission = saved.get((form.name, agency.pk if agency else None))
        args = [case.reference, form.name] + ([agency.code] if agency else [])
        url = reverse("fill_agency_form" if agency else "fill_form", args=args)
        status = SubmissionStatus(submission.status).label if submission else "Not started"
        submitted = submission is not None and submission.status != SubmissionStatus.DRAFT
        return {
            "title": form.title + (f": {agency.name}" if agency else ""),
            "status": status,
            "url": None if form.kind == "notification" else url,
            "action": "View" if submitted else ("Continue" if submission else "Start"),
            "amend_url": url + "amend/" if submitted and can_amend else None,
        }

    forms = release.forms.values()
    notification = saved.get(("notification", None))
    supplementary = [f for f in forms if f.kind == "supplementary"]
    applies = [f for f in supplementary if f.applies_when is None or f.applies_when({}, facts)]
    return render(request, "submissions/case_forms.html", {
        "case": case,
        "notification": [row(release.form("notification"))] if notification else [],
        "analysis": [row(f) for f in forms if f.kind == "analysis"],
        "applies": [row(f) for f in applies],
        "others": [row(f) for f in supplementary if f not in applies],
        "reporting": [
            row(release.form(r.form_name), r.agency) for r in
            requests_for(user).filter(case=case).select_related("agency")
            if r.form_name in release.forms
        ],
        "can_request": has_permission(user, Permission.REQUEST_REPORTING_FORMS),
    })  # fmt: skip
