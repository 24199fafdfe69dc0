"""Checks of the numbers a council's records carry, by their own rules: a pupil's UPN (its
check letter), a learner's ULN (its check digit) and a phone number. Each refuses with a
message that says what a right one looks like."""

import re

from django.core.exceptions import ValidationError

# The DfE's 23 check letters (no I, O or S), by the remainder they stand for.
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_SHAPE = re.compile(r"[A-Z]\d{11}[0-9A-Z]\Z")


def upn_check_letter(upn: str) -> str:
    """The check letter of a UPN's other twelve characters (the DfE's "A guide to UPNs"):
    each weighted by its position, 2 to 13, the sum's remainder by 23 naming the letter; a
    temporary UPN's last letter counts as its place among the check letters."""
    total = sum(position * (int(char) if char.isdigit() else _UPN_LETTERS.index(char))
                for position, char in enumerate(upn[1:13], start=2))
    return _UPN_LETTERS[total % 23]


def validate_upn(value: str) -> None:
    if not _UPN_SHAPE.match(value) or (value[-1].isalpha() and value[-1] not in _UPN_LETTERS):
        raise ValidationError(
            "Enter a UPN of 13 characters: a capital letter, 11 digits, then a digit or a "
            "capital letter (a temporary UPN)", code="upn_shape")
    if value[0] != upn_check_letter(value):
        raise ValidationError("This UPN's check letter is wrong: copy it again from the "
                              "school's records", code="upn_check_letter")


def uln_check_digit(uln: str) -> int | None:
    """The check digit of a ULN's first nine digits (the Learning Records Service's rule):
    weighted 10 down to 2, 10 less the sum's remainder by 11. A remainder of 0 gives no
    check digit: no ULN starts that way."""
    remainder = sum(int(digit) * weight for digit, weight in zip(uln[:9], range(10, 1, -1),
                                                                 strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def validate_uln(value: str) -> None:
    if not re.fullmatch(r"[1-9]\d{9}", value):
        raise ValidationError("Enter a ULN of 10 digits, not starting with 0",
                              code="uln_shape")
    if value == "9999999999":  # the placeholder for a learner without one
        raise ValidationError("9999999999 stands for a learner without a ULN: leave it "
                              "empty instead", code="uln_placeholder")
    if uln_check_digit(value) != int(value[-1]):
        raise ValidationError("This ULN's check digit is wrong: copy it again from the "
                              "learner's records", code="uln_check_digit")


PHONE_HELP = "like 01632 960 001, 07700 900 982 or +44 7700 900 982"
_PHONE_MARKS = re.compile(r"[\s().-]")


def validate_phone(value: str) -> None:
    """A UK number of 10 or 11 digits starting with 0, or an international one starting
    with + (as +44 for the UK, without its 0)."""
    digits = _PHONE_MARKS.sub("", value)
    if digits.startswith("+44"):
        fine = re.fullmatch(r"\+44[1-9]\d{8,9}", digits)
    elif digits.startswith("+"):
        fine = re.fullmatch(r"\+[1-9]\d{7,14}", digits)
    else:
        fine = re.fullmatch(r"0[1-9]\d{8,9}", digits)
    if not fine:
        raise ValidationError(f"Enter a phone number {PHONE_HELP}", code="phone")
