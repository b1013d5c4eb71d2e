"""Topic proposals for the team: every proposal with its votes, opened for votes or declined,
and made into an event."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from .. import actions
from ..forms import TopicDecisionForm
from ..models import TopicProposal
from ..queries import topics_with_votes
from .common import attempt, manage


@manage
def topic_list(request):
    return render(request, "outreach/topics.html", {
        "topics": topics_with_votes(), "decision": TopicDecisionForm(),
    })  # fmt: skip


@require_POST
@manage
def topic_decide(request, pk):
    topic = get_object_or_404(TopicProposal, pk=pk)
    form = TopicDecisionForm(request.POST)
    status = form.data.get("status", "")
    return attempt(
        request,
        actions.decide_topic,
        "Decision recorded.",
        then="outreach_topics",
        topic=topic,
        status=status,
        note=form.data.get("note", ""),
        by=request.user,
    )
