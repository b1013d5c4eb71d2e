"""Safe retries: a POST or PUT that carries an `Idempotency-Key` header is done once.

The first response (success or refusal) is stored with a fingerprint of the request. The same key
with the same request returns that response again, marked `Idempotent-Replayed: true`; the same
key with a different request is refused (422), since the client has mixed up two requests. Keys
belong to a user, so two users cannot collide. The work and the stored response are committed in
one transaction: a request is never done without its response being remembered.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from . import problems
from .models import IdempotentResponse

MAX_KEY_LENGTH = 200


def fingerprint(request):
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        body = request.body.decode("utf-8", "replace")
    material = {
        "method": request.method,
        "path": request.path,
        "query": sorted((k, sorted(v)) for k, v in request.GET.lists()),
        "body": body,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def run_once(request, key, work):
    """Run `work()` -> (status, JSON-ready body) once per key; return the HTTP response."""
    if not key:
        return _to_response(*_outcome(work))
    user = request.auth.user
    request_print = fingerprint(request)
    earlier = IdempotentResponse.objects.filter(user=user, key=key).first()
    if earlier is None:
        try:
            with transaction.atomic():
                status, payload, headers = _outcome(work)
                IdempotentResponse.objects.create(
                    user=user, token=request.auth, key=key, method=request.method,
                    path=request.path[:500], fingerprint=request_print, status_code=status,
                    body=payload, created_at=timezone.now(),
                )  # fmt: skip
            return _to_response(status, payload, headers)
        except IntegrityError:
            # Another request with this key finished first; its work stands, ours was undone.
            earlier = IdempotentResponse.objects.filter(user=user, key=key).first()
            if earlier is None:
                raise
    if earlier.fingerprint != request_print:
        raise problems.ApiProblem(
            422,
            f"The Idempotency-Key {key!r} was first used for a different request "
            f"({earlier.method} {earlier.path}, or other content). Use a new key for a new "
            "request.",
            title="Idempotency key reused",
            kind="idempotency-key-reused",
        )
    response = _to_response(earlier.status_code, earlier.body, {})
    response["Idempotent-Replayed"] = "true"
    return response


def _outcome(work):
    try:
        status, payload = work()
        return status, payload, {}
    except Exception as exc:
        known = problems.from_exception(exc)
        if known is None:
            raise
        return known


def _to_response(status, payload, headers):
    if status >= 400:
        return problems.response(status, payload, headers)
    response = HttpResponse(json.dumps(payload), status=status, content_type="application/json")
    for name, value in headers.items():
        response[name] = value
    return response
