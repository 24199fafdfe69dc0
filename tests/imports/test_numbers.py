"""The UPN's check letter, the ULN's check digit and a phone number, checked by their own
rules (common/validators.py), as the child's admin page and the import check them."""

import pytest
from django.core.exceptions import ValidationError

from common.validators import (
    uln_check_digit,
    upn_check_letter,
    validate_phone,
    validate_uln,
    validate_upn,
)


@pytest.mark.parametrize("upn", ["B801200005001", "Z998123416001", "V998123409017"])
def test_a_upn_with_its_check_letter_is_taken(upn):
    validate_upn(upn)


def test_a_temporary_upn_ends_in_a_letter_that_counts_in_its_check():
    body = "80120000500A"
    validate_upn(upn_check_letter("X" + body) + body)


@pytest.mark.parametrize("upn, code", [
    ("A801200005001", "upn_check_letter"),
    ("B80120000500", "upn_shape"),
    ("b801200005001", "upn_shape"),
    ("B8012000050I1", "upn_shape"),
    ("B80120000500I", "upn_shape"),  # I, O and S are never check letters
])
def test_a_wrong_upn_is_refused(upn, code):
    with pytest.raises(ValidationError) as refused:
        validate_upn(upn)
    assert refused.value.code == code


def test_a_uln_with_its_check_digit_is_taken():
    assert uln_check_digit("123456789") == 9
    validate_uln("1234567899")
    validate_uln("5000000012")


@pytest.mark.parametrize("uln, code", [
    ("1234567890", "uln_check_digit"),
    ("0123456789", "uln_shape"),
    ("123456789", "uln_shape"),
    ("9999999999", "uln_placeholder"),
    ("9876543210", "uln_check_digit"),  # a remainder of 0: no ULN is made this way
])
def test_a_wrong_uln_is_refused(uln, code):
    with pytest.raises(ValidationError) as refused:
        validate_uln(uln)
    assert refused.value.code == code


@pytest.mark.parametrize("phone", ["01632 960 001", "07700 900 982", "+44 7700 900 982",
                                   "(01632) 960001", "0161-496-0000", "+33 1 23 45 67 89"])
def test_a_phone_number_is_taken(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "7700900982", "07700 900", "+44 07700 900 982",
                                   "ring me", "0800 CALL NOW"])
def test_a_wrong_phone_number_is_refused(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)
