"""Loading what an access page works on: a request the user may see (404 otherwise, the same
answer as for a reference that does not exist, so nobody learns of another's request)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from ..models import AccessRequest
from ..policies import may_see


def load_request(view):
    @login_required
    @wraps(view)
    def wrapped(request, reference, *args, **kwargs):
        found = (
            AccessRequest.objects.select_related("applicant").filter(reference=reference).first()
        )
        if found is None or not may_see(request.user, found):
            raise Http404("No such data access request.")
        return view(request, found, *args, **kwargs)

    return wrapped
