"""Plain words beside the law's, for the pages of other apps a family reads."""

from django import template

from reviews.words import PLAN_SECTION_WORDS

register = template.Library()


@register.filter
def plan_section_words(letter: str) -> str:
    """What section ``letter`` of an EHC plan is for: "F" -> "The help with learning"."""
    return PLAN_SECTION_WORDS.get(letter, "")
