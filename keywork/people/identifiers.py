"""UK identifiers for the people Keywork supports: National Insurance and NHS numbers.

Each identifier has two functions: normalise (the form to store and compare) and validate
(raises ValidationError with a message a worker can act on). Validation accepts what
people actually type: spaces, lower case and, for NHS numbers, hyphens.
"""

import re

from django.core.exceptions import ValidationError

NI_NUMBER_FORMAT_MESSAGE = (
    "Enter a National Insurance number in the right format, like AB 12 34 56 C."
)
NHS_NUMBER_FORMAT_MESSAGE = "Enter an NHS number of 10 digits, like 943 476 5919."
NHS_NUMBER_CHECK_MESSAGE = "This NHS number is not valid: check the digits."

# [A-Z] and [0-9] rather than \w and \d, which would let through other scripts' letters
# and digits.
_NI_SHAPE = re.compile(r"[A-Z]{2}[0-9]{6}[A-D]")
_NHS_SHAPE = re.compile(r"[0-9]{10}")

# HMRC never issues these letters in these positions, nor these prefixes (TN is for
# temporary numbers, which are not National Insurance numbers).
_NI_NOT_FIRST = frozenset("DFIQUV")
_NI_NOT_SECOND = frozenset("DFIOQUV")
_NI_UNALLOCATED_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})

# Hyphens and dashes that word processors and web pages substitute for "-", so a number
# pasted from a letter still validates.
_NHS_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]")


def normalise_ni_number(value: str) -> str:
    return "".join(value.split()).upper()


def validate_ni_number(value: str) -> None:
    number = normalise_ni_number(value)
    if (
        not _NI_SHAPE.fullmatch(number)
        or number[0] in _NI_NOT_FIRST
        or number[1] in _NI_NOT_SECOND
        or number[:2] in _NI_UNALLOCATED_PREFIXES
    ):
        raise ValidationError(NI_NUMBER_FORMAT_MESSAGE, code="invalid")


def normalise_nhs_number(value: str) -> str:
    # Only separators go: any other character stays so that validation refuses it,
    # rather than "943 476 591O" quietly becoming a different number.
    return _NHS_SEPARATORS.sub("", value)


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for the first nine digits of an NHS number, or None
    when no check digit exists (the remainder gives 10) and the digits are never issued."""
    if not re.fullmatch(r"[0-9]{9}", first_nine):
        raise ValueError("nhs_check_digit needs exactly nine digits")
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def validate_nhs_number(value: str) -> None:
    number = normalise_nhs_number(value)
    if not _NHS_SHAPE.fullmatch(number):
        raise ValidationError(NHS_NUMBER_FORMAT_MESSAGE, code="invalid")
    check = nhs_check_digit(number[:9])
    if check is None or check != int(number[9]):
        raise ValidationError(NHS_NUMBER_CHECK_MESSAGE, code="check_digit")


# A UK postcode: outward code (area, district) and inward code (sector, unit).
_POSTCODE = re.compile(r"(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})")
POSTCODE_MESSAGE = "Enter a real UK postcode, like BS1 4DJ"


def postcode_cleaned(value: str) -> str:
    """The postcode in capitals with one space before its last three characters
    ("bs14dj" is "BS1 4DJ"); a ValidationError if it is not a UK postcode."""
    squeezed = "".join(value.split()).upper()
    if not _POSTCODE.fullmatch(squeezed):
        raise ValidationError(POSTCODE_MESSAGE)
    return f"{squeezed[:-3]} {squeezed[-3:]}"
