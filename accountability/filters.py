"""The dashboards' filters as a GET form, and the measures' parameters it makes.

``filter_params(query, scope)`` turns a query string into the keyword arguments of
``accountability.measures.TABLES`` (JSON-safe, so an export job can store them); the
dashboards use the same form, so a download carries the filters on the screen.
"""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models.expressions import RawSQL
from django.utils import dateformat, timezone

from accountability.measures import DEFAULT_RULE, RULES, Filters
from agencies.models import Agency, LocalAuthority
from reviews.access import OversightScope
from reviews.models import Child, Plan, Review

PERIOD_FIELDS = ["year", "from_month", "to_month"]
AUTHORITY_FIELDS = ["school", "coordinator"]
ALL_FIELDS = [*PERIOD_FIELDS, *AUTHORITY_FIELDS, "authority", "rule"]
FIRST_YEAR = 2014  # the Children and Families Act: no EHC plan is older

MONTHS = [(n, dateformat.format(dt.date(2001, n, 1), "F")) for n in range(1, 13)]


def _optional(label, choices):
    return forms.TypedChoiceField(label=label, required=False, coerce=int, empty_value=None,
                                  choices=[("", "All")] + choices)


class FilterForm(forms.Form):
    """Always bound: missing values take their defaults, so the first visit shows this
    year's figures and a bad value is reported, not silently replaced."""

    year = forms.TypedChoiceField(label="Year", coerce=int)
    from_month = forms.TypedChoiceField(label="From", coerce=int, choices=MONTHS)
    to_month = forms.TypedChoiceField(label="To", coerce=int, choices=MONTHS)
    school = _optional("School or setting", [])
    coordinator = _optional("Coordinator", [])
    authority = _optional("Local authority", [])
    rule = forms.ChoiceField(label="Deadline",
                             choices=[(key, rule.label) for key, rule in RULES.items()])

    def __init__(self, query, *, scope: OversightScope, fields: list[str], today=None):
        today = today or timezone.localdate()
        defaults = {"year": today.year, "from_month": 1, "to_month": 12,
                    "rule": DEFAULT_RULE}
        data = {name: value for name, value in defaults.items() if name in fields}
        data.update({name: query.get(name) for name in fields if query.get(name)})
        super().__init__(data)
        self.scope = scope
        self.today = today
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
        self._set_choices()

    def _set_choices(self):
        authorities = self.scope.authorities
        if "year" in self.fields:
            self.fields["year"].choices = [(y, y) for y in
                                           range(self.today.year + 1, FIRST_YEAR - 1, -1)]
        if "school" in self.fields:
            self.fields["school"].choices += list(
                Agency.objects.filter(kind=Agency.Kind.SCHOOL, authority_id__in=authorities)
                .order_by("name").values_list("pk", "name"))
        if "coordinator" in self.fields:
            coordinators = (get_user_model().objects.filter(pk__in=coordinator_ids(authorities))
                            .order_by("last_name", "first_name", "pk"))
            self.fields["coordinator"].choices += [(u.pk, str(u)) for u in coordinators]
        if "authority" in self.fields:
            self.fields["authority"].choices += list(
                LocalAuthority.objects.filter(pk__in=authorities).values_list("pk", "name"))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.filters = Filters.of(self.scope, **self.params())
        except ValueError:
            raise forms.ValidationError(
                "The first month must be the same as or before the last month",
                code="months") from None
        return data

    def params(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value is not None}

    def selects(self) -> list[dict]:
        """Each filter as a select's options, worked out here: Django's widgets render an
        included template for each option, and a county has hundreds of schools."""
        selects = []
        for field in self:
            chosen = str(field.value() if field.value() is not None else "")
            selects.append({"field": field, "options": [
                (str(value), label, str(value) == chosen)
                for value, label in field.field.choices]})
        return selects


def coordinator_ids(authorities) -> RawSQL:
    """The ids of everyone who coordinates a review in ``authorities``, as a subquery.

    A DISTINCT over the reviews joins a county's ~50,000 reviews to their plans and children
    on every page and download. This walks the index on coordinator_id instead, one step a
    coordinator: the next coordinator after the last found whose review is in scope (a
    "loose index scan", which neither PostgreSQL nor SQLite does by itself). ORDER BY and
    LIMIT rather than MIN(), which PostgreSQL would answer by joining every later review.
    Where the database holds several authorities a step also passes over the other
    authorities' reviews between two of ours: never more than the DISTINCT read. Only asked
    for a scope that sees an authority (``fields_for``), so ``authorities`` is not empty."""
    review, plan, child = (model._meta.db_table for model in (Review, Plan, Child))
    ids = sorted(authorities)
    places = ", ".join(["%s"] * len(ids))

    def next_after(condition: str) -> str:
        return (f"SELECT r.coordinator_id FROM {review} r"
                f" JOIN {plan} p ON p.id = r.plan_id JOIN {child} c ON c.id = p.child_id"
                f" WHERE c.authority_id IN ({places}){condition}"
                " ORDER BY r.coordinator_id LIMIT 1")
    return RawSQL(
        f"WITH RECURSIVE found(id) AS (SELECT * FROM ({next_after('')}) earliest"
        f" UNION ALL SELECT ({next_after(' AND r.coordinator_id > found.id')}) FROM found"
        " WHERE found.id IS NOT NULL) SELECT id FROM found WHERE id IS NOT NULL",
        [*ids, *ids])


def fields_for(scope: OversightScope, wanted: list[str]) -> list[str]:
    """The filters a person can use: school and coordinator belong to an authority's
    figures; a choice of authority only for someone who oversees more than one."""
    fields = [name for name in wanted if scope.sees_authority or name not in AUTHORITY_FIELDS]
    if len(scope.authorities) > 1:
        fields.append("authority")
    return fields


def filter_params(query, scope: OversightScope) -> dict:
    """The measures' keyword arguments from a query string (request.GET); ValueError if a
    value is not one this person may choose."""
    form = FilterForm(query, scope=scope, fields=fields_for(scope, ALL_FIELDS))
    if not form.is_valid():
        raise ValueError("Bad filters: " + "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()))
    return form.params()
