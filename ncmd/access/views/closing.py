"""The researcher declares that every copy of the data was destroyed."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import actions
from .decorators import load_request
from .forms import date, error_for, text


@require_http_methods(["GET", "POST"])
@load_request
def declare_destruction(request, access_request):
    if request.user.pk != access_request.applicant_id:
        raise Http404("Only the applicant declares destruction.")
    errors = []
    if request.method == "POST":
        destroyed_on = date(
            request.POST, "destroyed_on", "the date the data were destroyed", errors, required=True
        )
        if request.POST.get("confirm") != "yes":
            errors.append(("#confirm", "Confirm that every copy of the data was destroyed."))
        if not errors:
            try:
                actions.move_request(
                    request=access_request,
                    transition="declare_destruction",
                    by=request.user,
                    destroyed_on=destroyed_on,
                    declaration=text(request.POST, "declaration"),
                )
            except actions.ActionRefused as refusal:
                errors.append(("#declaration", str(refusal)))
            else:
                messages.success(request, "Thank you: your declaration is recorded.")
                return redirect("access_request", reference=access_request.reference)
    return render(
        request,
        "access/declare.html",
        {
            "access_request": access_request,
            "errors": errors,
            "error_for": error_for(errors),
            "post": request.POST,
        },
    )
