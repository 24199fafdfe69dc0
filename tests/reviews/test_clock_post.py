"""The family's own time counts from the day a letter by post was posted, when that is
later than the day it was sent: never shortened by the days it waited to be printed. The
council's deadlines still count from the day it sent the notice."""

import datetime as dt

from reviews import clock

MEETING = dt.date(2027, 3, 3)
SENT = dt.date(2027, 3, 24)
POSTED = dt.date(2027, 3, 26)


def test_served_on_is_the_later_of_sent_and_posted():
    assert clock.served_on(None, POSTED) is None
    assert clock.served_on(SENT, None) == SENT
    assert clock.served_on(SENT, POSTED) == POSTED
    assert clock.served_on(POSTED, SENT) == POSTED


def test_the_15_days_for_comments_count_from_posting_and_the_8_weeks_from_sending():
    emailed = clock.review_deadlines(meeting=MEETING, outcome=clock.Outcome.AMEND,
                                     decision_sent=SENT, amendment_notice_sent=SENT)
    posted = clock.review_deadlines(meeting=MEETING, outcome=clock.Outcome.AMEND,
                                    decision_sent=SENT, amendment_notice_sent=SENT,
                                    decision_posted=POSTED)
    assert (emailed.representations_end, posted.representations_end) == (
        dt.date(2027, 4, 7), dt.date(2027, 4, 9))
    assert posted.final_plan_due == emailed.final_plan_due == dt.date(2027, 5, 19)
    assert posted.decision_due == emailed.decision_due


def test_mediation_and_appeal_count_from_the_posting_of_the_letter_they_can_appeal():
    maintain = clock.review_deadlines(meeting=MEETING, outcome=clock.Outcome.MAINTAIN,
                                      decision_sent=SENT, decision_posted=POSTED)
    assert maintain.mediation_contact_by == dt.date(2027, 5, 26)
    assert maintain.appeal_deadline == dt.date(2027, 5, 26)
    # An amendment is appealed from the final plan: posting the decision letter moves the
    # comments, posting the final plan moves mediation and the appeal.
    final = dt.date(2027, 4, 20)
    amend = clock.review_deadlines(meeting=MEETING, outcome=clock.Outcome.AMEND,
                                   decision_sent=SENT, amendment_notice_sent=SENT,
                                   final_plan_sent=final, decision_posted=POSTED,
                                   final_plan_posted=dt.date(2027, 4, 22))
    assert amend.mediation_contact_by == dt.date(2027, 6, 22)
    assert amend.appeal_deadline == dt.date(2027, 6, 22)


def test_an_appeal_date_counted_from_posting_still_leaves_august():
    # Posted 30 June: 2 months ends 30 August, in the Tribunal's August window.
    late = clock.review_deadlines(meeting=MEETING, outcome=clock.Outcome.MAINTAIN,
                                  decision_sent=dt.date(2027, 6, 28),
                                  decision_posted=dt.date(2027, 6, 30))
    assert late.appeal_deadline == dt.date(2027, 9, 1)
