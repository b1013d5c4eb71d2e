"""Amend a submitted form, with a reason. `actions.amend_form` keeps the earlier answers and the
reason in the audit trail."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.validation import Problem
from ncmd.registry import actions
from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.facts import case_facts
from ncmd.registry.models import SubmissionStatus
from ncmd.registry.views.decorators import load_case, require_permission

from .. import actions as submission_actions
from ..scoping import find_agency, find_submission
from ..webforms import page_context, raw_answers, state_from_answers, state_from_post


@require_http_methods(["GET", "POST"])
@require_permission(Permission.AMEND_FORMS)
@load_case
def amend_form(request, case, form_name, agency_code=None):
    user = request.user
    agency = find_agency(agency_code)
    submission = find_submission(user, case, form_name, agency)
    if submission is None:
        raise Http404("This form has not been filled in.")
    if submission.status == SubmissionStatus.DRAFT:
        return redirect(_fill_url(case, form_name, agency))
    release = get_dictionary().release(submission.release)
    form = release.form(form_name)
    if form.identifying_fields and not has_permission(user, Permission.VIEW_IDENTIFIERS):
        raise PermissionDenied("Amending this form shows the child's identifiers.")
    problems, contradictory, page_errors = [], [], []
    reason = request.POST.get("_reason", "")
    if request.method == "POST":
        state = state_from_post(form, request.POST)
        raw, contradictory = raw_answers(form, state)
        try:
            actions.amend_form(submission=submission, answers=raw, by=user, reason=reason)
        except actions.InvalidAnswers as invalid:
            problems = invalid.problems
        except actions.ActionRefused as refusal:
            if reason.strip():
                problems = [Problem(form.name, None, str(refusal))]
            else:
                page_errors = [("#f-reason", str(refusal))]
        else:
            messages.success(request, f"{form.title} amended. The earlier answers are kept in "
                             "the case's history.")  # fmt: skip
            return redirect("case_detail", reference=case.reference)
    else:
        identifiers = {}
        if form.identifying_fields:
            identifiers = submission_actions.read_identifiers(submission=submission, by=user)
        state = state_from_answers(form, submission.answers, identifiers)
    facts = None if form.kind == "notification" else case_facts(case, release.id)
    context = page_context(form, state, problems, contradictory, facts, page_errors)
    context.update(
        case=case,
        agency=agency,
        submission=submission,
        release=release,
        title=f"Amend the {form.title[:1].lower()}{form.title[1:]}",
        caption=f"Case {case.reference}" + (f", {agency.name}" if agency else ""),
        reason=reason,
        reason_error=page_errors[0][1] if page_errors else "",
    )
    return render(request, "submissions/amend_form.html", context)


def _fill_url(case, form_name, agency):
    if agency is None:
        return reverse("fill_form", args=[case.reference, form_name])
    return reverse("fill_agency_form", args=[case.reference, form_name, agency.code])
