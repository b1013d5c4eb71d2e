"""A session signed in by a request's e-mailed link opens that request's form and nothing else.

The sign-in link is sent by e-mail, so it proves less than a password: whoever holds it gets the
one form it was sent for. Any other page answers "not found"; the home page leads to the form.
Signing out ends the limit.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from ncmd.registry.models import FormRequest

from .scoping import LINK_SCOPE

_ALWAYS = {"logout", "login", "request_link"}


class RequestLinkScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = request.session.get(LINK_SCOPE) if hasattr(request, "session") else None
        user = getattr(request, "user", None)
        if scope is None or user is None or not user.is_authenticated:
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.url_name in _ALWAYS:
            return self.get_response(request)
        form_request = FormRequest.objects.select_related("case", "agency").filter(pk=scope).first()
        if form_request is None:
            raise Http404("No such page.")
        allowed = {
            "reference": form_request.case.reference,
            "form_name": form_request.form_name,
            "agency_code": form_request.agency.code,
        }
        if match.url_name == "fill_agency_form" and match.kwargs == allowed:
            return self.get_response(request)
        if match.url_name == "home":
            return redirect("fill_agency_form", **allowed)
        raise Http404("This sign-in opens one form only.")
