import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from keywork.people.identifiers import (
    NHS_NUMBER_CHECK_MESSAGE,
    NHS_NUMBER_FORMAT_MESSAGE,
    NI_NUMBER_FORMAT_MESSAGE,
    nhs_check_digit,
    normalise_nhs_number,
    normalise_ni_number,
    validate_nhs_number,
    validate_ni_number,
)


def refusal(validate, value) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate(value)
    return caught.value


# National Insurance numbers


def test_it_normalises_an_ni_number():
    assert normalise_ni_number(" ab 12 34 56 c ") == "AB123456C"
    assert normalise_ni_number("ab\u00a012\t34 56c") == "AB123456C"


@pytest.mark.parametrize(
    "value",
    [
        "AB123456C",
        "AB 12 34 56 C",
        "ab 12 34 56 c",
        " ab123456a ",
        "JC 00 00 00 D",
        "ZY 99 99 99 B",
    ],
)
def test_it_accepts_valid_ni_numbers(value):
    validate_ni_number(value)


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("", "empty"),
        ("AB12345C", "five digits"),
        ("AB1234567C", "seven digits"),
        ("AB123456", "no suffix"),
        ("AB123456E", "suffix after D"),
        ("A1123456C", "digit in the prefix"),
        ("AB12345XC", "letter among the digits"),
        ("AB-12-34-56-C", "hyphens"),
        ("AB １２３４５６C", "full-width digits"),
        ("ÀB123456C", "accented letter"),
        ("QQ123456C", "Q first: the example HMRC prints, never issued"),
    ],
)
def test_it_refuses_ni_numbers_of_the_wrong_shape(value, rule):
    error = refusal(validate_ni_number, value)
    assert error.messages == [NI_NUMBER_FORMAT_MESSAGE], rule
    assert error.code == "invalid"


@pytest.mark.parametrize("letter", list("DFIQUV"))
def test_it_refuses_letters_never_used_first(letter):
    refusal(validate_ni_number, f"{letter}A123456C")


@pytest.mark.parametrize("letter", list("DFIOQUV"))
def test_it_refuses_letters_never_used_second(letter):
    refusal(validate_ni_number, f"A{letter}123456C")


def test_it_allows_o_first_but_not_second():
    validate_ni_number("OA123456C")
    refusal(validate_ni_number, "AO123456C")


@pytest.mark.parametrize("prefix", ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"])
def test_it_refuses_prefixes_never_allocated(prefix):
    refusal(validate_ni_number, f"{prefix}123456C")
    refusal(validate_ni_number, f"{prefix.lower()} 12 34 56 c")


def test_it_allows_the_letters_of_unallocated_prefixes_in_other_pairs():
    for prefix in ("BN", "GK", "KB", "NB", "TB", "ZY", "NA"):
        validate_ni_number(f"{prefix}123456A")


def test_it_puts_a_valid_example_in_the_ni_message():
    example = NI_NUMBER_FORMAT_MESSAGE.split("like ")[1].rstrip(".")
    assert example == "AB 12 34 56 C"
    validate_ni_number(example)


@given(
    first=st.sampled_from(sorted(set(string.ascii_uppercase) - set("DFIQUV"))),
    second=st.sampled_from(sorted(set(string.ascii_uppercase) - set("DFIOQUV"))),
    digits=st.text(alphabet="0123456789", min_size=6, max_size=6),
    suffix=st.sampled_from("ABCD"),
)
def test_it_accepts_every_allocatable_ni_number(first, second, digits, suffix):
    number = f"{first}{second}{digits}{suffix}"
    if number[:2] in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
        refusal(validate_ni_number, number)
        return
    validate_ni_number(number)
    validate_ni_number(number.lower())


# NHS numbers


def test_it_normalises_an_nhs_number():
    assert normalise_nhs_number("943 476 5919") == "9434765919"
    assert normalise_nhs_number("943-476-5919") == "9434765919"
    assert normalise_nhs_number(" 943\u2013476\u00a05919 ") == "9434765919"
    # Anything else stays, so that validation refuses it.
    assert normalise_nhs_number("943 476 591O") == "943476591O"
    assert normalise_nhs_number("943.476.5919") == "943.476.5919"


def test_it_computes_check_digits():
    assert nhs_check_digit("943476591") == 9
    assert nhs_check_digit("401023213") == 7
    assert nhs_check_digit("000000000") == 0  # remainder 0: check 11 becomes 0
    assert nhs_check_digit("000000006") is None  # 6 x 2 = 12, remainder 1: check 10
    with pytest.raises(ValueError):
        nhs_check_digit("94347659")


@pytest.mark.parametrize(
    "value", ["9434765919", "943 476 5919", "943-476-5919", "4010232137", "4505577104"]
)
def test_it_accepts_valid_nhs_numbers(value):
    validate_nhs_number(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "943476591",
        "94347659190",
        "943 476 591O",
        "943.476.5919",
        "９４３４７６５９１９",
        "+449434765919",
    ],
)
def test_it_refuses_nhs_numbers_that_are_not_ten_digits(value):
    error = refusal(validate_nhs_number, value)
    assert error.messages == [NHS_NUMBER_FORMAT_MESSAGE]
    assert error.code == "invalid"


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("9434765918", "wrong check digit"),
        ("9434765910", "wrong check digit"),
        ("9434765199", "last two digits swapped"),
        ("4934765919", "first two digits swapped"),
        ("0000000060", "check digit would be 10, so never issued"),
    ],
)
def test_it_refuses_nhs_numbers_that_fail_the_check_digit(value, rule):
    error = refusal(validate_nhs_number, value)
    assert error.messages == [NHS_NUMBER_CHECK_MESSAGE], rule
    assert error.code == "check_digit"


def test_it_puts_a_valid_example_in_the_nhs_message():
    example = NHS_NUMBER_FORMAT_MESSAGE.split("like ")[1].rstrip(".")
    assert example == "943 476 5919"
    validate_nhs_number(example)


def expected_check_digit(first_nine: str) -> int | None:
    """The NHS Data Dictionary's modulus 11 steps, written out independently of the module."""
    total = 0
    for position, digit in enumerate(first_nine):
        total += int(digit) * (10 - position)
    check = 11 - (total % 11)
    return {11: 0, 10: None}.get(check, check)


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(first_nine=nine_digits)
def test_it_agrees_with_the_data_dictionary_on_every_check_digit(first_nine):
    assert nhs_check_digit(first_nine) == expected_check_digit(first_nine)


@given(first_nine=nine_digits, position=st.integers(0, 9), change=st.integers(1, 9))
def test_it_accepts_any_issuable_number_and_catches_every_single_digit_error(
    first_nine, position, change
):
    check = expected_check_digit(first_nine)
    if check is None:
        refusal(validate_nhs_number, first_nine + "0")
        return
    number = f"{first_nine}{check}"
    validate_nhs_number(number)
    wrong_digit = str((int(number[position]) + change) % 10)
    mistyped = number[:position] + wrong_digit + number[position + 1 :]
    error = refusal(validate_nhs_number, mistyped)
    assert error.code == "check_digit"
