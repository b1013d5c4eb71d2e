"""An event as a contact sees it from the personal link in their invitation: register or cancel,
and once registered, the joining details and materials. The feedback survey after the event is
reached by another personal link, one response per attendee."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from .. import actions, tokens
from ..forms import FeedbackForm
from ..models import Contact, Event, FeedbackResponse, Registration


def _problem(request, error):
    return render(request, "outreach/link_problem.html", {"problem": error}, status=400)


@require_http_methods(["GET", "POST"])
def event_link(request, token):
    try:
        payload = tokens.read("event", token)
    except tokens.BadLink as error:
        return _problem(request, error)
    event = get_object_or_404(Event, pk=payload["e"])
    contact = get_object_or_404(Contact, pk=payload["c"])
    actor = actions.ContactActor(contact.pk)
    problem = None
    if request.method == "POST":
        try:
            if request.POST.get("do") == "cancel":
                registration = event.registrations.filter(contact=contact).first()
                if registration is not None:
                    actions.cancel_registration(registration=registration, by=actor)
            else:
                actions.register_for_event(event=event, contact=contact, by=actor)
        except actions.OutreachRefused as refusal:
            problem = str(refusal)
    registration = event.registrations.filter(contact=contact).first()
    return render(request, "outreach/event_link.html", {
        "event": event, "registration": registration, "problem": problem, "token": token,
        "places_left": None if event.capacity is None
        else max(0, event.capacity - event.registrations.count()),
    })  # fmt: skip


def material_by_link(request, token, pk):
    try:
        payload = tokens.read("event", token)
    except tokens.BadLink as error:
        return _problem(request, error)
    if not Registration.objects.filter(event_id=payload["e"], contact_id=payload["c"]).exists():
        raise Http404("Register for the event to see its materials.")
    return material_response(get_object_or_404(
        Event.objects.get(pk=payload["e"]).materials, pk=pk))  # fmt: skip


def material_response(material):
    """A material's file, always as a download (never shown inline, so it cannot run as a page
    of this site), with its checked content type."""
    if not material.file:
        raise Http404("This material is a link.")
    name = material.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=material.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def feedback(request, token):
    try:
        registration_id = tokens.read("feedback", token)["r"]
    except tokens.BadLink as error:
        return _problem(request, error)
    registration = get_object_or_404(Registration.objects.select_related("event"),
                                     pk=registration_id)  # fmt: skip
    if FeedbackResponse.objects.filter(registration=registration).exists():
        return render(request, "outreach/feedback_thanks.html", {"event": registration.event})
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_feedback(registration=registration, **form.cleaned_data)
        except actions.OutreachRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return render(request, "outreach/feedback_thanks.html",
                          {"event": registration.event})  # fmt: skip
    return render(request, "outreach/feedback.html", {"form": form, "event": registration.event})
