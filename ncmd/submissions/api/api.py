"""The NinjaAPI instance mounted at /api/v1/: authentication, errors and the OpenAPI document.

Every operation needs a token (`Authorization: Bearer ...`), counted against the rate limit.
Every error, including ninja's own (unparsable JSON, a request of the wrong shape, a missing
token), is answered as `application/problem+json` by `problems.handle`, and the OpenAPI document
says so for each operation.
"""

import json

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from . import problems
from .auth import TokenAuth
from .endpoints import cases, dictionary, forms

DESCRIPTION = """The ncmd registry's JSON API: notify a child's death, fill in and amend its
forms, read the cases in your scope, and read the data dictionary (releases, forms, code lists,
a JSON Schema and a FHIR Questionnaire per form).

Authenticate with a personal API token: `Authorization: Bearer <token>` (create one on the
portal's *API tokens* page). A token acts with its user's role and organisation. Errors are RFC
9457 problem details (`application/problem+json`). Send an `Idempotency-Key` header with a POST
or PUT to make retries safe. See docs/api.md for the full guide."""


class NoNulParser(Parser):
    """JSON bodies only, and no NUL characters in their text (PostgreSQL cannot store them)."""

    def parse_body(self, request):
        data = json.loads(request.body)
        if _holds_nul(data):
            raise ValueError("text holds a NUL character")
        return data


def _holds_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


class RegistryApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        answer["content"] = {problems.CONTENT_TYPE: content["application/json"]}
                    if int(code) == 429:
                        answer["headers"] = {
                            "Retry-After": {
                                "description": "Seconds to wait before the next request.",
                                "schema": {"type": "string", "pattern": "^[0-9]+$"},
                            }
                        }
        return schema


api = RegistryApi(
    title="ncmd registry API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
    auth=TokenAuth(),
    parser=NoNulParser(),
)
for exception in (Exception, Http404, HttpError, ValidationError):
    api.add_exception_handler(exception, problems.handle)

api.add_router("/cases", cases.router)
api.add_router("/cases", forms.router)
api.add_router("/dictionary", dictionary.router)
