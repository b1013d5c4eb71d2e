"""Following an e-mailed sign-in link. Opening the link shows a page with one button; only
pressing it (a POST) uses the link, so a mail scanner that opens links does not spend it."""

from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ncmd.registry.actions import ActionRefused

from .. import actions
from ..scoping import LINK_SCOPE


@never_cache
@require_http_methods(["GET", "POST"])
def request_link(request, token):
    link = actions.find_link(token)
    if (
        link is not None
        and request.user.is_authenticated
        and (request.session.get(LINK_SCOPE) == link.request_id and link.user_id == request.user.pk)
    ):
        return _to_form(link)  # already signed in by this link
    problem = actions.link_problem(link)
    if request.method == "POST" and not problem:
        try:
            link, user = actions.sign_in_with_link(token=token)
        except ActionRefused as refusal:
            problem = str(refusal)
        else:
            if request.user.is_authenticated:
                logout(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[LINK_SCOPE] = link.request_id
            return _to_form(link)
    context = {"link": link, "problem": problem, "token": token}
    return render(request, "submissions/request_link.html", context, status=404 if
                  link is None else 200)  # fmt: skip


def _to_form(link):
    request = link.request
    return redirect(
        "fill_agency_form",
        reference=request.case.reference,
        form_name=request.form_name,
        agency_code=request.agency.code,
    )
