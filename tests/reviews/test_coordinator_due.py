"""'Reviews needing action': what is due or under way, filtered, most urgent first."""

import datetime as dt

import pytest
from django.utils import timezone

from agencies.models import Agency
from reviews import clock
from reviews.clock_sql import born_in_year_group
from reviews.models import Review
from tests.conftest import ON_TODAY, sign_in
from tests.factories import AgencyFactory, ChildFactory, PlanFactory, ReviewFactory

pytestmark = [pytest.mark.django_db, ON_TODAY]

URL = "/reviews/due/"


def add_review(plan, coordinator, due_in_days, status=Review.Status.DUE, **fields):
    return ReviewFactory(plan=plan, coordinator=coordinator, status=status,
                         due_by=timezone.localdate() + dt.timedelta(days=due_in_days), **fields)


def many_reviews(authority, setting, coordinator, n):
    for i in range(n):
        plan = PlanFactory(child__authority=authority, child__setting=setting,
                           child__date_of_birth=dt.date(2012 + i % 8, 1 + i % 12, 1 + i % 28))
        add_review(plan, coordinator, due_in_days=i % 90 - 10,
                   status=[Review.Status.DUE, Review.Status.SCHEDULED,
                           Review.Status.INVITATIONS_SENT][i % 3])


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_people_who_coordinate_nothing_are_refused(client, refused, therapist):
    for person in [*refused, therapist]:
        client.logout()
        sign_in(client, person)
        assert client.get(URL).status_code == 404, person


def test_a_coordinator_sees_reviews_due_soon_late_or_under_way_but_not_later_ones(
        client, coordinator, plan):
    soon = add_review(plan, coordinator, due_in_days=30)
    late = add_review(plan, coordinator, due_in_days=-3)
    under_way = add_review(plan, coordinator, due_in_days=200, status=Review.Status.SCHEDULED)
    later = add_review(plan, coordinator, due_in_days=120)
    closed = add_review(plan, coordinator, due_in_days=5, status=Review.Status.CLOSED)
    sign_in(client, coordinator)
    page = client.get(URL)
    shown = [s.review_id for s in page.context["summaries"]]
    assert shown == [late.pk, soon.pk, under_way.pk], "most urgent first"
    assert later.pk not in shown and closed.pk not in shown
    html = page.content.decode()
    assert "Amira Example" in html and "T-0001" in html
    assert "govuk-tag--red" in html and "3 days late" in html


def test_the_page_title_never_carries_a_name(client, coordinator, plan):
    add_review(plan, coordinator, due_in_days=3)
    sign_in(client, coordinator)
    html = client.get(URL).content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert "Amira" not in title and title.startswith("Reviews needing action")


def test_a_senco_sees_only_their_own_setting(client, senco, coordinator, plan, authority):
    other_school = AgencyFactory(name="Elsewhere Academy", kind=Agency.Kind.SCHOOL)
    ours = add_review(plan, coordinator, due_in_days=10)
    add_review(PlanFactory(child__setting=other_school), coordinator, 10)
    sign_in(client, senco)
    assert [s.review_id for s in client.get(URL).context["summaries"]] == [ours.pk]


def test_counts_say_what_is_next(client, coordinator, plan):
    add_review(plan, coordinator, 10)
    add_review(plan, coordinator, 10)
    add_review(plan, coordinator, 10, status=Review.Status.SCHEDULED)
    sign_in(client, coordinator)
    counts = {step.key: n for step, n in client.get(URL).context["counts"]}
    assert (counts["schedule"], counts["invite"], counts["hold_meeting"]) == (2, 1, 0)


def test_filters_by_setting_coordinator_status_and_kind(client, coordinator, senco, plan,
                                                        authority):
    other_school = AgencyFactory(name="Elsewhere Academy", kind=Agency.Kind.SCHOOL)
    elsewhere = add_review(PlanFactory(child__setting=other_school), coordinator, 10,
                           kind=Review.Kind.PHASE_TRANSFER)
    mine = add_review(plan, coordinator, 20, status=Review.Status.SCHEDULED)
    theirs = add_review(plan, senco, 30)
    sign_in(client, coordinator)

    def shown(**query):
        return [s.review_id for s in client.get(URL, query).context["summaries"]]

    assert shown(setting=other_school.pk) == [elsewhere.pk]
    assert shown(coordinator=senco.pk) == [theirs.pk]
    assert shown(status="scheduled") == [mine.pk]
    assert shown(kind="transfer") == [elsewhere.pk]
    page = client.get(URL, {"kind": "transfer"}).content.decode()
    assert "Kind of review: Phase transfer review" in page and "Clear filters" in page


def test_year_group_filter_runs_in_the_database(client, coordinator, authority, school):
    today = timezone.localdate()
    year_9 = dt.date(today.year - 14 if today.month >= 9 else today.year - 15, 12, 1)
    in_year_9 = add_review(PlanFactory(child__setting=school, child__date_of_birth=year_9),
                           coordinator, 10)
    held_back = PlanFactory(child__setting=school, child__year_group_offset=-1,
                            child__date_of_birth=year_9.replace(year=year_9.year - 1))
    also_year_9 = add_review(held_back, coordinator, 11)
    add_review(PlanFactory(child__setting=school,
                           child__date_of_birth=year_9.replace(year=year_9.year + 5)),
               coordinator, 12)
    sign_in(client, coordinator)
    page = client.get(URL, {"year_group": 9})
    assert [s.review_id for s in page.context["summaries"]] == [in_year_9.pk, also_year_9.pk]
    assert all(s.year_group == 9 for s in page.context["summaries"])


@pytest.mark.parametrize("born", [dt.date(2012, 9, 1), dt.date(2013, 8, 31),
                                  dt.date(2012, 2, 29), dt.date(2011, 8, 31),
                                  dt.date(2013, 9, 1)])
def test_the_year_group_filter_agrees_with_the_clock(authority, school, born):
    today = dt.date(2026, 11, 2)
    child = ChildFactory(setting=school, date_of_birth=born)
    for year in (8, 9, 10):
        for offset in (-1, 0, 1):
            child.year_group_offset = offset
            child.save()
            matches = type(child).objects.filter(
                born_in_year_group(year, today, [offset]), pk=child.pk).exists()
            assert matches == (clock.year_group(born, today, offset=offset) == year)


def test_pages_of_25_keep_the_filters_in_their_links(client, coordinator, authority, school):
    many_reviews(authority, school, coordinator, 60)
    sign_in(client, coordinator)
    page = client.get(URL, {"kind": "annual", "page": 3})
    assert page.context["page"].number == 3 and len(page.context["summaries"]) == 10
    html = page.content.decode()
    assert "?kind=annual&amp;page=2" in html and "govuk-pagination" in html
    assert "(page 3 of 3)" in html


@pytest.mark.parametrize("n", [10, 200])
def test_the_page_runs_the_same_bounded_number_of_queries_at_any_size(
        client, coordinator, authority, school, n, django_assert_max_num_queries):
    many_reviews(authority, school, coordinator, n)
    sign_in(client, coordinator)
    # Session, user, MFA checks and the session save are 7 of these; the page's own are
    # the standing, two filter choices, two counts, the page count and the page; and the
    # authority's name for the header, read once until it is cached.
    with django_assert_max_num_queries(15):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(15):  # plus the out-of-year offsets in use
        assert client.get(URL, {"year_group": 9, "status": "due"}).status_code == 200
