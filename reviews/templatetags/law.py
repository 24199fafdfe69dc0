"""``{% law "notice" %}``: a duration the law sets, in words ("2 weeks"), from the clock's
durations in force, so no page or email types one (reviews/clock.py ``in_words``). Works
in emails too, which are rendered without a request."""

from django import template

from reviews import clock

register = template.Library()


@register.simple_tag
def law(name: str) -> str:
    return clock.words_in_force()[name]
