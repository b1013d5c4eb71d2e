"""Errors as RFC 9457 problem details (`application/problem+json`).

Every refusal the API gives has the same shape: a `type` URI, a short `title`, the HTTP `status`,
a `detail` saying what to do next, and for invalid answers one entry per problem in `errors`
(form, field, message), exactly as the dictionary's validator reported them. No stack trace,
exception text or SQL ever reaches a client.
"""

import json
import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ncmd.registry.actions import ActionRefused, InvalidAnswers

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://ncmd.example/problems/"
logger = logging.getLogger("ncmd.api")

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    409: "Not allowed now",
    422: "Invalid request",
    429: "Too many requests",
    500: "Server error",
}
_TYPES = {
    400: "bad-request",
    401: "not-authenticated",
    403: "forbidden",
    404: "not-found",
    409: "conflict",
    422: "invalid",
    429: "rate-limited",
    500: "server-error",
}


class ApiProblem(Exception):
    """Raise to answer with a problem: `errors` is a list of (form, field, message) dicts."""

    def __init__(self, status, detail, *, errors=None, title=None, kind=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.title = title or TITLES[status]
        self.kind = kind or _TYPES[status]
        self.headers = headers or {}


class RateLimited(ApiProblem):
    def __init__(self, retry_after, limit):
        super().__init__(
            429,
            f"This token has made more than {limit} requests in a minute. "
            f"Wait {retry_after} seconds and try again.",
            headers={"Retry-After": str(retry_after)},
        )


def body(status, detail, *, errors=(), title=None, kind=None):
    return {
        "type": TYPE_BASE + (kind or _TYPES[status]),
        "title": title or TITLES[status],
        "status": status,
        "detail": detail,
        "errors": list(errors),
    }


def response(status, payload, headers=None):
    answer = HttpResponse(json.dumps(payload), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        answer[name] = value
    return answer


def from_exception(exc):
    """(status, problem body, headers) for an exception the API knows how to explain, or None."""
    if isinstance(exc, ApiProblem):
        return exc.status, body(exc.status, exc.detail, errors=exc.errors, title=exc.title,
                                kind=exc.kind), exc.headers  # fmt: skip
    if isinstance(exc, InvalidAnswers):
        errors = [p.as_dict() for p in exc.problems]
        count = len(errors)
        detail = (
            f"The answers have {count} problem{'s' if count != 1 else ''}; nothing was saved. "
            "Correct each one listed in `errors` and send the request again."
        )
        return 422, body(422, detail, errors=errors, title="Invalid answers",
                         kind="invalid-answers"), {}  # fmt: skip
    if isinstance(exc, ActionRefused):
        return 409, body(409, str(exc)), {}
    if isinstance(exc, Http404):
        message = str(exc) or "Nothing was found at this address."
        return 404, body(404, message), {}
    if isinstance(exc, PermissionDenied):
        return 403, body(403, str(exc) or "Your role does not allow this."), {}
    if isinstance(exc, AuthenticationError):
        return 401, body(401, "Send a valid API token as `Authorization: Bearer <token>`. "
                              "Tokens are created on the API tokens page of the portal; a "
                              "revoked or expired token, or one whose user is no longer "
                              "active, is refused."), {"WWW-Authenticate": "Bearer"}  # fmt: skip
    if isinstance(exc, ValidationError):
        errors = [_request_error(e) for e in exc.errors]
        return 422, body(422, "The request does not have the shape this operation takes; see "
                              "`errors` and the OpenAPI document.", errors=errors), {}  # fmt: skip
    if isinstance(exc, HttpError):
        status = exc.status_code if exc.status_code in TITLES else 400
        detail = str(exc)
        if detail.startswith("Cannot parse request body"):
            detail = "The request body is not valid JSON. Send a JSON object."
        return status, body(status, detail), {}
    return None


def _request_error(error):
    location = [str(part) for part in error.get("loc", ())]
    where = location[0] if location else "request"
    field = ".".join(location[1:]) or None
    if where == "body" and location[1:2] == ["payload"]:
        field = ".".join(location[2:]) or None
    return {"form": None, "field": field, "message": f"{where}: {error.get('msg', 'invalid')}"}


def handle(request, exc):
    """The API's one exception handler."""
    known = from_exception(exc)
    if known is None:
        logger.exception("Unexpected error in the API", exc_info=exc)
        return response(500, body(500, "Something went wrong on the server; nothing was "
                                       "saved. Try again later."))  # fmt: skip
    status, payload, headers = known
    return response(status, payload, headers)
