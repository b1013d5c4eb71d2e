"""The buttons on an event's page: invitations, held or cancelled, attendance, the feedback
survey, materials, and registering a contact on their behalf."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .. import actions
from ..forms import MaterialForm
from ..models import Contact, Event, EventMaterial, EventStatus
from .common import attempt, manage


def _counted(what):
    def say(result):
        sent, failed = result
        return f"{what} sent to {sent} people" + (f"; {failed} failed." if failed else ".")

    return say


@require_POST
@manage
def event_action(request, pk, verb):
    event = get_object_or_404(Event, pk=pk)
    then = f"/outreach/events/{pk}/"
    by = request.user
    if verb == "invite":
        return attempt(request, actions.send_invitations, _counted("Invitations"), then=then,
                       event=event, by=by)  # fmt: skip
    if verb == "held":
        return attempt(request, actions.move_event, "Marked as held: record attendance next.",
                       then=then, event=event, status=EventStatus.HELD, by=by)  # fmt: skip
    if verb == "cancel":
        return attempt(request, actions.move_event, "The event is cancelled.", then=then,
                       event=event, status=EventStatus.CANCELLED, by=by)  # fmt: skip
    if verb == "feedback":
        return attempt(request, actions.request_feedback, _counted("The feedback survey"),
                       then=then, event=event, by=by)  # fmt: skip
    if verb == "attendance":
        present = event.registrations.filter(pk__in=request.POST.getlist("attended"))
        return attempt(
            request,
            actions.record_attendance,
            lambda n: f"Attendance recorded: {n} attended.",
            then=then,
            event=event,
            attended=list(present),
            by=by,
        )
    if verb == "register":
        email = request.POST.get("email", "").strip().lower()
        contact = Contact.objects.filter(email=email).first()
        if contact is None:
            messages.error(request, f"No contact has the e-mail address {email or '(empty)'}: "
                           "add them as a contact first.")  # fmt: skip
            return redirect(then)
        return attempt(request, actions.register_for_event, f"{contact.name} is registered.",
                       then=then, event=event, contact=contact, by=by)  # fmt: skip
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Materials: " + " ".join(
            f"{form.fields[n].label or n}: {' '.join(e)}" if n != "__all__" else " ".join(e)
            for n, e in form.errors.items()))  # fmt: skip
        return redirect(then)
    return attempt(request, actions.add_material, "Material added.", then=then, event=event,
                   title=form.cleaned_data["title"], url=form.cleaned_data["url"],
                   upload=form.cleaned_data["file"], by=by)  # fmt: skip


@require_POST
@manage
def material_remove(request, pk, material_pk):
    material = get_object_or_404(EventMaterial, pk=material_pk, event_id=pk)
    return attempt(
        request,
        actions.remove_material,
        "Material removed.",
        then=f"/outreach/events/{pk}/",
        material=material,
        by=request.user,
    )
