"""Safe people: a researcher registers (an account that cannot sign in yet), keeps their
details current, and a reviewer approves or declines them."""

from django.contrib import messages
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ncmd.registry.authorization import Permission
from ncmd.registry.models import User
from ncmd.registry.views.decorators import require_permission

from .. import actions
from ..models import ResearcherProfile, ResearcherStatus
from .forms import date, error_for, text

_DETAILS = ("institution", "job_title", "training_certificate")


def _details(post, errors):
    values = {name: text(post, name) for name in _DETAILS}
    if not values["institution"]:
        errors.append(("#institution", "Enter the university or organisation you work for."))
    if not values["training_certificate"]:
        errors.append(
            ("#training_certificate", "Enter your safe researcher training course and certificate.")
        )
    values["training_completed_on"] = date(
        post,
        "training_completed_on",
        "the date you completed the training",
        errors,
        required=True,
    )
    return values


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("access_home")
    errors, post = [], request.POST
    if request.method == "POST":
        first, last, email = text(post, "first_name"), text(post, "last_name"), text(post, "email")
        if not first or not last:
            errors.append(("#first_name", "Enter your first name and last name."))
        elif len(first) > 150 or len(last) > 150:
            errors.append(("#first_name", "Your names are too long: at most 150 characters."))
        if len(email) > 150:
            errors.append(("#email", "The e-mail address is too long: at most 150 characters."))
        try:
            validate_email(email)
        except ValidationError:
            errors.append(("#email", "Enter your e-mail address, like name@university.ac.uk."))
        else:
            if User.objects.filter(username__iexact=email).exists():
                errors.append(
                    (
                        "#email",
                        "An account with this e-mail address already exists: "
                        "sign in, or ask the reviewers to reset it.",
                    )
                )
        details = _details(post, errors)
        password = post.get("password", "")
        if password != post.get("password_again", ""):
            errors.append(("#password", "The two passwords are different."))
        else:
            try:
                validate_password(
                    password, User(username=email, email=email, first_name=first, last_name=last)
                )
            except ValidationError as error:
                errors += [("#password", message) for message in error.messages]
        if not errors:
            try:
                actions.register_researcher(
                    username=email,
                    email=email,
                    password=password,
                    first_name=first,
                    last_name=last,
                    **details,
                )
            except actions.ActionRefused as refusal:
                errors.append(("", str(refusal)))
            else:
                return render(request, "access/registered.html", {"email": email})
    return render(
        request,
        "access/register.html",
        {"errors": errors, "error_for": error_for(errors), "post": post},
    )


@require_http_methods(["GET", "POST"])
@require_permission(Permission.APPLY_FOR_DATA)
def researcher_details(request):
    profile = ResearcherProfile.objects.filter(user=request.user).first()
    errors = []
    if request.method == "POST":
        details = _details(request.POST, errors)
        if not errors:
            try:
                actions.save_researcher_details(user=request.user, by=request.user, **details)
            except actions.ActionRefused as refusal:
                errors.append(("#training_completed_on", str(refusal)))
            else:
                messages.success(
                    request,
                    "Your details are saved. A reviewer approves them "
                    "before you can submit an application.",
                )
                return redirect("access_home")
    values = (
        request.POST
        if request.method == "POST"
        else {
            "institution": profile.institution if profile else "",
            "job_title": profile.job_title if profile else "",
            "training_certificate": profile.training_certificate if profile else "",
            "training_completed_on": profile.training_completed_on.isoformat() if profile else "",
        }
    )
    return render(
        request,
        "access/researcher_details.html",
        {
            "profile": profile,
            "errors": errors,
            "error_for": error_for(errors),
            "post": values,
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(Permission.REVIEW_DATA_ACCESS)
def researchers(request):
    errors = []
    if request.method == "POST":
        profile = get_object_or_404(ResearcherProfile, pk=request.POST.get("profile"))
        approve = request.POST.get("decision") == "approve"
        try:
            actions.decide_researcher(
                profile=profile,
                approve=approve,
                note=text(request.POST, f"note-{profile.pk}"),
                by=request.user,
            )
        except actions.ActionRefused as refusal:
            errors.append((f"#note-{profile.pk}", str(refusal)))
        else:
            name = profile.user.get_full_name() or profile.user.username
            messages.success(request, f"{name} {'approved' if approve else 'declined'}.")
            return redirect("access_researchers")
    profiles = ResearcherProfile.objects.select_related("user")
    return render(
        request,
        "access/researchers.html",
        {
            "pending": profiles.filter(status=ResearcherStatus.PENDING).order_by("registered_at"),
            "decided": profiles.exclude(status=ResearcherStatus.PENDING).order_by("-decided_at")[
                :50
            ],
            "errors": errors,
            "error_for": error_for(errors),
        },
    )
