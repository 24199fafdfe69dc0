"""The dashboards' pages: who may see them, what they show, and how many queries."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.accountability.conftest import add_review, invite, submit
from tests.conftest import sign_in
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

PAGES = ["/accountability/", "/accountability/caseload/",
         "/accountability/timeliness/?year=2025", "/accountability/participation/?year=2025",
         "/accountability/advocacy/?year=2025", "/accountability/dfe/?year=2025",
         "/accountability/reviews/?table=timeliness&row=held&figure=counted&year=2025"]
YEAR = {"year": 2025}


def get(client, user, url, data=None):
    client.logout()
    sign_in(client, user)
    return client.get(url, data)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_families_contributors_and_strangers_see_no_dashboards(
        client, testshire, refused, family_parent, invited_therapist, psychologist, senco):
    for person in [*refused, family_parent, invited_therapist, psychologist, senco]:
        client.logout()
        sign_in(client, person)
        for url in PAGES:
            assert client.get(url).status_code == 404, (person, url)


def test_an_la_coordinator_sees_every_dashboard(client, testshire, coordinator):
    sign_in(client, coordinator)
    for url in PAGES:
        assert client.get(url).status_code == 200, url


def test_figures_are_accessible_tables_with_links_to_the_reviews_behind_them(
        client, testshire, coordinator):
    sign_in(client, coordinator)
    html = client.get("/accountability/timeliness/", YEAR).content.decode()
    assert html.count('<table class="govuk-table') == 4
    assert '<caption class="govuk-table__caption govuk-visually-hidden">Timeliness against ' \
        'the law</caption>' in html
    assert 'aria-describedby="table-timeliness-about"' in html
    assert '<th scope="row" class="govuk-table__header">Reviews held within 12 months</th>' \
        in html
    assert 'govuk-table__cell--numeric' in html and 'govuk-table__header--numeric' in html
    # The count of 6 reviews held on time links to them, with words for screen readers.
    link = re.search(r'<a class="govuk-link" href="([^"]+)" aria-label="6 on time, Reviews '
                     r'held within 12 months">6</a>', html)
    assert link, "the count links to its reviews"
    query = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)
    assert query["table"] == ["timeliness"] and query["row"] == ["held"]
    assert query["figure"] == ["on_time"] and query["year"] == ["2025"]
    # A chart beside it, hidden from assistive technology: the table is its source.
    assert '<div class="portal-bar-chart govuk-!-margin-bottom-6" aria-hidden="true">' in html
    assert "style=" not in html and "<script>" not in html  # the CSP allows neither
    assert "Kid" not in html  # no child's name on a dashboard


def test_every_table_offers_downloads_with_the_same_filters(client, testshire, coordinator,
                                                            school):
    sign_in(client, coordinator)
    html = client.get("/accountability/timeliness/",
                      {"year": 2025, "from_month": 3, "to_month": 6, "school": school.pk,
                       "rule": "decision"}).content.decode()
    for key in ("timeliness", "timeliness_by_month", "timeliness_by_school",
                "timeliness_by_coordinator"):
        for fmt in ("csv", "xlsx"):
            expected = (f"/accountability/exports/table/{key}/?year=2025&amp;from_month=3"
                        f"&amp;to_month=6&amp;school={school.pk}&amp;rule=decision"
                        f"&amp;format={fmt}")
            assert expected in html, (key, fmt)


def test_a_count_clicks_through_to_exactly_the_reviews_behind_it(client, testshire,
                                                                 coordinator):
    sign_in(client, coordinator)
    page = client.get("/accountability/reviews/", {
        "table": "timeliness", "row": "decision", "figure": "overdue", "year": 2025})
    assert page.status_code == 200
    html = page.content.decode()
    # R5 and R10: decisions overdue, named as every page names a child to a professional
    # (the full name and the reference), never in the title.
    assert {row["child"] for row in page.context["rows"]} == {
        "Kid5 Testshire (K-0005)", "Kid10 Testshire (K-0010)"}
    assert "Kid" not in html.split("</title>")[0]
    assert f'/reviews/{testshire["R5"].pk}/' in html
    assert "<title>Reviews behind a figure" in html


def test_the_list_behind_a_count_is_paged(client, coordinator, authority, school):
    for _ in range(30):
        add_review(ChildFactory(setting=school), coordinator, due=dt.date(2025, 5, 1))
    sign_in(client, coordinator)
    query = {"table": "timeliness", "row": "held", "figure": "counted", "year": 2025}
    first = client.get("/accountability/reviews/", query)
    assert len(first.context["rows"]) == 25 and first.context["next"]
    second = client.get("/accountability/reviews/", {**query, "page": 2})
    assert len(second.context["rows"]) == 5 and second.context["previous"]


def test_an_unknown_figure_is_a_404(client, testshire, coordinator):
    sign_in(client, coordinator)
    for query in ({"table": "nonsense", "row": "held", "figure": "on_time"},
                  {"table": "timeliness", "row": "nonsense", "figure": "on_time"},
                  {"table": "timeliness", "row": "held", "figure": "nonsense"},
                  {"table": "timeliness", "row": "held", "figure": "on_time", "year": "x"},
                  {"table": "coordinator_caseload", "row": "x", "figure": "open"}):
        assert client.get("/accountability/reviews/", query).status_code == 404, query


def test_an_agency_lead_sees_their_own_agency_and_nothing_of_the_authority(
        client, testshire, nhs_lead, ep_service):
    html = get(client, nhs_lead, "/accountability/participation/", YEAR).content.decode()
    assert "Testshire NHS Trust" in html and "Testshire Psychology Service" not in html
    for url in ("/accountability/timeliness/", "/accountability/advocacy/",
                "/accountability/dfe/"):
        assert client.get(url).status_code == 404, url
    assert "Coordinators" not in client.get("/accountability/caseload/").content.decode()
    # Their own counts click through; another agency's rows show nothing.
    own = client.get("/accountability/reviews/", {
        "table": "participation", "row": testshire["R1"].invitations.first().agency_id,
        "figure": "invitations", "year": 2025})
    assert own.context["page"].paginator.count == 5
    other = client.get("/accountability/reviews/", {
        "table": "participation", "row": ep_service.pk, "figure": "invitations",
        "year": 2025})
    assert other.status_code == 200 and other.context["page"].paginator.count == 0
    assert client.get("/accountability/reviews/", {
        "table": "timeliness", "row": "held", "figure": "counted"}).status_code == 404


def test_the_index_shows_the_authority_at_a_glance(client, testshire, coordinator, nhs_lead):
    html = get(client, coordinator, "/accountability/").content.decode()
    assert "Timeliness against the law" in html and 'href="/accountability/dfe/"' in html
    html = get(client, nhs_lead, "/accountability/").content.decode()
    assert "Agency participation" in html and 'href="/accountability/dfe/"' not in html


def test_every_dashboard_leads_to_the_exports_and_the_sen2_return(client, testshire,
                                                                   coordinator, nhs_lead):
    html = get(client, coordinator, "/accountability/timeliness/").content.decode()
    assert 'href="/accountability/exports/"' in html
    exports = client.get("/accountability/exports/").content.decode()
    assert 'href="/accountability/exports/sen2/"' in exports
    client.logout()
    exports = get(client, nhs_lead, "/accountability/exports/").content.decode()
    assert 'href="/accountability/exports/sen2/"' not in exports, "the return is the LA's"


def test_bad_filters_keep_the_choice_and_show_an_error(client, coordinator):
    sign_in(client, coordinator)
    page = client.get("/accountability/timeliness/",
                      {"year": 2025, "from_month": 6, "to_month": 3})
    html = page.content.decode()
    assert page.status_code == 200 and "<title>Error: Timeliness" in html
    assert "govuk-error-summary" in html and "The first month must be" in html
    assert '<option value="6" selected>' in html
    assert page.context["tables"] == []


def test_the_home_pages_link_to_the_figures_for_those_who_may_see_them(
        client, coordinator, senco, nhs_lead, therapist):
    link = 'href="/accountability/"'
    assert link in get(client, coordinator, "/reviews/due/").content.decode()
    assert link in get(client, nhs_lead, "/reviews/mine/").content.decode()
    assert link not in get(client, senco, "/reviews/due/").content.decode()
    assert link not in get(client, therapist, "/reviews/mine/").content.decode()


def grow(authority, schools, coordinators, agencies, people, n):
    """n more reviews across schools and coordinators, each with invitations and advice."""
    for i in range(n):
        child = ChildFactory(authority=authority, setting=schools[i % len(schools)])
        review = add_review(child, coordinators[i % len(coordinators)],
                            due=dt.date(2025, 1 + i % 12, 1 + i % 27),
                            status="closed" if i % 2 else "scheduled",
                            meeting=dt.date(2025, 1 + i % 12, 2 + i % 26),
                            report_sent_on=dt.date(2025, 1 + i % 12, 27))
        for agency, person in zip(agencies, people, strict=True):
            made = invite(review, agency, user=person, sent=dt.date(2025, 1 + i % 12, 1),
                          discipline=person.memberships.first().discipline)
            if i % 3:
                submit(made, dt.date(2025, 1 + i % 12, 1), late=bool(i % 2))


@pytest.mark.parametrize("n", [0, 60])
def test_each_page_runs_a_bounded_number_of_queries_at_any_size(
        client, testshire, coordinator, bob, authority, school, secondary, nhs_trust,
        therapist, ep_service, psychologist, n, django_assert_max_num_queries):
    grow(authority, [school, secondary], [coordinator, bob], [nhs_trust, ep_service],
         [therapist, psychologist], n)
    sign_in(client, coordinator)
    # Session, user and MFA checks are 6 or 7 of each; then the scope, the filters'
    # choices (schools, coordinators) and one query a table, with one more for the
    # year-group offsets where a phase transfer is counted; the two participation tables
    # share one query and the agencies' names.
    # The first page also reads the authority's name for the header, cached after.
    limits = dict(zip(PAGES, [11, 12, 15, 12, 11, 11, 10], strict=True))
    for url, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url
    with django_assert_max_num_queries(limits[PAGES[2]]):  # the offsets are read once
        assert client.get("/accountability/timeliness/",
                          {**YEAR, "rule": "phase_transfer"}).status_code == 200
