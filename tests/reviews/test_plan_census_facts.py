"""What the SEN2 return needs to know of a plan beyond its text: when it ceased, whether it
was transferred in from another authority, and its primary type of need. Staff keep them on
the plan's admin page; the database refuses what cannot be true; the upgrade dates the plans
already ceased from their events."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews import events
from reviews.models import Plan, Review
from tests.conftest import sign_in
from tests.factories import ChildFactory, PlanFactory, ReviewFactory

PLANS = "/cms/reviews/plans/"
ISSUED = dt.date(2025, 1, 20)  # PlanFactory's


@pytest.fixture
def staff_client(client, staff):
    sign_in(client, staff)
    return client


def plan_form(plan, **fields):
    """The plan's admin form as it stands, with `fields` changed."""
    data = {"child": plan.child_id, "kind": "ehcp", "status": plan.status,
            "first_issued_on": plan.first_issued_on.isoformat(), "ceased_on": "",
            "primary_need": "", "transferred_in_from": "", "transferred_in_on": "",
            "outcomes-TOTAL_FORMS": 0, "outcomes-INITIAL_FORMS": 0,
            "outcomes-MIN_NUM_FORMS": 0, "outcomes-MAX_NUM_FORMS": 1000}
    return {**data, **fields}


def edit(client, plan, **fields):
    return client.post(f"{PLANS}edit/{plan.pk}/", plan_form(plan, **fields))


@pytest.mark.django_db
def test_staff_record_a_plans_census_facts(staff_client, plan):
    response = edit(staff_client, plan, status="ceased", ceased_on="2026-03-31",
                    primary_need="ASD", transferred_in_from="919",
                    transferred_in_on="2025-06-02")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.ceased_on, plan.primary_need, plan.transferred_in_from,
            plan.transferred_in_on) == ("ceased", dt.date(2026, 3, 31), "ASD", "919",
                                        dt.date(2025, 6, 2))


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "message"), [
    ({"status": "ceased"}, "Enter the date the plan ceased"),
    ({"status": "ceased", "ceased_on": "2099-01-01"},
     "The date the plan ceased must be today or in the past"),
    ({"ceased_on": "2026-03-31"}, "A plan with the date it ceased must be marked as ceased"),
    ({"status": "ceased", "ceased_on": "2024-12-31"},
     "A plan cannot cease before it was first issued"),
    ({"transferred_in_from": "919"}, "needs both the authority it came from and the day"),
    ({"transferred_in_from": "91", "transferred_in_on": "2025-06-02"},
     "three-digit DfE number"),
    ({"transferred_in_from": "998", "transferred_in_on": "2025-06-02"},
     "not this one"),
    ({"transferred_in_from": "919", "transferred_in_on": "2024-06-02"},
     "cannot be taken over before it was first issued"),
    ({"transferred_in_from": "919", "transferred_in_on": "2025-06-02", "status": "ceased",
      "ceased_on": "2025-05-01"}, "cannot cease here before this authority took it over"),
])
def test_what_cannot_be_true_is_refused_with_a_message_and_what_was_typed_is_kept(
        staff_client, plan, fields, message):
    response = edit(staff_client, plan, primary_need="SLCN", **fields)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'value="SLCN" selected' in html, "the form keeps what was chosen"
    plan.refresh_from_db()
    assert (plan.status, plan.ceased_on, plan.primary_need) == ("active", None, "")


@pytest.mark.django_db
def test_the_database_refuses_a_ceased_date_on_an_active_plan_and_a_half_transfer(plan):
    for wrong in ({"ceased_on": dt.date(2026, 1, 1)}, {"transferred_in_from": "919"},
                  {"status": "ceased", "ceased_on": dt.date(2024, 1, 1)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Plan.objects.filter(pk=plan.pk).update(**wrong)


@pytest.mark.django_db
def test_in_force_on_a_day(authority, school):
    def plan_of(ref, **facts):
        made = PlanFactory(child=ChildFactory(setting=school, la_reference=ref))
        Plan.objects.filter(pk=made.pk).update(**facts)
        return made

    day = dt.date(2026, 1, 15)
    active = plan_of("A")
    ceased_after = plan_of("B", status="ceased", ceased_on=dt.date(2026, 1, 16))
    plan_of("C", status="ceased", ceased_on=day)  # ceased that day: not in force on it
    plan_of("D", status="ceased")  # no date: nobody can say
    plan_of("E", first_issued_on=dt.date(2026, 1, 16))
    taken_over = plan_of("F", transferred_in_from="919", transferred_in_on=day)
    plan_of("G", transferred_in_from="919", transferred_in_on=dt.date(2026, 1, 16))
    assert set(Plan.objects.in_force_on(day)) == {active, ceased_after, taken_over}
    assert [p.child.la_reference for p in Plan.objects.ceased_undated()] == ["D"]


# The upgrade -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_dates_ceased_plans_from_their_events(migrator, authority, school,
                                                          coordinator):
    def ceased(ref, **data):
        made = PlanFactory(child=ChildFactory(setting=school, la_reference=ref))
        review = ReviewFactory(plan=made, coordinator=coordinator, due_by=ISSUED,
                               status=Review.Status.CLOSED)
        events.record(review, "plan.ceased", "The plan ceased", **data)
        Plan.objects.filter(pk=made.pk).update(status="ceased")
        return made

    ceased("T-1", ceased_on="2026-03-12")
    undated_event = ceased("T-2")
    ceased("T-3", ceased_on="2024-01-01")
    no_event = PlanFactory(child=ChildFactory(setting=school, la_reference="T-4"))
    Plan.objects.filter(pk=no_event.pk).update(status="ceased")
    recorded = undated_event.reviews.get().events.get(kind="plan.ceased").at
    migrator("reviews", "0011_calendar_feed_changes_and_replies")
    migrator("reviews", "0012_plan_census_facts")
    days = dict(Plan.objects.values_list("child__la_reference", "ceased_on"))
    assert days == {"T-1": dt.date(2026, 3, 12), "T-2": timezone.localdate(recorded),
                    "T-3": None, "T-4": None}, "no event, or one before the plan: no date"
