"""When the family win their appeal: the officer records the Tribunal's order, and the
council's compliance dates (SEND Regs 2014 reg 44) go on the clock, the coordinator's page
and reminders, the family's letter and page, and the dashboards."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from decisions.deciding import do_record_decision
from decisions.disagreeing import do_record_facts, do_record_order
from decisions.models import TribunalOrder
from decisions.reminders import remind_coordinators
from outbox.models import Email
from reviews.clock import OrderRequirement
from reviews.models import Event
from tests.conftest import sign_in
from tests.decisions.conftest import MEETING

pytestmark = pytest.mark.django_db

LETTER = dt.date(2027, 3, 24)
APPEALED = dt.date(2027, 5, 10)
ORDER = dt.date(2027, 9, 10)  # a Friday
PROVISION_BY = dt.date(2027, 10, 15)  # 5 weeks (reg 44(2)(e), (h))
PLACEMENT_BY = dt.date(2027, 9, 24)  # 2 weeks (reg 44(2)(f))
CONTINUE, PROVISION, PLACEMENT = (OrderRequirement.CONTINUE, OrderRequirement.AMEND_PROVISION,
                                  OrderRequirement.AMEND_PLACEMENT)


@pytest.fixture
def won(review, coordinator, family_parent):
    """A decision to cease, appealed, and the appeal decided for the family."""
    do_record_decision(review, coordinator, outcome="C", reasons="Needs met.",
                       cease_ground="not_necessary", family_consulted_on=MEETING,
                       setting_consulted_on=MEETING, today=LETTER)
    do_record_facts(review, coordinator, {"appeal_made_on": APPEALED,
                                          "appeal_decided_on": ORDER},
                    appeal_result="family", today=ORDER)
    review.refresh_from_db()
    return review


def order_page(review):
    return f"/reviews/{review.pk}/decision/tribunal-order/"


def test_the_order_puts_the_las_compliance_dates_on_the_clock(won, coordinator, family_parent):
    do_record_order(won, coordinator, made_on=ORDER, requires={CONTINUE, PROVISION, PLACEMENT},
                    today=ORDER)
    do_record_order(won, coordinator, made_on=ORDER, requires={CONTINUE, PROVISION, PLACEMENT},
                    today=ORDER)
    order = TribunalOrder.objects.get()
    dates = won.deadlines(**order.decision.clock_facts())
    assert (dates.order_provision_due, dates.order_placement_due) == (PROVISION_BY, PLACEMENT_BY)
    event = Event.objects.get(review=won, kind="tribunal.order")
    assert "amend the needs or provision by 15 October 2027" in event.summary
    assert "name a different school or college by 24 September 2027" in event.summary
    assert Email.objects.filter(to=family_parent.email,
                                subject__startswith="The Tribunal's order").count() == 1
    assert Email.objects.filter(to=coordinator.email,
                                subject__startswith="The Tribunal's order is recorded").count() == 1


def test_the_officer_records_it_on_a_page_that_keeps_what_was_typed(client, won, coordinator):
    sign_in(client, coordinator)
    assert "Record the Tribunal&#x27;s order" in client.get(f"/reviews/{won.pk}/").content.decode()
    page = client.get(order_page(won)).content.decode()
    assert 'value="10"' in page and 'value="2027"' in page, "the appeal's date to start from"
    response = client.post(order_page(won), {
        "made_on_0": "10", "made_on_1": "9", "made_on_2": "2027",
        "provision_amended_on_0": "1", "provision_amended_on_1": "10",
        "provision_amended_on_2": "2027"})
    page = response.content.decode()
    assert response.status_code == 200 and "Select what the Tribunal ordered" in page
    assert 'value="1"' in page, "the typed compliance date is kept"
    assert not TribunalOrder.objects.exists()


def test_an_order_is_only_for_an_appeal_the_family_won(client, review, coordinator):
    do_record_decision(review, coordinator, outcome="M", reasons="Fine.", today=LETTER)
    with pytest.raises(ValidationError, match="decided for the family first"):
        do_record_order(review, coordinator, made_on=ORDER, requires={PROVISION}, today=ORDER)
    sign_in(client, coordinator)
    assert client.get(order_page(review)).status_code == 404


@pytest.mark.parametrize(("facts", "message"), [
    ({"requires": set()}, "Say what the Tribunal ordered"),
    ({"made_on": APPEALED - dt.timedelta(days=1)}, "on or after the appeal was made"),
    ({"made_on": ORDER + dt.timedelta(days=1)}, "today or in the past"),
    ({"placement_amended_on": ORDER}, "did not require the council to name a different school"),
    ({"provision_amended_on": ORDER - dt.timedelta(days=1)}, "on or after the order"),
])
def test_an_order_that_cannot_be_true_is_refused_with_a_clear_message(won, coordinator, facts,
                                                                      message):
    given = {"made_on": ORDER, "requires": {PROVISION}} | facts
    with pytest.raises(ValidationError, match=message):
        do_record_order(won, coordinator, **given, today=ORDER)
    assert not TribunalOrder.objects.exists()


def test_the_family_see_what_the_council_must_do_and_by_when(client, won, coordinator,
                                                            family_parent):
    do_record_order(won, coordinator, made_on=ORDER, requires={CONTINUE, PROVISION},
                    today=ORDER)
    sign_in(client, family_parent)
    letter = client.get(f"/reviews/{won.pk}/decision/").content.decode()
    section = letter.split('id="order"')[1].split("</ul>")[0]
    assert "The Tribunal decided the appeal for you on 10 September 2027" in section
    assert "We must send you the plan with the changes by <strong>15 October 2027</strong>" \
        in section
    # The plan stayed (the appeal against ceasing was won), so the next review is open; its
    # page carries the earlier decision while the council has not complied.
    following = won.plan.reviews.open().get()
    page = client.get(f"/reviews/{following.pk}/family/").content.decode()
    assert "The council must send you Amira&#x27;s plan, changed as the Tribunal ordered, by " \
           "15 October 2027." in page
    assert "The council must send you the plan changed as the Tribunal ordered by" in page


def test_complying_late_is_the_councils_lateness_on_the_review(client, won, coordinator):
    do_record_order(won, coordinator, made_on=ORDER, requires={PROVISION}, today=ORDER)
    complied = PROVISION_BY + dt.timedelta(days=5)
    do_record_order(won, coordinator, made_on=ORDER, requires={PROVISION},
                    provision_amended_on=complied, today=complied)
    assert not TribunalOrder.objects.get().outstanding
    sign_in(client, coordinator)
    page = client.get(f"/reviews/{won.pk}/").content.decode()
    assert ("<strong>Issue the plan amended as the Tribunal ordered</strong>: done 5 days late. "
            "It was due by 15 October 2027 and was done on 20 October 2027.") in page
    assert "SEND Regs 2014 reg 44(2)(e), (h)" in page


def test_the_coordinator_is_reminded_before_and_told_once_when_late(won, coordinator):
    do_record_order(won, coordinator, made_on=ORDER, requires={PLACEMENT}, today=ORDER)
    Email.objects.all().delete()
    assert remind_coordinators(PLACEMENT_BY - dt.timedelta(days=8))["decision_reminders"] == 0
    assert remind_coordinators(PLACEMENT_BY - dt.timedelta(days=3))["decision_reminders"] == 1
    assert remind_coordinators(PLACEMENT_BY - dt.timedelta(days=2))["decision_reminders"] == 0
    assert remind_coordinators(PLACEMENT_BY + dt.timedelta(days=1))["decision_reminders"] == 1
    subjects = list(Email.objects.filter(to=coordinator.email).values_list("subject", flat=True))
    assert [s.split(":")[0] for s in subjects] == [
        "The plan naming the setting the Tribunal ordered is due on 24 September 2027",
        "The plan naming the setting the Tribunal ordered is late (due 24 September 2027)"]
    do_record_order(won, coordinator, made_on=ORDER, requires={PLACEMENT},
                    placement_amended_on=PLACEMENT_BY, today=PLACEMENT_BY + dt.timedelta(days=2))
    assert remind_coordinators(PLACEMENT_BY + dt.timedelta(days=3))["decision_reminders"] == 0
