"""Who may use an operation (permissions) and what it may reach (scope), for the API."""

from django.http import Http404
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.registry.access import requests_for
from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.models import Organisation, OrganisationType

from ..problems import ApiProblem


def require_any(user, *permissions):
    if not any(has_permission(user, p) for p in permissions):
        raise ApiProblem(403, f"Your role does not allow you to {permissions[0].value}.")


def form_in_force(form_name):
    """The form named `form_name` in the release in force today, or 404."""
    release = get_dictionary().release_on(timezone.localdate())
    if form_name not in release.forms:
        raise Http404(
            f"There is no form named {form_name!r}; the forms are {', '.join(release.forms)}."
        )
    return release.form(form_name)


def agency_named(code, form):
    agency = Organisation.objects.filter(code=code, type=OrganisationType.AGENCY).first()
    if agency is None:
        raise ApiProblem(422, "The agency is not known.", errors=[
            {"form": form.name, "field": "agency", "message": f"No agency has the code {code!r}."}
        ])  # fmt: skip
    return agency


def agency_for_filling(user, case, form, code):
    """The agency `user` fills `form` for (None for a once-per-case form), after checking that
    they may fill it in for this case."""
    if has_permission(user, Permission.EDIT_FORMS):
        if not form.per_agency:
            if code:
                raise ApiProblem(422, "This form is not completed per agency.", errors=[
                    {"form": form.name, "field": "agency",
                     "message": f"The {form.title} is completed once per case; leave out agency."}
                ])  # fmt: skip
            return None
        if not code:
            raise ApiProblem(422, "Name the agency this form is for.", errors=[
                {"form": form.name, "field": "agency",
                 "message": f"The {form.title} is completed per agency: give the agency's code."}
            ])  # fmt: skip
        return agency_named(code, form)
    if has_permission(user, Permission.COMPLETE_REQUESTED_FORMS):
        own = user.organisation
        if code and code != own.code:
            raise ApiProblem(403, f"You report for {own.name} ({own.code}) only.")
        asked = requests_for(user).filter(case=case, form_name=form.name).exists()
        if not form.per_agency or not asked:
            raise ApiProblem(
                403,
                f"{own.name} has not been asked for the {form.title} for this case; you can "
                "complete only the forms requested of your agency.",
            )
        return own
    raise ApiProblem(403, f"Your role does not allow you to {Permission.EDIT_FORMS.value}.")
