"""Every count clicks through to the reviews behind it, made with the same condition: for
each linked figure of every table, the list has exactly the reviews counted (for the
tables that count invitations, the reviews those invitations belong to)."""

from urllib.parse import parse_qs, urlparse

import pytest

from accountability.measures import MEASURES, Filters, reviews_behind
from reviews.access import oversight_scope
from reviews.models import Invitation
from tests.accountability.conftest import TODAY

pytestmark = pytest.mark.django_db

COUNTS_INVITATIONS = {"ep_caseload", "participation", "participation_by_team"}


def linked_cells(table):
    for row in table.rows:
        for column, cell in zip(table.columns, row, strict=True):
            if cell.url:
                yield column, cell


@pytest.mark.parametrize("key", list(MEASURES))
@pytest.mark.parametrize("rule", ["held", "decision", "phase_transfer"])
def test_each_count_lists_the_reviews_it_counted(testshire, coordinator, key, rule):
    scope = oversight_scope(coordinator)
    f = Filters.of(scope, year=2025, rule=rule, today=TODAY)
    table = MEASURES[key].build(f)
    checked = 0
    for column, cell in linked_cells(table):
        query = {name: values[0] for name, values in parse_qs(urlparse(cell.url).query).items()}
        params = {k: v for k, v in query.items() if k not in ("table", "row", "figure")}
        assert query["table"] == key and query["figure"] == column.key
        _, reviews = reviews_behind(scope, key, query["row"], query["figure"], today=TODAY,
                                    **params)
        if key in COUNTS_INVITATIONS:
            assert (reviews.count() == 0) == (cell.value == 0), (column.key, query["row"])
            assert reviews.count() <= cell.value
        else:
            assert reviews.count() == cell.value, (column.key, query["row"])
        checked += 1
    assert checked, "every table has counts that click through"


def test_an_invitation_figure_lists_each_review_once(testshire, coordinator, ep_service):
    # Eve and the duty inbox are both asked for advice on R3: two invitations, one review.
    scope = oversight_scope(coordinator)
    _, reviews = reviews_behind(scope, "participation", str(ep_service.pk), "not_due",
                                year=2025, today=TODAY)
    assert set(reviews) == {testshire["R3"], testshire["R4"]}
    assert Invitation.objects.filter(review=testshire["R3"], agency=ep_service).count() == 2
