"""The API's operations, one module per resource."""

from ..schemas import Problem

ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 422, 429), Problem)
