"""Releases in the portal: every release with its status, and the lifecycle's moves (publish a
built release; withdraw or delete, national administrators only)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.views.decorators import require_permission

from .. import actions, lifecycle
from ..models import Release, ReleaseStatus

MOVES = {
    "publish": (ReleaseStatus.PUBLISHED, actions.publish_release),
    "withdraw": (ReleaseStatus.WITHDRAWN, actions.withdraw_release),
    "delete": (ReleaseStatus.DELETED, actions.delete_release),
}


@require_permission(Permission.PUBLISH_ANALYSES)
def release_list(request):
    releases = Release.objects.select_related("snapshot")
    return render(request, "publishing/release_list.html", {"releases": releases})


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PUBLISH_ANALYSES)
def release_detail(request, identifier):
    release = get_object_or_404(Release, identifier=identifier)
    error = None
    if request.method == "POST":
        move = request.POST.get("move")
        reason = request.POST.get("reason", "")
        if move not in MOVES:
            error = "Choose what to do with the release."
        else:
            target, action = MOVES[move]
            kwargs = {"reason": reason} if move != "publish" else {}
            try:
                action(release=release, by=request.user, **kwargs)
            except actions.PublishingRefused as refused:
                error = str(refused)
            else:
                messages.success(
                    request, f"Release {release.identifier}: {ReleaseStatus(target).label.lower()}."
                )
                return redirect("publishing_release", identifier=release.identifier)
    possible = [
        (name, target)
        for name, (target, _) in MOVES.items()
        if (move := lifecycle.transition(release.status, target))
        and has_permission(request.user, move.permission)
    ]
    return render(
        request,
        "publishing/release_detail.html",
        {
            "release": release,
            "files": release.files.all(),
            "moves": possible,
            "error": error,
            "needs_reason": any(name != "publish" for name, _ in possible),
        },
        status=400 if error else 200,
    )
