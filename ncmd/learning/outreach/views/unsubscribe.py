"""Unsubscribing from the link in an e-mail, without signing in.

Opening the link shows one button (a GET must change nothing: mail scanners open links). The mail
program's one-click unsubscribe of RFC 8058 POSTs "List-Unsubscribe=One-Click" to the same address
and unsubscribes at once. The link names only the contact's number, signed, so it shows nothing
about anyone else."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt

from ncmd.learning.audiences import Audience

from .. import actions, tokens
from ..models import Contact


@csrf_exempt  # RFC 8058: the mail program posts without a form from us; the token authorises
def unsubscribe(request, token):
    try:
        payload = tokens.read("unsubscribe", token)
    except tokens.BadLink as error:
        return render(request, "outreach/link_problem.html", {"problem": error}, status=400)
    contact = get_object_or_404(Contact, pk=payload["c"])
    actor = actions.ContactActor(contact.pk)
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        actions.unsubscribe(contact=contact, by=actor, via="one-click")
        return HttpResponse("Unsubscribed.", content_type="text/plain")
    labels = dict(Audience.choices)
    audiences = [(a, labels[a]) for a in payload.get("a", []) if a in labels]
    done = None
    if request.method == "POST":
        if request.POST.get("scope") == "audiences" and audiences:
            actions.unsubscribe(contact=contact, by=actor, via="link",
                                audiences=[a for a, _ in audiences])  # fmt: skip
            done = "audiences"
        else:
            actions.unsubscribe(contact=contact, by=actor, via="link")
            done = "all"
    return render(request, "outreach/unsubscribe.html", {
        "audiences": audiences, "done": done, "already": contact.unsubscribed_at is not None,
    })  # fmt: skip
