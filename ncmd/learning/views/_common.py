"""What every learning page shares: the permission decorators and the form page."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ncmd.registry.authorization import Permission
from ncmd.registry.views.decorators import require_permission

from .. import policies

programme_required = require_permission(Permission.MANAGE_LEARNING)


def learning_required(view):
    """The programme, national readers and organisations' contacts."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not policies.may_use_learning(request.user):
            raise PermissionDenied(
                "Learning pages are for the programme, national roles and the contacts of "
                "organisations that recommendations are addressed to."
            )
        return view(request, *args, **kwargs)

    return wrapped


def form_page(request, form, *, heading, button, caption="", intro="", multipart=False,
              files=False, status=200, extra_errors=()):  # fmt: skip
    errors = list(extra_errors) + (form.error_list() if form.is_bound else [])
    return render(request, "learning/_form_page.html", {
        "form": form, "heading": heading, "button": button, "caption": caption, "intro": intro,
        "multipart": multipart or files, "files": files, "errors": errors,
        "max_mb": settings.NCMD_LEARNING_UPLOAD_MAX_BYTES // 1_048_576,
    }, status=400 if errors else status)  # fmt: skip
