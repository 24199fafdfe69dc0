"""Each signed-in person lands on their own work."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from reviews.access import Standing
from reviews.models import FamilyMember, Invitation


def landing_for(user) -> str:
    standing = Standing.of(user)
    if standing.la_authorities or standing.settings:
        return "reviews:due"
    if standing.is_professional:
        return "reviews:mine"
    if FamilyMember.objects.filter(user=user).exists():
        return "reviews:family_home"
    # Someone outside any agency who was invited to advise (a careers adviser, say).
    if Invitation.objects.current().filter(user=user).exclude(role=Invitation.Role.FAMILY).exists():
        return "reviews:mine"
    return "reviews:family_home"


@login_required
def my_work(request):
    return redirect(landing_for(request.user))
