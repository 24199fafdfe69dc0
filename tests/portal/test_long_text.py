"""Free text typed in a textarea (common.forms.LongText): counted as GOV.UK's character
count counts it, and refused over its limit with a message that says the limit."""

import pytest
from django.core.exceptions import ValidationError

from common.forms import LongText


def test_a_line_break_counts_as_one_character_as_on_the_page():
    # Browsers send each line break as CR LF; the count on the page counted one character.
    field = LongText(max_length=11)
    assert field.clean("one\r\ntwo\r\nsix") == "one\ntwo\nsix"


def test_text_over_the_limit_is_refused_with_the_limit_in_the_message():
    field = LongText(max_length=2_000, subject="The reason")
    field.clean("x" * 2_000)
    with pytest.raises(ValidationError) as refused:
        field.clean("x" * 2_001)
    assert refused.value.messages == ["The reason must be 2,000 characters or fewer"]
