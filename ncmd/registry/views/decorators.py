"""Decorators that load what a view works on and check who may see it, so that each view is only
its own action and template."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from ..access import get_case_for
from ..authorization import has_permission


def require_permission(permission):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_permission(request.user, permission):
                raise PermissionDenied(f"Your role does not allow you to {permission.value}.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def load_case(view):
    """Replace the `reference` URL argument by the case, or 404 when it is outside the user's
    scope (the same answer as for a reference that does not exist)."""

    @login_required
    @wraps(view)
    def wrapped(request, reference, *args, **kwargs):
        return view(request, get_case_for(request.user, reference), *args, **kwargs)

    return wrapped
