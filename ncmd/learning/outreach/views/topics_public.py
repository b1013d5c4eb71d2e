"""Proposing a topic (a public form) and voting on open topics (through a contact's link).

The public form has two defences against abuse: a honeypot field that people do not see and
programs fill in, and a limit of NCMD_OUTREACH_PROPOSALS_PER_HOUR proposals per address an hour,
counted in Django's cache (configure a shared cache with several processes)."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from .. import actions, tokens
from ..forms import TopicForm
from ..models import Contact, TopicProposal
from ..queries import open_topics


def _limit():
    return settings.NCMD_OUTREACH_PROPOSALS_PER_HOUR


def _over_limit(request):
    address = request.META.get("REMOTE_ADDR", "")
    key = "ncmd-outreach-propose:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > _limit()


@require_http_methods(["GET", "POST"])
def propose(request):
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.pop("website"):
            # A program filled in the hidden field: thank it and keep nothing.
            return render(request, "outreach/topic_thanks.html")
        if _over_limit(request):
            form.add_error(None, "Too many proposals have come from your network in the last "
                           "hour. Please try again later.")  # fmt: skip
        else:
            actions.propose_topic(**form.cleaned_data)
            return render(request, "outreach/topic_thanks.html")
    return render(request, "outreach/propose.html", {"form": form}, status=400 if form.errors
                  else 200)  # fmt: skip


@require_http_methods(["GET", "POST"])
def vote(request, token):
    try:
        contact_id = tokens.read("vote", token)["c"]
    except tokens.BadLink as error:
        return render(request, "outreach/link_problem.html", {"problem": error}, status=400)
    contact = get_object_or_404(Contact, pk=contact_id)
    problem = None
    if request.method == "POST":
        topic = get_object_or_404(TopicProposal, pk=request.POST.get("topic") or 0)
        try:
            actions.vote_for_topic(topic=topic, contact=contact)
        except actions.OutreachRefused as refusal:
            problem = str(refusal)
    mine = set(contact.votes.values_list("proposal_id", flat=True))
    return render(request, "outreach/vote.html", {
        "topics": open_topics(), "mine": mine, "problem": problem, "token": token,
    })  # fmt: skip
