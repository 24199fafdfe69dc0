"""A professional whose account came from a review's link has no agency on the portal, but
is still a professional: MFA is compulsory for them too (children's data, least privilege).
"""

import pytest

from reviews.models import Invitation
from tests.conftest import ON_TODAY, make_person, sign_in

pytestmark = [pytest.mark.django_db, ON_TODAY]


def _invite(review, user, role):
    return Invitation.objects.create(review=review, role=role, user=user, name="Invited Person",
                                     email=user.email)


def test_a_professional_invited_by_link_must_enrol_in_mfa(client, review):
    person = make_person("locum@test.example")  # no agency membership
    _invite(review, person, Invitation.Role.HEALTH)
    sign_in(client, person)
    for path in ["/reviews/", f"/reviews/{review.pk}/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/", path


def test_a_family_member_invited_to_the_review_is_not_forced_to_enrol(client, review):
    person = make_person("carer@test.example")
    _invite(review, person, Invitation.Role.FAMILY)
    sign_in(client, person)
    response = client.get("/reviews/", follow=True)
    assert response.status_code == 200
    assert "/accounts/2fa/" not in response.wsgi_request.path


def test_a_removed_professional_invitation_no_longer_counts(client, review):
    from django.utils import timezone

    person = make_person("former@test.example")
    invitation = _invite(review, person, Invitation.Role.HEALTH)
    invitation.removed_at = timezone.now()
    invitation.save(update_fields=["removed_at"])
    sign_in(client, person)
    response = client.get("/reviews/", follow=True)
    assert response.status_code == 200
    assert "/accounts/2fa/" not in response.wsgi_request.path
