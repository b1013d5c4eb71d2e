"""Checks for the identifier types the dictionary knows: NHS numbers and UK postcodes."""

import re
from operator import mul

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})$")
# Compiled once: `re.sub` with a pattern string looks it up in re's cache on every call, which
# costs more than the substitution itself (these run for every row of a bulk import).
_NHS_NUMBER_SEPARATORS = re.compile(r"[\s-]")
_WHITESPACE = re.compile(r"\s+")
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_NHS_WEIGHTS_SUM = sum(_NHS_WEIGHTS)


def nhs_number_is_valid(value):
    """The NHS modulus 11 check: ten digits, the last a check digit over the first nine.

    Weights 10 down to 2; the check digit is 11 minus the weighted sum modulo 11, where 11 means 0
    and 10 means the number is not valid.
    """
    digits = _NHS_NUMBER_SEPARATORS.sub("", str(value))
    if len(digits) != 10 or not digits.isdigit():
        return False
    if digits.isascii():
        # The bytes of ASCII digits are their values plus 48 (the code of "0"): the same sum as
        # below, without an int() per digit, which is most of the time this check takes.
        total = sum(map(mul, digits[:9].encode(), _NHS_WEIGHTS)) - 48 * _NHS_WEIGHTS_SUM
    else:  # other digits: int() reads those of other scripts (and refuses superscripts)
        total = sum(map(mul, map(int, digits[:9]), _NHS_WEIGHTS))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def normalise_nhs_number(value):
    return _NHS_NUMBER_SEPARATORS.sub("", str(value))


def with_check_digit(nine_digits):
    """Complete nine digits into a valid NHS number, or None when no check digit works."""
    total = sum(int(d) * w for d, w in zip(nine_digits, _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return None if check == 10 else f"{nine_digits}{check}"


def normalise_postcode(value):
    """Upper case with one space before the inward code ('sw1a1aa' -> 'SW1A 1AA'), or None."""
    compact = _WHITESPACE.sub("", str(value)).upper()
    match = _POSTCODE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else None


def postcode_district(postcode):
    """The outward code of a normalised postcode: 'SW1A 1AA' -> 'SW1A'; None for anything else
    (a blank, or a "not known" answer)."""
    return postcode.split(" ")[0] if isinstance(postcode, str) and postcode else None
