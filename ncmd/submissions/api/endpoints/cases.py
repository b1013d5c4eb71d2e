"""Cases: notify a death, list the cases in scope, read one case with its forms."""

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.db import IntegrityError
from django.utils import timezone
from ninja import Header, Query, Router, Schema
from pydantic import Field

from ncmd.registry import actions
from ncmd.registry.access import cases_for, get_case_for, submissions_for
from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.models import Case, Organisation, OrganisationType

from ..idempotency import MAX_KEY_LENGTH, run_once
from ..presenters import present_case, present_submission
from ..problems import ApiProblem
from ..schemas import AgeBandCode, CaseDetailOut, CasePage, CaseStatusCode, NotifyIn
from . import ERRORS
from ._access import require_any

router = Router(tags=["cases"])
MAX_LIMIT = 200
IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    max_length=MAX_KEY_LENGTH,
    description="Any unique string: a repeat of this request with the same key returns the "
    "first response instead of acting twice.",
)


@router.post("", response={200: CaseDetailOut, 201: CaseDetailOut, **ERRORS},
             summary="Notify a death")  # fmt: skip
def notify_death(request, payload: NotifyIn, idempotency_key: str | None = IDEMPOTENCY_KEY):
    """Create a case from the notification form's answers. 201 for a new case; 200 when
    `client_reference` matches a case already notified (the first case, unchanged)."""

    def work():
        user = request.auth.user
        require_any(user, Permission.NOTIFY_DEATH)
        cdop = _cdop_for(user, payload.cdop)
        reference = payload.client_reference.strip()
        existed = bool(reference) and Case.objects.filter(
            cdop=cdop, client_reference=reference
        ).exists()  # fmt: skip
        try:
            case = actions.notify_death(
                cdop=cdop, answers=payload.answers, by=user, client_reference=reference
            )
        except IntegrityError:
            # The same client_reference was notified at the same moment by another request.
            case = Case.objects.filter(cdop=cdop, client_reference=reference).first()
            if not reference or case is None:
                raise
            existed = True
        case = get_case_for(user, case.reference)
        return (200 if existed else 201), _detail(user, case)

    return run_once(request, idempotency_key, work)


def _cdop_for(user, code):
    own = user.organisation
    if own is not None and own.type == OrganisationType.CDOP:
        if code and code != own.code:
            raise ApiProblem(403, f"You notify deaths to {own.name} ({own.code}) only.")
        return own
    if not code:
        raise ApiProblem(422, "Say which CDOP the death is notified to.", errors=[
            {"form": None, "field": "cdop", "message": "Give the code of the CDOP."}
        ])  # fmt: skip
    cdop = Organisation.objects.filter(code=code, type=OrganisationType.CDOP).first()
    if cdop is None:
        raise ApiProblem(422, "The CDOP is not known.", errors=[
            {"form": None, "field": "cdop", "message": f"No CDOP has the code {code!r}."}
        ])  # fmt: skip
    if not has_permission(user, Permission.VIEW_NATIONAL_DATA):
        raise ApiProblem(403, "Your role does not allow you to notify deaths to that CDOP.")
    return cdop


class CaseFilters(Schema):
    status: CaseStatusCode | None = Field(None, description="Only cases in this status.")
    year: int | None = Field(
        None, ge=1990, le=2200, description="Deaths in the year ending 31 March of this year."
    )
    age_band: AgeBandCode | None = Field(None, description="Only deaths in this age band.")
    updated_since: datetime | None = Field(
        None, description="Only cases changed at or after this time (ISO 8601)."
    )
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Cases per page.")
    offset: int = Field(0, ge=0, le=10**9, description="Cases to skip.")


@router.get("", response={200: CasePage, **ERRORS}, summary="List the cases in your scope")
def list_cases(request, filters: Query[CaseFilters]):
    """Cases oldest change first (then by reference), so that a client can page through and
    then ask only for what changed since its last run with `updated_since`."""
    status, year, age_band = filters.status, filters.year, filters.age_band
    updated_since, limit, offset = filters.updated_since, filters.limit, filters.offset
    user = request.auth.user
    require_any(user, Permission.VIEW_CASES, Permission.COMPLETE_REQUESTED_FORMS)
    cases = cases_for(user)
    if status:
        cases = cases.filter(status=status)
    if age_band:
        cases = cases.filter(age_band=age_band)
    if year:
        cases = cases.filter(
            date_of_death__gte=f"{year - 1}-04-01", date_of_death__lte=f"{year}-03-31"
        )
    if updated_since:
        if timezone.is_naive(updated_since):
            updated_since = updated_since.replace(tzinfo=UTC)
        cases = cases.filter(updated_at__gte=updated_since)
    count = cases.count()
    page = cases.select_related("duplicate_of").order_by("updated_at", "reference")[
        offset : offset + limit
    ]
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": _page_link(request, offset + limit, limit) if offset + limit < count else None,
        "previous": _page_link(request, max(0, offset - limit), limit) if offset else None,
        "results": [present_case(case) for case in page],
    }


def _page_link(request, offset, limit):
    query = request.GET.copy()
    query["offset"], query["limit"] = str(offset), str(limit)
    return f"{request.path}?{urlencode(sorted(query.items()))}"


@router.get("/{reference}", response={200: CaseDetailOut, **ERRORS}, summary="Read a case")
def read_case(
    request,
    reference: str,
    include: str | None = Query(
        None,
        pattern="^identifiers$",
        description="`identifiers` adds the child's direct identifiers (roles that may see "
        "them only; every such read is audited).",
    ),
):
    user = request.auth.user
    require_any(user, Permission.VIEW_CASES, Permission.COMPLETE_REQUESTED_FORMS)
    case = get_case_for(user, reference)
    if include == "identifiers":
        require_any(user, Permission.VIEW_IDENTIFIERS)
        return _detail(user, case, identifiers=actions.view_identifiers(case=case, by=user))
    return _detail(user, case)


def _detail(user, case, identifiers=None):
    forms = [present_submission(s) for s in submissions_for(user, case)]
    detail = CaseDetailOut(**present_case(case), forms=forms, identifiers=identifiers)
    return detail.model_dump(mode="json")
