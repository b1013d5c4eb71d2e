"""Who may see an import run: the person who ran it, their CDOP's administrators, and national
administrators. Anyone else gets "not found", as for a case outside their scope."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ncmd.registry.models import Role

from ..importer import can_import
from ..models import ImportRun


def runs_for(user):
    runs = ImportRun.objects.select_related("cdop", "by")
    if not can_import(user):
        return runs.none()
    if user.role == Role.NATIONAL_ADMIN:
        return runs
    return runs.filter(by__organisation_id=user.organisation_id)


def require_import(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied("Only CDOP and national administrators can import files.")
        return view(request, *args, **kwargs)

    return wrapped


def load_run(view):
    @require_import
    @wraps(view)
    def wrapped(request, run_id, *args, **kwargs):
        run = runs_for(request.user).filter(pk=run_id).first()
        if run is None:
            raise Http404("No import with that number.")
        return view(request, run, *args, **kwargs)

    return wrapped


def earlier_import(user, run):
    """An earlier finished import of the same content into the same form that `user` may see."""
    return (
        runs_for(user)
        .filter(
            sha256=run.sha256,
            form_name=run.form_name,
            status__in=["imported", "partly_imported"],
            started_at__lt=run.started_at,
        )  # fmt: skip
        .order_by("started_at")
        .first()
    )
