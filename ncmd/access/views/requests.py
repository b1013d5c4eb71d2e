"""The researcher's requests and the reviewers' queue, starting a request, and one request's
page: its status, what is asked of the applicant, its versions, history, extracts and outputs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.views.decorators import require_permission

from .. import actions, lifecycle, policies
from ..catalogue import COARSENING_LABELS, catalogue
from ..models import AccessRequest, RequestStatus, ResearcherProfile, ResearcherStatus, Safe
from .decorators import load_request
from .forms import text

S = RequestStatus
QUEUE = [S.SUBMITTED, S.UNDER_REVIEW, S.MORE_INFORMATION, S.APPROVED]


@login_required
def access_home(request):
    user = request.user
    if policies.is_reviewer(user):
        requests = AccessRequest.objects.select_related("applicant").order_by("updated_at")
        return render(
            request,
            "access/queue.html",
            {
                "waiting": [r for r in requests if r.status in QUEUE],
                "others": [r for r in requests.order_by("-updated_at") if r.status not in QUEUE][
                    :100
                ],
                "pending_researchers": ResearcherProfile.objects.filter(
                    status=ResearcherStatus.PENDING
                ).count(),
            },
        )
    if not has_permission(user, Permission.APPLY_FOR_DATA):
        raise PermissionDenied(
            f"Your role does not allow you to {Permission.APPLY_FOR_DATA.value}."
        )
    return render(
        request,
        "access/my_requests.html",
        {
            "requests": AccessRequest.objects.filter(applicant=user),
            "profile": ResearcherProfile.objects.filter(user=user).first(),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(Permission.APPLY_FOR_DATA)
def new_request(request):
    errors = []
    if request.method == "POST":
        try:
            created = actions.create_request(title=text(request.POST, "title"), by=request.user)
        except actions.ActionRefused as refusal:
            errors.append(("#title", str(refusal)))
        else:
            return redirect("access_edit", reference=created.reference)
    return render(request, "access/new_request.html", {"errors": errors})


def version_rows(version):
    """A version's requested fields, for the pages that show it."""
    items = catalogue()
    rows = []
    for entry in version.fields:
        item = items.get(entry["field"])
        rows.append(
            {
                "name": entry["field"],
                "item": item,
                "reason": entry.get("reason", ""),
                "coarsening": COARSENING_LABELS.get(entry.get("coarsening"), ""),
                "approved": COARSENING_LABELS.get(version.approved_fields.get(entry["field"]), ""),
            }
        )
    return rows


@load_request
def request_detail(request, access_request):
    user = request.user
    version = access_request.current
    role = "reviewer" if policies.is_reviewer(user) else "applicant"
    status = RequestStatus(access_request.status)
    moves = [t for t in lifecycle.allowed(status) if role in t.who]
    simple = [
        t
        for t in moves
        if t.name
        in (
            "submit",
            "withdraw",
            "start_review",
            "request_information",
            "respond",
            "refuse",
            "refuse_change",
            "close",
            "submit_change",
        )
    ]
    asked = access_request.history.filter(transition="request_information").last()
    assessments = {a.safe: a for a in version.assessments.all()}
    extracts = list(access_request.extracts.all())
    for extract in extracts:
        extract.downloadable = policies.may_download(user, extract)[0]
    return render(
        request,
        "access/request.html",
        {
            "access_request": access_request,
            "version": version,
            "role": role,
            "versions": access_request.versions.order_by("-number"),
            "rows": version_rows(version),
            "problems": policies.application_problems(version),
            "researcher_problem": policies.researcher_problem(access_request.applicant),
            "editable": actions.editable_version(access_request) == version and role == "applicant",
            "moves": simple,
            "can_decide": any(t.name in ("approve", "approve_extension", "refuse") for t in moves),
            "next_step": lifecycle.APPLICANT_NEXT[status],
            "asked": asked,
            "history": access_request.history.all(),
            "assessment_rows": [(label, assessments.get(value)) for value, label in Safe.choices],
            "has_assessments": bool(assessments),
            "extracts": extracts,
            "outputs": access_request.outputs.all(),
            "holds_data": policies.holds_data(access_request),
            "can_change": role == "applicant"
            and status == S.DATA_RELEASED
            and version.submitted_at is not None,
            "can_declare": role == "applicant"
            and "declare_destruction" in [t.name for t in moves]
            and access_request.extracts.filter(released_at__isnull=False).exists(),
            "profile": ResearcherProfile.objects.filter(user=access_request.applicant).first(),
        },
    )


@load_request
def version_detail(request, access_request, number):
    version = access_request.versions.filter(number=number).first()
    if version is None:
        from django.http import Http404

        raise Http404("No such version.")
    return render(
        request,
        "access/version.html",
        {
            "access_request": access_request,
            "version": version,
            "rows": version_rows(version),
            "assessments": version.assessments.all(),
        },
    )


@require_http_methods(["POST"])
@load_request
def move(request, access_request, transition):
    try:
        actions.move_request(
            request=access_request,
            transition=transition,
            by=request.user,
            note=text(request.POST, "note"),
        )
    except actions.ActionRefused as refusal:
        step = lifecycle.BY_NAME.get(transition)
        messages.error(request, f"{step.label if step else 'That'}: not done. {refusal}")
    else:
        step = lifecycle.BY_NAME[transition]
        messages.success(
            request,
            f"Done: {step.label.lower()}. The request is now "
            f"{RequestStatus(step.target).label.lower()}.",
        )
    return redirect("access_request", reference=access_request.reference)


@require_http_methods(["POST"])
@load_request
def start_change(request, access_request):
    try:
        actions.start_change(
            request=access_request, kind=request.POST.get("kind", ""), by=request.user
        )
    except (actions.ActionRefused, ValueError) as refusal:
        messages.error(
            request,
            str(refusal)
            if isinstance(refusal, actions.ActionRefused)
            else "Choose an amendment or an extension.",
        )
        return redirect("access_request", reference=access_request.reference)
    return redirect("access_edit", reference=access_request.reference)
