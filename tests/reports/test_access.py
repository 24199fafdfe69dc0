"""One access rule: every page of the report asks reviews/access.py. Strangers, another
child's family and uninvited professionals get a 404 everywhere; anonymous visitors are
sent to sign in; the people at the review read the published report but cannot manage it;
drafts reach them only through sign-off."""

import pytest
from django.urls import reverse

from reports import signoff
from reports.models import Report
from reports.publishing import do_publish_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(held_review, coordinator, family_parent, invited_therapist):
    report = Report.objects.get(review=held_review)
    signoff.do_request_signoff(report, coordinator)
    report.refresh_from_db()
    comment = signoff.do_comment(report, family_parent, "Biscuit is a cat.", "Pat Parent")
    signoff.do_answer_comment(report, comment.pk, coordinator, "Fixed.")
    signoff.do_confirm(report, invited_therapist)
    do_publish_report(report, coordinator, version=1)
    return comment


def urls(review, comment):
    pk = review.pk
    gets = [reverse("reports:outcome", args=[pk]), reverse("reports:edit", args=[pk]),
            reverse("reports:history", args=[pk]), reverse("reports:publish", args=[pk]),
            reverse("reports:draft", args=[pk]), reverse("reports:published", args=[pk]),
            reverse("reports:published_version", args=[pk, 1])]
    posts = [reverse("reports:create_draft", args=[pk]),
             reverse("reports:request_signoff", args=[pk]),
             reverse("reports:comment_action", args=[pk, comment.pk]),
             reverse("reports:publish", args=[pk]), reverse("reports:edit", args=[pk]),
             reverse("reports:draft", args=[pk])]
    return gets, posts


def test_anonymous_visitors_are_sent_to_sign_in(held_review, published, client):
    gets, posts = urls(held_review, published)
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url in posts:
        response = client.post(url, {"action": "confirm"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_refused_cast_gets_a_404_everywhere(held_review, published, refused, signed_in):
    gets, posts = urls(held_review, published)
    for person in refused:
        client = signed_in(person)
        for url in gets + posts:
            assert client.get(url).status_code == 404, (person, url)
        for url in posts:
            assert client.post(url, {"action": "include", "version": 2}).status_code == 404, \
                (person, url)
    assert Report.objects.get(review=held_review).content.get("comments") == []


@pytest.mark.parametrize("who", ["family_parent", "invited_therapist"])
def test_the_people_at_the_review_read_the_report_but_cannot_manage_it(
        held_review, published, who, request, signed_in):
    client = signed_in(request.getfixturevalue(who))
    gets, posts = urls(held_review, published)
    reading = {reverse("reports:published", args=[held_review.pk]),
               reverse("reports:published_version", args=[held_review.pk, 1]),
               reverse("reports:draft", args=[held_review.pk])}
    for url in gets:
        assert client.get(url).status_code == (200 if url in reading else 404), url
    for url in posts:
        if url != reverse("reports:draft", args=[held_review.pk]):
            assert client.post(url, {"action": "include", "version": 2}).status_code == 404, url
    page = client.get(reverse("reports:draft", args=[held_review.pk])).content.decode()
    assert "The time to check the draft report has ended" in page  # published: sign-off over
    assert "Yes, the report is right" not in page


def test_the_setting_senco_of_an_la_review_reads_but_does_not_manage(held_review, published,
                                                                    senco, signed_in):
    client = signed_in(senco)
    assert client.get(reverse("reports:published", args=[held_review.pk])).status_code == 200
    assert client.get(reverse("reports:outcome", args=[held_review.pk])).status_code == 404
    assert client.get(reverse("reports:draft", args=[held_review.pk])).status_code == 404


def test_nothing_is_published_before_publication(held_review, family_parent, client):
    client.force_login(family_parent)
    assert client.get(reverse("reports:published", args=[held_review.pk])).status_code == 404
