"""The signed-in user's API tokens: create one (its secret is shown once), list them, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ncmd.registry.actions import ActionRefused

from .. import actions
from ..models import ApiToken

EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "1 year"), ("", "Never")]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    errors, created, values = {}, None, {"name": "", "expires": "90"}
    if request.method == "POST":
        values = {"name": request.POST.get("name", "").strip(),
                  "expires": request.POST.get("expires", "")}  # fmt: skip
        if not values["name"]:
            errors["name"] = "Enter a name that says what the token is for."
        elif len(values["name"]) > 100:
            errors["name"] = "The name must be 100 characters or fewer."
        if values["expires"] not in dict(EXPIRY_CHOICES):
            errors["expires"] = "Select when the token expires."
        if not errors:
            days = int(values["expires"]) if values["expires"] else None
            try:
                token, secret = actions.create_api_token(
                    user=request.user, name=values["name"], by=request.user, expires_in_days=days
                )
            except ActionRefused as refusal:
                errors["name"] = str(refusal)
            else:
                created = {"token": token, "secret": secret}
                values = {"name": "", "expires": "90"}
    return render(
        request,
        "submissions_api/tokens.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user),
            "created": created,
            "errors": errors,
            "values": values,
            "expiry_choices": EXPIRY_CHOICES,
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def revoke_token(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    try:
        actions.revoke_api_token(token=token, by=request.user)
    except ActionRefused as refusal:
        messages.info(request, str(refusal))
    else:
        messages.success(request, f"The token “{token.name}” has been revoked.")
    return redirect("api_tokens")
