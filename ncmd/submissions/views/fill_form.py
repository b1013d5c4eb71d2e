"""Fill in a form of a case: save it as a draft at any time, or submit it. Both go through the
registry's actions, which check the answers with the dictionary's one validator."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ncmd.dictionary.validation import Problem
from ncmd.registry import actions
from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.facts import case_facts
from ncmd.registry.models import Role, SubmissionStatus
from ncmd.registry.presenters import present_submission
from ncmd.registry.views.decorators import load_case

from .. import actions as submission_actions
from ..scoping import check_may_fill, find_agency, find_form, find_submission
from ..webforms import initial_state, page_context, raw_answers, state_from_answers, state_from_post


@require_http_methods(["GET", "POST"])
@load_case
def fill_form(request, case, form_name, agency_code=None):
    user = request.user
    agency = find_agency(agency_code)
    submission = find_submission(user, case, form_name, agency)
    release, form = find_form(form_name, agency, submission)
    form_request = check_may_fill(request, case, form, agency)
    here = _here(case, form_name, agency)
    if submission is not None and submission.status != SubmissionStatus.DRAFT:
        return render(request, "submissions/submitted.html", {
            **present_submission(submission), "case": case, "form_request": form_request,
            "can_amend": has_permission(user, Permission.AMEND_FORMS),
            "amend_url": here + "amend/", "agency": agency,
        })  # fmt: skip
    problems, contradictory = [], []
    if request.method == "POST":
        state = state_from_post(form, request.POST)
        raw, contradictory = raw_answers(form, state)
        submitting = request.POST.get("_action") == "submit"
        act = actions.submit_form if submitting else actions.save_draft
        try:
            act(case=case, form_name=form.name, agency=agency, answers=raw, by=user)
        except actions.InvalidAnswers as invalid:
            problems = invalid.problems
        except actions.ActionRefused as refusal:
            problems = [Problem(form.name, None, str(refusal))]
        else:
            if not submitting:
                messages.success(request, "Draft saved. You can come back to it at any time.")
                return redirect(here)
            messages.success(request, f"{form.title} submitted.")
            if user.role == Role.AGENCY_REPORTER:
                return redirect(here)
            return redirect("case_detail", reference=case.reference)
    elif submission is not None:
        identifiers = {}
        if form.identifying_fields:
            identifiers = submission_actions.read_identifiers(submission=submission, by=user)
        state = state_from_answers(form, submission.answers, identifiers)
    else:
        state = initial_state(form, agency)
    context = page_context(
        form, state, problems, contradictory, case_facts=case_facts(case, release.id)
    )
    context.update(
        case=case,
        agency=agency,
        submission=submission,
        form_request=form_request,
        release=release,
        title=form.title,
        caption=f"Case {case.reference}" + (f", {agency.name}" if agency else ""),
        signed_in_by_link=user.role == Role.AGENCY_REPORTER,
    )
    return render(request, "submissions/fill_form.html", context)


def _here(case, form_name, agency):
    if agency is None:
        return reverse("fill_form", args=[case.reference, form_name])
    return reverse("fill_agency_form", args=[case.reference, form_name, agency.code])
