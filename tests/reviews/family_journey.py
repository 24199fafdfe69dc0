"""A family's review from the invitation to the final plan, through the real action
functions, with every page the family can open at each stage (this module holds no tests).

`family_pages(...)` walks it and yields each page the family sees, as they see it: the
contact test and the reading-age test read the same pages.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from decisions import amending
from decisions.deciding import do_record_decision
from meeting.room import do_open_meeting
from reports import publishing, signoff
from reports.models import Report
from reviews.advice import do_circulate_advice
from reviews.family import do_save_family_views, do_send_family_views
from reviews.models import Invitation, Review
from tests.conftest import hold_contacts
from tests.reports.conftest import change, hold_meeting
from tests.reviews.conftest import invite_person
from tests.reviews.test_advice_fixtures import submit


@dataclass(frozen=True)
class Page:
    stage: str
    url: str
    html: str


def family_pages(client, review, coordinator, therapist, parent) -> Iterator[Page]:
    """Take `review` (the therapist invited to advise, `parent` on the child's family record,
    `client` signed in as them) from its invitations to the final plan, yielding every page
    the family can open on the way. Each page must answer 200."""

    def pages(stage, *names, args=None):
        for name in names:
            url = reverse(name, args=[review.pk] if args is None else args)
            response = client.get(url)
            assert response.status_code == 200, f"{stage}: {url} answered {response.status_code}"
            yield Page(stage, url, response.content.decode())

    def step(slug):
        return reverse("reviews:family_views_step", args=[review.pk, slug])

    invite_person(review, parent, role=Invitation.Role.FAMILY)
    Review.objects.filter(pk=review.pk).update(status=Review.Status.INVITATIONS_SENT,
                                               invitations_sent_at=timezone.now())
    review.refresh_from_db()
    yield from pages("invited", "reviews:family_home", args=[])
    yield from pages("invited", "reviews:family_review", "reviews:advocacy",
                     "reviews:family_views")
    for slug in ("important", "own-views"):
        response = client.get(step(slug))
        assert response.status_code == 200
        yield Page("invited", step(slug), response.content.decode())

    do_save_family_views(review, parent, {"what_is_important": "Her dog, Biscuit.",
                                          "hard": "Loud rooms at lunchtime."})
    yield from pages("views saved", "reviews:family_views_check")
    do_send_family_views(review, parent)
    yield from pages("views sent", "reviews:family_views_sent")

    advice = submit(review, therapist)
    do_circulate_advice(review, actor=coordinator)
    yield from pages("advice circulated", "reviews:family_review", "reviews:advice_list")
    yield from pages("advice circulated", "reviews:advice_version", args=[review.pk, advice.pk])

    do_open_meeting(review, coordinator)
    change(review, coordinator, "recommendation.set", section="F",
           text="Weekly speech and language therapy.", agreed_by="Everyone")
    change(review, coordinator, "recommendation.set", section="", overall="amend",
           text="Provision in section F must change.", agreed_by="Everyone present")
    hold_meeting(review, coordinator)
    report = Report.objects.get(review=review)
    signoff.do_request_signoff(report, coordinator)
    yield from pages("draft report", "reviews:family_home", args=[])
    yield from pages("draft report", "reviews:family_review", "reports:draft")

    for person in (therapist, parent):
        signoff.do_confirm(report, person)
    publishing.do_publish_report(report, coordinator, version=1)
    review.refresh_from_db()
    yield from pages("report published", "reviews:family_review", "reports:published")

    hold_contacts(review.plan.child.authority)  # the letter names them, or it does not go
    do_record_decision(review, coordinator, outcome=Review.Decision.AMEND,
                       reasons="The provision in section F must change.",
                       proposed={"F": "Weekly speech and language therapy in school."})
    review.refresh_from_db()
    yield from pages("amendments proposed", "reviews:family_home", args=[])
    yield from pages("amendments proposed", "reviews:family_review", "decisions:notice",
                     "decisions:reply", "decisions:disagree")

    later = timezone.localdate() + dt.timedelta(days=16)
    amending.do_issue_final_plan(review, coordinator, {
        "F": "Weekly speech and language therapy in school, from a therapist."}, today=later)
    review.refresh_from_db()
    yield from pages("final plan sent", "reviews:family_review", "decisions:notice",
                     "decisions:mediation", "decisions:appeal")
    version = review.plan.versions.order_by("-number").first()
    yield from pages("final plan sent", "decisions:plan_version",
                     args=[review.pk, version.number])
