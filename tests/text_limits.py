"""Checks shared by the tests of limits on free text (this module holds no tests): the page
shows the limit before it is reached, with GOV.UK's character count, and text over it is
refused with a message that says the limit, keeping what was typed."""

import re

from django.utils.html import escape


def too_long(limit: int) -> str:
    """Plausible writing one character over ``limit``."""
    return ("Uses short sentences in class and at home. " * (limit // 40 + 1))[:limit] + "!"


def _form_group(page: str, field_id: str) -> str:
    for group in page.split('<div class="govuk-form-group')[1:]:
        if re.search(rf'<textarea[^>]* id="{field_id}"', group):
            return group
    raise AssertionError(f"no textarea {field_id} on the page")


def assert_counted(page: str, field_id: str, limit: int) -> None:
    """The textarea ``field_id`` has GOV.UK's character count for ``limit``, and says the
    limit without JavaScript too (where the browser also stops typing at it)."""
    group = _form_group(page, field_id)
    assert re.match(rf'[^"]* govuk-character-count" data-module="govuk-character-count" '
                    rf'data-maxlength="{limit}">', group), group[:200]
    textarea = re.search(rf'<textarea[^>]* id="{field_id}"[^>]*>', group)[0]
    assert "govuk-js-character-count" in textarea
    assert f'maxlength="{limit}"' in textarea
    assert re.search(rf'aria-describedby="{field_id}-info\b', textarea), textarea
    assert (f'<div id="{field_id}-info" class="govuk-hint govuk-character-count__message">'
            f"You can enter up to {limit:,} characters</div>") in group


def assert_refused(response, typed: str, message: str) -> None:
    """The page came back with ``message`` in the error summary and by the field, and the
    text as it was typed."""
    page, message = response.content.decode(), escape(message)
    assert response.status_code == 200, response.get("Location")
    assert "<title>Error: " in page
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    assert message in summary
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in page
    assert typed in page
