from tests.integration.access.access_fixtures import (  # noqa: F401 (fixtures)
    access_dirs,
    approved,
    researchers,
    snapshot,
)
