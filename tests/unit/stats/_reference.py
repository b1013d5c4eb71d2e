"""Load the reference values in ``reference/`` and compare to 6 significant figures or better."""

import json
from pathlib import Path

import numpy as np

REFERENCE = Path(__file__).parent / "reference"
#: Relative tolerance for limits and intervals: the acceptance asks for 6 significant figures.
RTOL = 5e-7


def load(name):
    return json.loads((REFERENCE / name).read_text())


def assert_close(actual, expected, rtol=RTOL, atol=0.0):
    """Compare, treating a None in the reference as 'no value expected' (NaN)."""
    expected = np.array([np.nan if v is None else v for v in np.ravel(expected)], dtype=float)
    np.testing.assert_allclose(np.ravel(actual), expected, rtol=rtol, atol=atol)
