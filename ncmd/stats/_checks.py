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


def as_float_array(name, values, *, allow_empty=False):
    """Return ``values`` as a float array, refusing NaN, infinity and (unless allowed) emptiness."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}. Convert it to numbers first.") from None
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty: give at least one value.")
    bad = ~np.isfinite(array)
    if bad.any():
        where = _position(np.argwhere(bad)[0])
        raise ValueError(
            f"{name} has a missing or infinite value at position {where}: "
            "remove that unit or point, or supply the value."
        )
    return array


def as_counts(name, values, *, allow_empty=False, integer=False):
    """Return non-negative counts as floats; ``integer`` also refuses fractional counts."""
    array = as_float_array(name, values, allow_empty=allow_empty)
    negative = array < 0
    if negative.any():
        where = _position(np.argwhere(negative)[0])
        raise ValueError(
            f"{name} has a negative value ({array[tuple(np.argwhere(negative)[0])]:g}) at "
            f"position {where}: counts cannot be negative."
        )
    if integer:
        fractional = array != np.floor(array)
        if fractional.any():
            where = _position(np.argwhere(fractional)[0])
            raise ValueError(f"{name} has a non-whole count at position {where}: round it first.")
    return array


def as_positive(name, values, *, allow_empty=False):
    """Return values that must be strictly positive (denominators, populations)."""
    array = as_counts(name, values, allow_empty=allow_empty)
    zero = array == 0
    if zero.any():
        where = _position(np.argwhere(zero)[0])
        raise ValueError(
            f"{name} is zero at position {where}: a rate or proportion needs a positive "
            "denominator; drop that unit or correct its denominator."
        )
    return array


def same_shape(names, *arrays):
    """Broadcast arrays together, naming them if their shapes disagree."""
    try:
        return np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{n} {np.shape(a)}" for n, a in zip(names, arrays, strict=True))
        raise ValueError(f"shapes do not match ({shapes}): give one value per unit.") from None


def not_above(numerator_name, numerator, denominator_name, denominator):
    """Refuse a numerator above its denominator, as a proportion cannot exceed one."""
    above = numerator > denominator
    if above.any():
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
