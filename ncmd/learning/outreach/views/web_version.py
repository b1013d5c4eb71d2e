"""The web version of a sent message, and the public archive.

Every sent message has a web version at an address with a random 32-character key, given only
in the e-mail: it can be forwarded, but not guessed. Messages marked public are also listed in
the archive, which anyone can open. Drafts and discarded messages have no web version."""

from django.http import Http404
from django.shortcuts import render

from ..models import Message, MessageStatus
from ..rendering import render_markdown

SENT = [MessageStatus.SENDING, MessageStatus.SENT]


def web_version(request, key):
    message = Message.objects.filter(web_key=key, status__in=SENT).first()
    if message is None:
        raise Http404("There is no message at this address.")
    return render(request, "outreach/web_version.html", {
        "message": message, "html_body": render_markdown(message.body),
    })  # fmt: skip


def archive(request):
    return render(request, "outreach/archive.html", {
        "messages_list": Message.objects.filter(public=True, status__in=SENT).order_by("-sent_at"),
    })  # fmt: skip
