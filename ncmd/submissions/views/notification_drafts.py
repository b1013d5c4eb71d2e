"""A draft notification's own page: resume it (its identifiers shown again, the reading
audited), save it again, submit it (then it is checked in full and `notify_death` makes the
case), or discard it after a confirmation page. Drafts outside the person's CDOP are "not
found"."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.releases import upgrade_answers
from ncmd.registry import actions
from ncmd.registry.access import cases_for
from ncmd.registry.authorization import Permission
from ncmd.registry.views.decorators import require_permission

from ..scoping import notification_drafts_for
from ..webforms import state_from_answers
from .notify import NotifyPage


def _find_draft(user, pk):
    draft = notification_drafts_for(user).select_related("cdop", "created_by", "updated_by")
    draft = draft.filter(pk=pk).first()
    if draft is None:
        raise Http404("No draft notification with that number.")
    return draft


@require_http_methods(["GET", "POST"])
@require_permission(Permission.NOTIFY_DEATH)
def notification_draft(request, pk):
    page = NotifyPage(request)
    if request.method == "POST" and not page.saving:
        # A repeated post of a draft that its first post submitted: the case that post made.
        earlier = cases_for(request.user).filter(client_reference=page.client_reference).first()
        if earlier is not None:
            return redirect("case_detail", reference=earlier.reference)
    draft = _find_draft(request.user, pk)
    page.chosen = request.POST.get("_cdop", draft.cdop.code)
    if request.method == "POST":
        if page.saving:
            if page.save_draft(draft) is not None:
                messages.success(request, "Draft notification saved. No case has been made yet.")
                return redirect("notification_draft", pk=draft.pk)
        else:
            case = page.notify(actions.submit_notification_draft, draft=draft)
            if case is not None:
                return page.notified(case)
    else:
        identifiers = actions.read_notification_draft_identifiers(draft=draft, by=request.user)
        stored = {**draft.answers, **identifiers}
        if draft.release != page.release.id:
            # Saved under an earlier release: shown with today's questions and codes.
            stored = upgrade_answers(
                get_dictionary(), "notification", stored, draft.release, page.release.id
            )
        page.state = state_from_answers(page.form, stored)
    return page.render("submissions/notification_draft.html", draft=draft)


@require_http_methods(["GET", "POST"])
@require_permission(Permission.NOTIFY_DEATH)
def discard_notification_draft(request, pk):
    draft = _find_draft(request.user, pk)
    if request.method == "POST":
        try:
            actions.discard_notification_draft(draft=draft, by=request.user)
        except actions.ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Draft notification discarded.")
        return redirect("notify_death")
    return render(request, "submissions/discard_notification_draft.html", {"draft": draft})
