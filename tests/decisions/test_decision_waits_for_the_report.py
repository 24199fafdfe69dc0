"""Order of steps: the decision waits for the published report of the meeting (or records
why not), and a stage is "Completed" only when it is (issue 16, item 5)."""

import datetime as dt
import html as html_text
import re

import pytest
from django.urls import reverse

from decisions.deciding import do_record_decision
from decisions.models import Decision
from reviews.models import Review
from tests.conftest import sign_in
from tests.decisions.conftest import held_review

pytestmark = pytest.mark.django_db

TODAY = dt.date.today


@pytest.fixture
def out_for_signoff(plan, coordinator):
    """Held 10 days ago; the report is still being confirmed, so not published."""
    return held_review(plan, coordinator, TODAY() - dt.timedelta(days=10),
                       status=Review.Status.MEETING_HELD)


def stages(client, review) -> dict[str, str]:
    """The review page's stage list: name -> its status as shown."""
    html = client.get(reverse("reviews:review", args=[review.pk])).content.decode()
    listed = html.split("Stages of the review")[1]
    rows = re.findall(r'govuk-task-list__link"[^>]*>([^<]+)</a>.*?'
                      r'class="govuk-task-list__status[^"]*" id="task-\d+-status">(.*?)</div>',
                      listed, flags=re.DOTALL)
    return {html_text.unescape(name.strip()): re.sub(r"<[^>]+>", "", status).strip()
            for name, status in rows}


def test_a_decision_before_the_report_is_refused_without_a_reason(out_for_signoff,
                                                                  coordinator):
    with pytest.raises(Exception, match="not published yet") as refused:
        do_record_decision(out_for_signoff, coordinator, outcome="M", reasons="Fine.")
    assert refused.value.code == "no_report"
    assert not Decision.objects.exists()
    out_for_signoff.refresh_from_db()
    assert out_for_signoff.decision_sent_on is None


def test_once_the_report_is_published_no_reason_is_asked_or_kept(out_for_signoff,
                                                                 coordinator):
    Review.objects.filter(pk=out_for_signoff.pk).update(
        report_sent_on=TODAY(), status=Review.Status.REPORT_SENT)
    out_for_signoff.refresh_from_db()
    decision = do_record_decision(out_for_signoff, coordinator, outcome="M", reasons="Fine.",
                                  before_report_reason="Not needed.")
    assert decision.before_report_reason == ""


def test_the_form_asks_why_and_keeps_what_was_typed(client, out_for_signoff, coordinator):
    sign_in(client, coordinator)
    url = reverse("decisions:record_outcome", args=[out_for_signoff.pk, "maintain"])
    page = client.get(url).content.decode()
    assert "The report of the meeting is not published yet" in page
    assert 'name="before_report_reason"' in page
    refused = client.post(url, {"reasons": "The plan is working well."})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "say why the decision cannot wait for it" in html
    assert "The plan is working well." in html
    assert not Decision.objects.exists()
    sent = client.post(url, {"reasons": "The plan is working well.",
                             "before_report_reason": "The report is late; the decision is "
                                                     "due in 2 days."})
    assert sent.status_code == 302
    assert Decision.objects.get().before_report_reason.startswith("The report is late")


def test_the_report_stage_is_not_completed_while_unpublished(client, out_for_signoff,
                                                             coordinator):
    do_record_decision(out_for_signoff, coordinator, outcome="A", reasons="Change F.",
                       proposed={"F": "More help."},
                       before_report_reason="The report is late.")
    sign_in(client, coordinator)
    listed = stages(client, out_for_signoff)
    assert listed["The joint outcome report"] != "Completed"
    assert listed["The local authority's decision"] == "Completed"
    assert listed["The meeting"] == "Completed"
