"""The API's documentation page, rendered on the server from the OpenAPI document (no
JavaScript and no assets from elsewhere), and problem-details 404s for unknown API addresses."""

import json

from django.shortcuts import render

from .. import problems
from ..api import api

METHODS = ("get", "post", "put", "patch", "delete")


def api_docs(request):
    schema = api.get_openapi_schema()
    operations = []
    for path, entries in schema.get("paths", {}).items():
        for method in METHODS:
            if method in entries:
                operations.append(_operation(path, method, entries[method]))
    components = schema.get("components", {}).get("schemas", {})
    return render(
        request,
        "submissions_api/docs.html",
        {
            "info": schema.get("info", {}),
            "operations": operations,
            "schemas": [
                {"name": name, "json": json.dumps(body, indent=2)}
                for name, body in sorted(components.items())
            ],
        },
    )


def _operation(path, method, operation):
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    return {
        "id": operation.get("operationId", f"{method}-{path}"),
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "tag": (operation.get("tags") or [""])[0],
        "parameters": [
            {
                "name": p["name"],
                "where": p["in"],
                "required": p.get("required", False),
                "description": p.get("description", ""),
                "schema": json.dumps(p.get("schema", {})),
            }
            for p in operation.get("parameters", [])
        ],
        "body": _ref_name(body.get("schema")),
        "responses": [
            {
                "status": code,
                "description": answer.get("description", ""),
                "types": ", ".join(answer.get("content", {})),
                "schema": _ref_name(
                    next(iter(answer.get("content", {}).values()), {}).get("schema")
                ),
            }
            for code, answer in operation.get("responses", {}).items()
        ],  # fmt: skip
    }


def _ref_name(schema):
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        return "list of " + schema["items"]["$ref"].rsplit("/", 1)[-1]
    return schema.get("type", "")


def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/: a 404 in the API's own error format."""
    return problems.response(404, problems.body(
        404, "There is no API operation at this address; see /api/v1/openapi.json."
    ))  # fmt: skip
