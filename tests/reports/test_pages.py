"""The report's pages: the published document (GOV.UK, printable, nothing inline), the
panels on the review pages, and a bounded number of queries however many people take part."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agencies.models import Discipline, Role
from reports import presenters, signoff
from reports.drafting import do_save_draft
from reports.models import Report
from reports.publishing import do_publish_report
from reviews.family import do_save_family_views, do_send_family_views
from reviews.models import FamilyViews
from tests.conftest import make_person, sign_in
from tests.reports.conftest import hold_meeting
from tests.reviews.conftest import invite_person
from tests.reviews.test_family_views_file import PNG_BYTES

pytestmark = pytest.mark.django_db


def publish(review, coordinator, *confirming):
    report = Report.objects.get(review=review)
    signoff.do_request_signoff(report, coordinator)
    for person in confirming:
        signoff.do_confirm(Report.objects.get(pk=report.pk), person)
    return do_publish_report(Report.objects.get(pk=report.pk), coordinator, version=1)


@pytest.fixture
def published(held_review, coordinator, family_parent, invited_therapist):
    return publish(held_review, coordinator, family_parent, invited_therapist)


def test_the_published_report_is_a_gov_uk_document_that_prints(held_review, published,
                                                               family_parent, client):
    client.force_login(family_parent)
    html = client.get(reverse("reports:published", args=[held_review.pk])).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "Amira" not in title and "AE (T-0001)" in title
    assert '<link rel="stylesheet" href="/static/portal/report-print.css">' in html
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "no inline scripts"
    for heading in ("Overall recommendation", "Who was there", "The child's and family's "
                    "views", "Progress on each outcome", "Advice from each agency",
                    "What was discussed", "Actions agreed", "Recommended changes to the plan",
                    "Differences of view", "What happens next"):
        assert f">{heading}</h2>" in html, heading
    assert "Amend the plan" in html and "Section F: Special educational provision" in html
    assert "Speech is not on track at home." in html and "Pat Parent" in html
    advice_id = published.content["advice"][0]["advice_id"]
    assert reverse("reviews:advice_version", args=[held_review.pk, advice_id]) in html
    assert "Version 1, published on" in html


def test_the_print_stylesheet_is_for_a4_paper():
    from django.contrib.staticfiles import finders

    with open(finders.find("portal/report-print.css"), encoding="utf-8") as sheet:
        css = sheet.read()
    assert "@media print" in css and "size: A4" in css
    assert "break-inside: avoid" in css


def test_the_review_page_panel_follows_the_report(held_review, coordinator, family_parent,
                                                  invited_therapist, signed_in):
    client = signed_in(coordinator)
    url = reverse("reviews:review", args=[held_review.pk])
    assert "Not yet sent to the people at the review to confirm." in \
        client.get(url).content.decode()
    report = Report.objects.get(review=held_review)
    signoff.do_request_signoff(report, coordinator)
    signoff.do_confirm(Report.objects.get(pk=report.pk), family_parent)
    html = client.get(url).content.decode()
    assert "Waiting for people to confirm the draft" in html
    assert "1 person confirmed, 0 comments" in html
    signoff.do_confirm(Report.objects.get(pk=report.pk), invited_therapist)
    do_publish_report(Report.objects.get(pk=report.pk), coordinator, version=1)
    html = client.get(url).content.decode()
    assert "Published: version 1" in html
    assert reverse("reports:published", args=[held_review.pk]) in html


def test_the_family_page_links_to_the_draft_to_check_then_the_report(
        held_review, coordinator, family_parent, invited_therapist, client):
    client.force_login(family_parent)
    url = reverse("reviews:family_review", args=[held_review.pk])
    assert reverse("reports:draft", args=[held_review.pk]) not in client.get(url).content.decode()
    report = Report.objects.get(review=held_review)
    signoff.do_request_signoff(report, coordinator)
    html = client.get(url).content.decode()
    assert "Check the draft report" in html
    signoff.do_confirm(Report.objects.get(pk=report.pk), family_parent)
    signoff.do_confirm(Report.objects.get(pk=report.pk), invited_therapist)
    do_publish_report(Report.objects.get(pk=report.pk), coordinator, version=1)
    html = client.get(url).content.decode()
    assert "Read the report of the meeting" in html
    assert "Check the draft report" not in html


def test_the_panel_reads_the_report_in_one_query(held_review, django_assert_num_queries):
    with django_assert_num_queries(1):
        report = presenters.report_with_counts(held_review)
    assert report.confirmed is None and report.published_version is None


def add_people_and_drafts(review, report, n, nhs_trust, coordinator):
    for i in range(n):
        person = make_person(f"p{i}@test.example", "P", str(i), mfa=False)
        invite_person(review, person, agency=nhs_trust)
        signoff.do_confirm(Report.objects.get(pk=report.pk), person)
        signoff.do_comment(Report.objects.get(pk=report.pk), person, f"Comment {i}")
        report = Report.objects.get(pk=report.pk)
        do_save_draft(report, coordinator, {**report.content, "actions": [
            {"what": f"Action {i}", "who": "Sue", "due_on": ""}]},
            base_revision=report.latest_revision_id)


@pytest.mark.parametrize("n", [2, 25])
def test_the_pages_run_a_bounded_number_of_queries(held_review, coordinator, nhs_trust, n,
                                                   signed_in, django_assert_max_num_queries):
    report = Report.objects.get(review=held_review)
    signoff.do_request_signoff(report, coordinator)
    add_people_and_drafts(held_review, report, n, nhs_trust, coordinator)
    client = signed_in(coordinator)
    pages = {"outcome": 20, "draft": 16, "edit": 14, "history": 27, "publish": 19,
             "review": 20}
    for name, limit in pages.items():
        with django_assert_max_num_queries(limit):
            url = reverse(f"{'reviews' if name == 'review' else 'reports'}:{name}",
                          args=[held_review.pk])
            assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("n", [2, 25])
def test_the_published_report_runs_a_bounded_number_of_queries(
        held_review, coordinator, family_parent, invited_therapist, n, client,
        django_assert_max_num_queries):
    publish(held_review, coordinator, family_parent, invited_therapist)
    report = Report.objects.get(review=held_review)
    for i in range(1, n):
        content = {**report.content, "actions": [{"what": f"Do {i}", "who": "Sue",
                                                  "due_on": ""}]}
        Report.objects.filter(pk=report.pk).update(content=content)
        do_publish_report(Report.objects.get(pk=report.pk), coordinator, version=i + 1,
                          reason=f"Correction {i}")
    client.force_login(family_parent)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:published", args=[held_review.pk])).status_code \
            == 200


def test_the_report_links_the_childs_picture_only_for_those_who_may_open_it(
        met_review, coordinator, family_parent, invited_therapist, nhs_trust):
    do_save_family_views(met_review, family_parent, {}, upload=SimpleUploadedFile(
        "drawing.png", PNG_BYTES, content_type="image/png"))
    do_send_family_views(met_review, family_parent)
    publish(hold_meeting(met_review, coordinator), coordinator, family_parent, invited_therapist)
    lead = make_person("lead@test.example", "Lena", "Lead", nhs_trust, Role.LEAD,
                       Discipline.DESIGNATED_CLINICAL_OFFICER)
    link = reverse("reviews:family_views_file",
                   args=[met_review.pk, FamilyViews.objects.get(review=met_review).pk])
    pages = {}
    for person in (invited_therapist, lead):
        client = Client()
        sign_in(client, person)
        page = client.get(reverse("reports:published", args=[met_review.pk]))
        assert page.status_code == 200, person
        pages[person] = page.content.decode()
    assert link in pages[invited_therapist]
    assert link not in pages[lead] and "the picture or recording they sent" not in pages[lead]
