"""A training module as a contact sees it from their personal link: the content, and a button
to record that they have completed it."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from .. import actions, tokens
from ..models import Contact, TrainingModule


@require_http_methods(["GET", "POST"])
def training_link(request, token):
    try:
        payload = tokens.read("training", token)
    except tokens.BadLink as error:
        return render(request, "outreach/link_problem.html", {"problem": error}, status=400)
    module = get_object_or_404(TrainingModule, pk=payload["m"])
    contact = get_object_or_404(Contact, pk=payload["c"])
    problem = None
    if request.method == "POST":
        try:
            actions.record_completion(module=module, contact=contact,
                                      by=actions.ContactActor(contact.pk))  # fmt: skip
        except actions.OutreachRefused as refusal:
            problem = str(refusal)
    return render(request, "outreach/training_link.html", {
        "module": module, "problem": problem,
        "completion": module.completions.filter(contact=contact).first(),
    })  # fmt: skip
