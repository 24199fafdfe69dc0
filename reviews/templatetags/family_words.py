"""Plain words beside the law's, for the pages of other apps a family reads."""

from django import template

from reviews.family_cards import children_tab_text
from reviews.words import PLAN_SECTION_WORDS

register = template.Library()


@register.filter
def plan_section_words(letter: str) -> str:
    """What section ``letter`` of an EHC plan is for: "F" -> "The help with learning"."""
    return PLAN_SECTION_WORDS.get(letter, "")


@register.simple_tag(takes_context=True)
def children_tab(context, review) -> str:
    """" (1 of 2)" in a family page's title when the person has more than one child, so
    their tabs differ without the child's name."""
    text = children_tab_text(context["request"].user, review.plan.child)
    return f" ({text})" if text else ""
