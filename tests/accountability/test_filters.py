"""The filters a query string carries, checked the same way for the pages and the
downloads (accountability/filters.py `filter_params`)."""

import pytest
from django.http import QueryDict

from accountability.filters import filter_params
from agencies.models import Agency, Role
from reviews.access import oversight_scope
from tests.conftest import make_person
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_a_query_string_becomes_the_measures_parameters(coordinator, school, review):
    query = QueryDict(f"year=2025&from_month=3&to_month=6&school={school.pk}"
                      f"&coordinator={coordinator.pk}&rule=decision&format=csv")
    assert filter_params(query, oversight_scope(coordinator)) == {
        "year": 2025, "from_month": 3, "to_month": 6, "school": school.pk,
        "coordinator": coordinator.pk, "rule": "decision"}


def test_missing_values_take_this_years_defaults(coordinator):
    params = filter_params(QueryDict(""), oversight_scope(coordinator))
    assert params["from_month"] == 1 and params["to_month"] == 12 and params["rule"] == "held"
    assert "school" not in params and "coordinator" not in params


def test_a_school_of_another_authority_or_a_bad_range_is_refused(coordinator):
    their_school = AgencyFactory(authority__name="Elsewhere Council", authority__dfe_code="997",
                                 kind=Agency.Kind.SCHOOL)
    scope = oversight_scope(coordinator)
    for query in (f"school={their_school.pk}", "from_month=7&to_month=2", "year=1800",
                  "rule=nonsense"):
        with pytest.raises(ValueError):
            filter_params(QueryDict(query), scope)


def test_an_agency_lead_has_no_school_or_coordinator_filters(nhs_trust, school):
    lead = make_person("lead@test.example", "Lee", "Lead", nhs_trust, Role.LEAD)
    params = filter_params(QueryDict(f"year=2025&school={school.pk}"), oversight_scope(lead))
    assert "school" not in params and params["year"] == 2025
