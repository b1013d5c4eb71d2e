"""Fixtures of the analysis tests: the small hand-worked registry (small_registry.py), frozen,
and an analysis opened on it."""

import pytest

from ncmd.analysis import open_analysis
from tests.integration.analysis.small_registry import (  # noqa: F401 (fixtures)
    denominators,
    local_authorities,
    small_registry,
)


@pytest.fixture
def analysis(small_registry):  # noqa: F811
    snapshot, _ = small_registry
    opened = open_analysis(snapshot)
    yield opened
    opened.close()
