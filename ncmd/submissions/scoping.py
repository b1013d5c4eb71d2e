"""Which form a person may open on a case, on top of `ncmd.registry.access`.

A CDOP's people (and national administrators) fill any form of a case in their scope; an agency
reporter only the reporting form requested of their own agency; a person signed in by a request's
e-mailed link only that request's form, whatever their role. Everything else is "not found", as in
the registry, so nobody learns what exists outside their scope.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.registry.access import requests_for, submissions_for
from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.models import Organisation, OrganisationType, Role

LINK_SCOPE = "ncmd_request_link"  # session key: the request a link sign-in is limited to


def link_scope(request):
    return request.session.get(LINK_SCOPE) if hasattr(request, "session") else None


def find_agency(code):
    if code is None:
        return None
    agency = Organisation.objects.filter(code=code, type=OrganisationType.AGENCY).first()
    if agency is None:
        raise Http404("No agency with that code.")
    return agency


def find_submission(user, case, form_name, agency):
    return submissions_for(user, case).filter(form_name=form_name, agency=agency).first()


def find_form(form_name, agency, submission=None):
    """The dictionary form to show: the release a saved form was made under, else the one in force
    today. The notification is not filled here (it is made by notifying a death)."""
    dictionary = get_dictionary()
    if submission is not None:
        release = dictionary.release(submission.release)
    else:
        release = dictionary.release_on(timezone.now().date())
    form = release.forms.get(form_name)
    if form is None or form.per_agency != (agency is not None):
        raise Http404("No such form.")
    return release, form


def check_may_fill(request, case, form, agency):
    """The reporting-form request this page answers (None for forms without one), or 404/403."""
    user = request.user
    form_request = None
    if form.per_agency:
        form_request = (
            requests_for(user).filter(case=case, form_name=form.name, agency=agency).first()
        )
    if user.role == Role.AGENCY_REPORTER:
        allowed = (
            has_permission(user, Permission.COMPLETE_REQUESTED_FORMS)
            and form_request is not None
            and agency.pk == user.organisation_id
        )
        if not allowed:
            raise Http404("No such form.")
    else:
        if not has_permission(user, Permission.EDIT_FORMS):
            raise PermissionDenied(
                f"Your role does not allow you to {Permission.EDIT_FORMS.value}."
            )
        if form.per_agency and form_request is None:
            raise Http404("No reporting form has been requested from that agency for this case.")
    scope = link_scope(request)
    if scope is not None and (form_request is None or form_request.pk != scope):
        raise Http404("No such form.")
    return form_request


def notification_drafts_for(user):
    """The draft notifications `user` may see and finish: their own CDOP's, or every CDOP's for
    the national team (who notify to any CDOP); none for anyone who cannot notify a death."""
    from ncmd.registry.models import NotificationDraft

    drafts = NotificationDraft.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return drafts.none()
    if not has_permission(user, Permission.NOTIFY_DEATH):
        return drafts.none()
    if user.role in (Role.CDOP_ADMIN, Role.CDOP_MEMBER):
        return (
            drafts.filter(cdop_id=user.organisation_id) if user.organisation_id else drafts.none()
        )
    return drafts
