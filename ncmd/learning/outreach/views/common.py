"""What every outreach page shares: who may manage, and turning refusals into messages."""

from django.contrib import messages
from django.shortcuts import redirect, render

from ncmd.registry.authorization import Permission
from ncmd.registry.views.decorators import require_permission

from ..actions import OutreachRefused

manage = require_permission(Permission.MANAGE_LEARNING)


def attempt(request, action, success, *, then, **kwargs):
    """Run an action from a button: say what happened (or why not) and go to `then`."""
    try:
        result = action(**kwargs)
    except OutreachRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(then)


def form_page(request, form, *, heading, intro="", button="Save", back="", multipart=False):
    return render(request, "outreach/_form_page.html", {
        "form": form, "heading": heading, "intro": intro, "button": button, "back": back,
        "multipart": multipart,
    })  # fmt: skip


def refused(form, refusal):
    """Show an action's refusal in the form's error summary."""
    form.add_error(None, str(refusal))
