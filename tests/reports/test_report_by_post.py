"""The published report goes by post too, to a family member without email: each version
once, as the report's page shows it."""

import io

import pytest
from pypdf import PdfReader

from reports import signoff
from reports.drafting import do_save_draft
from reports.models import Report
from reports.publishing import do_publish_report
from reviews import post
from reviews.models import FamilyMember, PostalLetter

pytestmark = pytest.mark.django_db


def test_each_version_of_the_report_is_a_letter_once(held_review, coordinator, family_parent,
                                                     invited_therapist):
    FamilyMember.objects.create(child=held_review.plan.child, name="Rania Example",
                                by_post=True, address_line_1="12 Mill Lane",
                                town="Testbridge", postcode="TB1 2AB")
    report = Report.objects.get(review=held_review)
    signoff.do_request_signoff(report, coordinator)
    report.refresh_from_db()
    signoff.do_confirm(report, family_parent)
    signoff.do_confirm(report, invited_therapist)
    for _ in range(2):  # a double submit publishes once
        do_publish_report(report, coordinator, version=1)
    [letter] = PostalLetter.objects.filter(kind="report")
    pdf = post.render_pdf(letter)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Rania Example 12 Mill Lane Testbridge TB1 2AB" in text
    assert "Report of the review meeting" in text and "I like trains." in text

    do_save_draft(report, coordinator, {**report.content, "views": {
        **report.content["views"], "child": "I like trains and cats."}},
        base_revision=report.latest_revision_id)
    do_publish_report(Report.objects.get(pk=report.pk), coordinator, version=2,
                      reason="Her own words were cut short.")
    assert list(PostalLetter.objects.filter(kind="report").values_list("edition", flat=True)
                .order_by("edition")) == [1, 2]
