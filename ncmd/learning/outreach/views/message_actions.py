"""The buttons on a message: send, try failed deliveries again, discard, copy."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .. import actions
from ..models import Message
from .common import attempt, manage


def _sent(result):
    sent, failed = result
    if failed:
        return (f"Sent to {sent} recipients; {failed} failed. Try the failed ones again from "
                "the send history.")  # fmt: skip
    return f"Sent to {sent} recipients."


@require_POST
@manage
def message_action(request, pk, verb):
    message = get_object_or_404(Message, pk=pk)
    then = f"/outreach/messages/{pk}/"
    if verb == "send":
        return attempt(request, actions.send_message, _sent, then=then, message=message,
                       by=request.user)  # fmt: skip
    if verb == "retry":
        return attempt(request, actions.retry_failed, _sent, then=then, message=message,
                       by=request.user)  # fmt: skip
    if verb == "discard":
        return attempt(
            request,
            actions.discard_message,
            "The draft was discarded.",
            then="/outreach/messages/",
            message=message,
            by=request.user,
        )
    copy = actions.copy_message(message=message, by=request.user)
    return attempt(request, lambda: copy, "Copied into a new draft.",
                   then=f"/outreach/messages/{copy.pk}/edit/")  # fmt: skip
