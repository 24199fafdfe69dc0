"""A review whose meeting has been held, the people around it, and the authority's contacts,
for every decisions test.

Fixed dates where the law's arithmetic is checked (the action functions take ``today``);
dates relative to today where a page is read (pages use today's date: the modules whose
outcome hangs on it freeze it, ON_TODAY).
"""

import datetime as dt

import pytest
from django.utils import timezone

from meeting.models import Meeting, Recommendation
from reviews.models import Review
from tests.browser.conftest import (  # noqa: F401
    as_persona,
    at_width,
    browser_page,
    chromium,
    phone_page,
)
from tests.conftest import hold_contacts
from tests.factories import PlanFactory, ReviewFactory
from tests.reviews.conftest import (  # noqa: F401  (fixtures used by the tests here)
    child,
    family_parent,
    invited_therapist,
    other_parent,
    refused,
    school,
    senco,
    uninvited_professional,
)

# A Wednesday: the decision is due on 31 March 2027, 4 weeks later.
MEETING = dt.date(2027, 3, 3)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def held_review(of_plan, coordinator, meeting: dt.date, status=Review.Status.REPORT_SENT,
                **fields) -> Review:
    """A review whose meeting was held on ``meeting``; from REPORT_SENT on, its report was
    published a week later."""
    if status in Review.ORDER[Review.ORDER.index(Review.Status.REPORT_SENT):]:
        fields.setdefault("report_sent_on", meeting + dt.timedelta(days=7))
    return ReviewFactory(plan=of_plan, coordinator=coordinator,
                         due_by=meeting + dt.timedelta(days=20), meeting_at=at(meeting),
                         status=status, **fields)


@pytest.fixture
def plan(child):  # noqa: F811  (the imported fixture, by name)
    return PlanFactory(child=child)


@pytest.fixture
def review(plan, coordinator):
    """Held on 3 March 2027; the report has gone."""
    return held_review(plan, coordinator, MEETING)


@pytest.fixture
def recent_review(plan, coordinator):
    """Held 10 days ago: the decision is due in 18 days."""
    return held_review(plan, coordinator, timezone.localdate() - dt.timedelta(days=10))


@pytest.fixture
def recommendations(review, coordinator):
    """The meeting recommended amending sections F and I."""
    meeting = Meeting.objects.create(review=review, closed_at=at(MEETING, 12))
    Recommendation.objects.create(meeting=meeting, section="", overall="amend",
                                  updated_by=coordinator)
    Recommendation.objects.create(meeting=meeting, section="F", updated_by=coordinator,
                                  text="Add a daily check-in with the key adult after lunch.")
    Recommendation.objects.create(meeting=meeting, section="I", updated_by=coordinator,
                                  text="Name Testshire Secondary from September.")
    return meeting


@pytest.fixture(autouse=True)
def contacts(db, authority):
    """Every contact a letter names (tests of a letter refused remove one)."""
    return hold_contacts(authority)
