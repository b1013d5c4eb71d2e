"""Events for the team: the list, creating and editing one, and its page (registrations,
attendance, materials, invitations and the feedback survey's results)."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .. import actions
from ..forms import EventForm, MaterialForm
from ..models import Event
from ..queries import feedback_summary
from .common import form_page, manage, refused


@manage
def event_list(request):
    now = timezone.now()
    events = Event.objects.select_related("topic")
    return render(request, "outreach/events.html", {
        "upcoming": events.filter(starts_at__gte=now).order_by("starts_at"),
        "past": events.filter(starts_at__lt=now).order_by("-starts_at"),
    })  # fmt: skip


@manage
def event_edit(request, pk=None):
    event = get_object_or_404(Event, pk=pk) if pk else None
    initial = {n: getattr(event, n) for n in actions.EVENT_FIELDS} if event else {}
    if event:
        for name in ("starts_at", "ends_at"):
            initial[name] = timezone.localtime(initial[name]).strftime("%Y-%m-%d %H:%M")
    form = EventForm(request.POST or None, initial=initial or {"topic": request.GET.get("topic")})
    if request.method == "POST" and form.is_valid():
        try:
            event = actions.save_event(by=request.user, event=event, **form.cleaned_data)
        except actions.OutreachRefused as refusal:
            refused(form, refusal)
        else:
            return redirect("outreach_event", pk=event.pk)
    return form_page(request, form, heading=f"Edit {event.title}" if event else "Plan an event",
                     back="/outreach/events/")  # fmt: skip


@manage
def event_detail(request, pk):
    event = get_object_or_404(Event.objects.select_related("topic"), pk=pk)
    return render(request, "outreach/event.html", {
        "event": event,
        "registrations": event.registrations.select_related("contact", "user", "feedback"),
        "materials": event.materials.all(),
        "material_form": MaterialForm(),
        "feedback": feedback_summary(event),
        "started": event.starts_at <= timezone.now(),
    })  # fmt: skip
