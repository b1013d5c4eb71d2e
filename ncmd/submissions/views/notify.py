"""Notify a death: the notification form, rendered from the dictionary, sent to
`actions.notify_death`. A CDOP's people notify to their own CDOP; the national team chooses one.

"Save as draft" keeps an unfinished notification, before any case exists
(`actions.save_notification_draft`); the page lists the drafts of the person's CDOP, each resumed
on its own page (`notification_drafts.py`)."""

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

from ..scoping import notification_drafts_for
from ..webforms import page_context, raw_answers, state_from_post

_ONCE = re.compile(r"^[A-Za-z0-9_-]{16,40}$")


@require_http_methods(["GET", "POST"])
@require_permission(Permission.NOTIFY_DEATH)
def notify_death(request):
    page = NotifyPage(request)
    if request.method == "POST":
        if page.saving:
            draft = page.save_draft(None)
            if draft is not None:
                messages.success(
                    request,
                    "Draft notification saved. No case has been made yet: find the draft under "
                    "'Saved drafts' on the Notify a death page to finish it.",
                )
                return redirect("notification_draft", pk=draft.pk)
        else:
            case = page.notify(actions.notify_death)
            if case is not None:
                return page.notified(case)
    drafts = notification_drafts_for(request.user).select_related("cdop", "updated_by")
    return page.render(drafts=list(drafts[:50]), drafts_total=drafts.count())


class NotifyPage:
    """What the notify page and a draft's page share: the form in force today, the CDOP the
    death goes to (the person's own, or one the national team chooses), the answers posted,
    and the token that makes a repeated post return the case the first one made."""

    def __init__(self, request, chosen=""):
        self.request = request
        self.user = request.user
        self.release = get_dictionary().release_on(timezone.now().date())
        self.form = self.release.form("notification")
        own = self.user.organisation if self.user.organisation_id else None
        self.own = own if own and own.type == OrganisationType.CDOP else None
        self.cdops = None if self.own else _all_cdops()
        once = request.POST.get("_once", "")
        self.once = once if _ONCE.match(once) else secrets.token_urlsafe(18)
        self.chosen = request.POST.get("_cdop", chosen)
        self.saving = request.POST.get("_action") == "save"
        self.state, self.problems, self.contradictory, self.page_errors = {}, [], [], []
        if request.method == "POST":
            self.state = state_from_post(self.form, request.POST)

    @property
    def client_reference(self):
        return f"web:{self.once}"

    def cdop(self):
        cdop = self.own if self.cdops is None else self.cdops.filter(code=self.chosen).first()
        if cdop is None:
            self.page_errors.append(("#f-cdop", "Select the CDOP the death is notified to."))
        return cdop

    def notify(self, act, **kwargs):
        """Call `act` (notify_death, or submitting a draft) with the posted answers; the case,
        or None with the problems kept for the page."""
        raw, self.contradictory = raw_answers(self.form, self.state)
        cdop = self.cdop()
        if cdop is None:
            return None
        return self._run(act, cdop=cdop, answers=raw, by=self.user,
                         client_reference=self.client_reference, **kwargs)  # fmt: skip

    def save_draft(self, draft):
        raw, self.contradictory = raw_answers(self.form, self.state)
        cdop = self.cdop()
        if cdop is None:
            return None
        return self._run(
            actions.save_notification_draft, cdop=cdop, answers=raw, by=self.user, draft=draft
        )

    def _run(self, act, **kwargs):
        try:
            return act(**kwargs)
        except actions.InvalidAnswers as invalid:
            self.problems = invalid.problems
        except actions.ActionRefused as refusal:
            self.problems = [Problem(self.form.name, None, str(refusal))]
        return None

    def notified(self, case):
        if case.duplicate_status == DuplicateStatus.POSSIBLE:
            messages.warning(
                self.request,
                f"Death notified as case {case.reference}. It may be a duplicate of "
                f"case {case.duplicate_of.reference}: check before going on.",
            )
        else:
            messages.success(self.request, f"Death notified as case {case.reference}.")
        return redirect("case_detail", reference=case.reference)

    def render(self, template="submissions/notify.html", **extra):
        context = page_context(
            self.form, self.state, self.problems, self.contradictory, page_errors=self.page_errors
        )
        context.update(
            release=self.release,
            title="Notify a death",
            caption=self.own.name if self.cdops is None else "National team",
            cdops=self.cdops,
            chosen_cdop=self.chosen,
            cdop_error=self.page_errors[0][1] if self.page_errors else "",
            once=self.once,
            **extra,
        )
        return render(self.request, template, context)


def _all_cdops():
    return Organisation.objects.filter(type=OrganisationType.CDOP).order_by("name")
