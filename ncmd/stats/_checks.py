"""Input validation shared by every statistic.

Published statistics must never be computed from bad input and then shown as a blank or a NaN
nobody asked for. Each check here raises a ``ValueError`` that names the argument, the first
offending position and what to do about it, so a caller can fix the data rather than debug us.
"""

import numpy as np


def _position(index):
    """Render a NumPy index tuple as the position a reader would look up."""
    index = tuple(int(i) for i in index)
    return str(index[0]) if len(index) == 1 else str(index)


def _as_floats(name, values, allow_empty):
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}. Convert it to numbers first.") from None
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty: give at least one value.")
    return array


def _refuse_missing(name, array):
    bad = ~np.isfinite(array)
    if bad.any():
        where = _position(np.argwhere(bad)[0])
        raise ValueError(
            f"{name} has a missing or infinite value at position {where}: "
            "remove that unit or point, or supply the value."
        )


def _refuse_out_of_range(name, array, *, zero_allowed):
    """Refuse NaN, infinity, negative and (unless allowed) zero values, naming the first.

    The lowest and highest values settle it for the whole array in two passes (NaN fails both
    comparisons); the passes that find the offending position run only when something is wrong.
    """
    if array.size == 0:
        return
    lowest, highest = array.min(), array.max()
    if (lowest >= 0 if zero_allowed else lowest > 0) and highest < np.inf:
        return
    _refuse_missing(name, array)
    negative = array < 0
    if negative.any():
        where = _position(np.argwhere(negative)[0])
        raise ValueError(
            f"{name} has a negative value ({array[tuple(np.argwhere(negative)[0])]:g}) at "
            f"position {where}: counts cannot be negative."
        )
    where = _position(np.argwhere(array == 0)[0])  # what is left: a zero where none may be
    raise ValueError(
        f"{name} is zero at position {where}: a rate or proportion needs a positive "
        "denominator; drop that unit or correct its denominator."
    )


def as_float_array(name, values, *, allow_empty=False):
    """Return ``values`` as a float array, refusing NaN, infinity and (unless allowed) emptiness."""
    array = _as_floats(name, values, allow_empty)
    if not np.isfinite(array).all():
        _refuse_missing(name, array)
    return array


def as_counts(name, values, *, allow_empty=False, integer=False):
    """Return non-negative counts as floats; ``integer`` also refuses fractional counts."""
    array = _as_floats(name, values, allow_empty)
    _refuse_out_of_range(name, array, zero_allowed=True)
    if integer:
        fractional = array != np.floor(array)
        if fractional.any():
            where = _position(np.argwhere(fractional)[0])
            raise ValueError(f"{name} has a non-whole count at position {where}: round it first.")
    return array


def as_positive(name, values, *, allow_empty=False):
    """Return values that must be strictly positive (denominators, populations)."""
    array = _as_floats(name, values, allow_empty)
    _refuse_out_of_range(name, array, zero_allowed=False)
    return array


def same_shape(names, *arrays):
    """Broadcast arrays together, naming them if their shapes disagree."""
    if all(a.shape == arrays[0].shape for a in arrays):
        return arrays  # the usual case, spared broadcast_arrays' overhead
    try:
        return np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{n} {np.shape(a)}" for n, a in zip(names, arrays, strict=True))
        raise ValueError(f"shapes do not match ({shapes}): give one value per unit.") from None


def not_above(numerator_name, numerator, denominator_name, denominator):
    """Refuse a numerator above its denominator, as a proportion cannot exceed one."""
    above = numerator > denominator
    if np.count_nonzero(above):  # quicker than above.any() on a bool array (0.6 µs vs 1.0)
        where = _position(np.argwhere(above)[0])
        raise ValueError(
            f"{numerator_name} is greater than {denominator_name} at position {where}: "
            "a proportion's numerator must be part of its denominator."
        )


def confidence_level(confidence):
    """Accept 0.95 or 95 style levels, as PHEindicatormethods does, and return a fraction."""
    level = float(confidence)
    if 50 <= level < 100:
        level /= 100
    if not 0 < level < 1:
        raise ValueError(
            f"confidence must be between 0 and 1 (or a percentage from 50 to 100), got "
            f"{confidence!r}: use 0.95 or 0.998."
        )
    return level


def choice(name, value, options):
    """Refuse a value outside a fixed set, listing the set."""
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}, got {value!r}.")
    return value
