"""Notify a death: the notification form, rendered from the dictionary, sent to
`actions.notify_death`. A CDOP's people notify to their own CDOP; the national team chooses one."""

import re
import secrets

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.validation import Problem
from ncmd.registry import actions
from ncmd.registry.authorization import Permission
from ncmd.registry.models import DuplicateStatus, Organisation, OrganisationType
from ncmd.registry.views.decorators import require_permission

from ..webforms import page_context, raw_answers, state_from_post

_ONCE = re.compile(r"^[A-Za-z0-9_-]{16,40}$")


@require_http_methods(["GET", "POST"])
@require_permission(Permission.NOTIFY_DEATH)
def notify_death(request):
    user = request.user
    release = get_dictionary().release_on(timezone.now().date())
    form = release.form("notification")
    own = user.organisation if user.organisation_id else None
    cdops = None if own and own.type == OrganisationType.CDOP else _all_cdops()
    # A token per filled-in page makes a repeated post (a double click, a resent form) return
    # the case the first post made instead of notifying the death twice.
    once = request.POST.get("_once", "")
    once = once if _ONCE.match(once) else secrets.token_urlsafe(18)
    state, problems, contradictory, page_errors = {}, [], [], []
    chosen = request.POST.get("_cdop", "")
    if request.method == "POST":
        state = state_from_post(form, request.POST)
        raw, contradictory = raw_answers(form, state)
        cdop = own if cdops is None else cdops.filter(code=chosen).first()
        if cdop is None:
            page_errors.append(("#f-cdop", "Select the CDOP the death is notified to."))
        else:
            try:
                case = actions.notify_death(
                    cdop=cdop, answers=raw, by=user, client_reference=f"web:{once}"
                )
            except actions.InvalidAnswers as invalid:
                problems = invalid.problems
            except actions.ActionRefused as refusal:
                problems = [Problem(form.name, None, str(refusal))]
            else:
                if case.duplicate_status == DuplicateStatus.POSSIBLE:
                    messages.warning(
                        request,
                        f"Death notified as case {case.reference}. It may be a duplicate of "
                        f"case {case.duplicate_of.reference}: check before going on.",
                    )
                else:
                    messages.success(request, f"Death notified as case {case.reference}.")
                return redirect("case_detail", reference=case.reference)
    context = page_context(form, state, problems, contradictory, page_errors=page_errors)
    context.update(
        release=release,
        title="Notify a death",
        caption=own.name if cdops is None else "National team",
        cdops=cdops,
        chosen_cdop=chosen,
        cdop_error=page_errors[0][1] if page_errors else "",
        once=once,
    )
    return render(request, "submissions/notify.html", context)


def _all_cdops():
    return Organisation.objects.filter(type=OrganisationType.CDOP).order_by("name")
