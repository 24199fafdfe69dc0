"""For the lead of an advocacy provider: the families waiting for an advocate, on the pages
they land on."""

from django import template

from agencies.models import Agency
from reviews.access import Standing
from reviews.advocacy import referral_of
from reviews.models import AdvocacyReferral

register = template.Library()


@register.inclusion_tag("reviews/advocacy/_waiting.html", takes_context=True)
def advocacy_referrals_waiting(context):
    """How many families referred to the providers this person leads wait for an advocate.
    Nothing for anyone else. Two queries."""
    standing = Standing.of(context["request"].user)
    if not standing.led_agencies:
        return {"waiting": None}
    providers = Agency.objects.filter(pk__in=standing.led_agencies, kind=Agency.Kind.ADVOCACY)
    if not providers.exists():
        return {"waiting": None}
    return {"waiting": AdvocacyReferral.objects.filter(
        provider__in=providers, withdrawn_at__isnull=True, advocate__isnull=True).count()}


@register.inclusion_tag("reviews/advocacy/_review_panel.html")
def advocacy_referral_panel(access):
    """On the review page of whoever manages it: the family's request for an advocate, who
    was chosen, and a link to choose. One query."""
    if not access.can_manage:
        return {"referral": None}
    return {"referral": referral_of(access.review), "review": access.review}
