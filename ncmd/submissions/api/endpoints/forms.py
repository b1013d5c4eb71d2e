"""A case's forms: submit or save a draft, amend, or submit a FHIR QuestionnaireResponse.

Each goes through the registry's actions, which check the answers with the dictionary's one
validator: the API accepts and refuses exactly what the portal and bulk import do."""

from typing import Any, Literal

from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from ncmd.dictionary.exports import answers_from_questionnaire_response
from ncmd.registry import actions
from ncmd.registry.access import get_case_for, submissions_for
from ncmd.registry.actions import InvalidAnswers
from ncmd.registry.authorization import Permission

from ..idempotency import run_once
from ..presenters import present_submission
from ..problems import ApiProblem
from ..schemas import AmendmentIn, FormIn, SubmissionOut
from . import ERRORS
from ._access import agency_for_filling, agency_named, form_in_force, require_any
from .cases import IDEMPOTENCY_KEY

router = Router(tags=["forms"])
FORM_PATH = "/{reference}/forms/{form_name}"


class QuestionnaireResponseIn(Schema):
    """A FHIR R4 QuestionnaireResponse (other elements are accepted and ignored)."""

    model_config = ConfigDict(extra="allow")
    resourceType: Literal["QuestionnaireResponse"]
    status: str = Field(description="completed or amended to submit; in-progress for a draft.")
    questionnaire: str | None = None
    item: list[dict[str, Any]] = Field(default_factory=list)


def _refuse_notification(form, reference):
    if form.kind == "notification":
        raise ApiProblem(
            409,
            "The notification is made once, with POST /cases; correct it with POST "
            f"/cases/{reference}/forms/{form.name}/amendments.",
        )


def _fill(request, reference, form_name, answers, agency_code, draft):
    user = request.auth.user
    require_any(user, Permission.EDIT_FORMS, Permission.COMPLETE_REQUESTED_FORMS)
    case = get_case_for(user, reference)
    form = form_in_force(form_name)
    _refuse_notification(form, reference)
    agency = agency_for_filling(user, case, form, agency_code)
    act = actions.save_draft if draft else actions.submit_form
    submission = act(case=case, form_name=form.name, answers=answers, by=user, agency=agency)
    return 200, SubmissionOut(**present_submission(submission)).model_dump(mode="json")


@router.put(FORM_PATH, response={200: SubmissionOut, **ERRORS}, summary="Submit a form")
def put_form(
    request,
    reference: str,
    form_name: str,
    payload: FormIn,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """Submit the form (or, with `draft: true`, save a draft). Submitting the same answers again
    returns the submitted form unchanged; different answers need an amendment."""
    return run_once(request, idempotency_key, lambda: _fill(
        request, reference, form_name, payload.answers, payload.agency, payload.draft
    ))  # fmt: skip


@router.post(FORM_PATH + "/amendments", response={200: SubmissionOut, **ERRORS},
             summary="Amend a submitted form")  # fmt: skip
def amend_form(
    request,
    reference: str,
    form_name: str,
    payload: AmendmentIn,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """Replace a submitted form's answers, saying why. The earlier answers stay in the audit
    trail with the reason."""

    def work():
        user = request.auth.user
        require_any(user, Permission.AMEND_FORMS)
        case = get_case_for(user, reference)
        form = form_in_force(form_name)
        agency = agency_named(payload.agency, form) if payload.agency else None
        submission = submissions_for(user, case).filter(form_name=form.name, agency=agency).first()
        if submission is None:
            raise ApiProblem(404, f"Case {case.reference} has no {form.title} to amend"
                                  f"{' from that agency' if agency else ''}.")  # fmt: skip
        if not payload.reason.strip():
            raise ApiProblem(422, "Say why the form is being amended.", errors=[
                {"form": form.name, "field": "reason", "message": "Give the reason."}
            ])  # fmt: skip
        amended = actions.amend_form(
            submission=submission, answers=payload.answers, by=user, reason=payload.reason
        )
        return 200, SubmissionOut(**present_submission(amended)).model_dump(mode="json")

    return run_once(request, idempotency_key, work)


@router.post(FORM_PATH + "/fhir", response={200: SubmissionOut, **ERRORS},
             summary="Submit a form as a FHIR QuestionnaireResponse")  # fmt: skip
def submit_fhir(
    request,
    reference: str,
    form_name: str,
    payload: QuestionnaireResponseIn,
    agency: str | None = Query(None, max_length=20, description="For a reporting form."),
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """Each item's linkId is a field name of the form (see the form's Questionnaire). Status
    `completed` (or `amended`) submits the form; `in-progress` saves a draft."""

    def work():
        form = form_in_force(form_name)
        raw, draft, problems = answers_from_questionnaire_response(form, payload.model_dump())
        if problems:
            raise InvalidAnswers(problems)
        return _fill(request, reference, form_name, raw, agency, draft)

    return run_once(request, idempotency_key, work)
