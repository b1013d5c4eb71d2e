"""`Authorization: Bearer <token>`: find the token, refuse it when revoked or expired or its user
is inactive, count it against the rate limit, and act as its user."""

from ninja.security import HttpBearer

from .problems import ApiProblem
from .ratelimit import check_rate
from .tokens import find_token, mark_used


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if _holds_nul(request):
            # PostgreSQL cannot compare text holding NUL; no real address or parameter has one.
            raise ApiProblem(400, "The address or its parameters hold a NUL character.")
        found = find_token(token)
        if found is None:
            return None
        check_rate(found)
        mark_used(found)
        request.user = found.user
        request.api_token = found
        return found


def _holds_nul(request):
    values = [request.path] + [v for _, vs in request.GET.lists() for v in vs]
    return any("\x00" in value for value in values)
