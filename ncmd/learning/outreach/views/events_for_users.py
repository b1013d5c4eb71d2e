"""Events and training for anyone signed in: register for an upcoming event, download the
materials of events they registered for, and record completing a training module."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ncmd.registry.authorization import Permission, has_permission

from .. import actions
from ..models import Event as EventModel
from ..models import EventMaterial, EventStatus, Registration, TrainingModule
from .common import attempt
from .event_link import material_response


@login_required
def my_learning(request):
    user = request.user
    events = EventModel.objects.filter(
        status=EventStatus.SCHEDULED, starts_at__gte=timezone.now()
    ).order_by("starts_at")
    registered = set(Registration.objects.filter(user=user).values_list("event_id", flat=True))
    return render(request, "outreach/my_learning.html", {
        "events": events, "registered": registered,
        "past": EventModel.objects.filter(pk__in=registered, starts_at__lt=timezone.now()),
        "modules": TrainingModule.objects.filter(active=True),
        "completed": set(user_completions(user)),
    })  # fmt: skip


def user_completions(user):
    from ..models import Completion

    return Completion.objects.filter(user=user).values_list("module_id", flat=True)


@require_POST
@login_required
def my_registration(request, pk):
    event = get_object_or_404(EventModel, pk=pk)
    if request.POST.get("do") == "cancel":
        registration = get_object_or_404(Registration, event=event, user=request.user)
        return attempt(
            request,
            actions.cancel_registration,
            "Your place is cancelled.",
            then="outreach_mine",
            registration=registration,
            by=request.user,
        )
    return attempt(
        request,
        actions.register_for_event,
        f"You are registered for {event.title}.",
        then="outreach_mine",
        event=event,
        user=request.user,
        by=request.user,
    )


@require_POST
@login_required
def my_completion(request, pk):
    module = get_object_or_404(TrainingModule, pk=pk, active=True)
    return attempt(
        request,
        actions.record_completion,
        f"Recorded: you completed {module.title}.",
        then="outreach_mine",
        module=module,
        user=request.user,
        by=request.user,
    )


@login_required
def material_download(request, pk, material_pk):
    material = get_object_or_404(EventMaterial, pk=material_pk, event_id=pk)
    manager = has_permission(request.user, Permission.MANAGE_LEARNING)
    if not manager and not Registration.objects.filter(event_id=pk, user=request.user).exists():
        raise Http404("Register for the event to see its materials.")
    if material.url:
        return redirect(material.url)
    return material_response(material)
