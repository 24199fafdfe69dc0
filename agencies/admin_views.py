"""The Wagtail admin kept to a member of staff's authorities (agencies/scope.py): every
view of a scoped viewset or chooser lists, offers and finds only their records."""

import functools

from django.http import Http404
from django.utils.functional import cached_property
from wagtail.permission_policies.base import ModelPermissionPolicy

from agencies.scope import AdminScope, admin_scope, is_scoped


def limit_choices(form, scope: AdminScope) -> None:
    """Offer (and accept) only records in `scope` in every choice of a registered model, so
    a forged POST naming another authority's record gets the form's "not one of the
    choices" error."""
    for form_field in form.fields.values():
        queryset = getattr(form_field, "queryset", None)
        if queryset is not None and is_scoped(queryset.model):
            form_field.queryset = scope.filter(queryset)


@functools.cache
def _scoped_row_form(form_class):
    """An inline row's form (a child's named professional) that limits its choices too."""

    class ScopedRowForm(form_class):
        def __init__(self, *args, scope, **kwargs):
            super().__init__(*args, **kwargs)
            limit_choices(self, scope)

    ScopedRowForm.__name__ = f"Scoped{form_class.__name__}"
    return ScopedRowForm


def limit_form(form, scope: AdminScope):
    limit_choices(form, scope)
    for formset in getattr(form, "formsets", {}).values():
        # The rows are built later (and the empty row for "add another" on each use).
        formset.form = _scoped_row_form(formset.form)
        formset.form_kwargs["scope"] = scope
    return form


class AuthorityScopedView:
    """Mixed into each view of a scoped viewset or chooser: another authority's record is
    not found (404) and never listed, offered or searched."""

    @cached_property
    def scope(self) -> AdminScope:
        return admin_scope(self.request.user)

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        # A history page lists log entries of a record `get_object` has already checked.
        return self.scope.filter(queryset) if queryset.model is self.model else queryset

    def get_object_list(self):
        return self.scope.filter(super().get_object_list())

    def get_objects(self, pks):
        return self.scope.filter(super().get_objects(pks))

    def get_object(self, *args, **kwargs):
        record = super().get_object(*args, **kwargs)
        if record is not None and not self.scope.contains(record):
            raise Http404
        return record

    def get_form(self, *args, **kwargs):
        return limit_form(super().get_form(*args, **kwargs), self.scope)

    @cached_property
    def filters(self):
        filters = super().filters
        if filters is not None:
            limit_choices(filters.form, self.scope)
        return filters


class AuthorityScopedViewSet:
    """Mixed into a ModelViewSet or ChooserViewSet before it: all of its views are
    `AuthorityScopedView`s, whichever are added later."""

    view_mixins: tuple = (AuthorityScopedView,)

    def construct_view(self, view_class, **kwargs):
        scoped = type(view_class.__name__, (*self.view_mixins, view_class), {})
        return super().construct_view(scoped, **kwargs)


class OperatorAddsPolicy(ModelPermissionPolicy):
    """Records above any one authority (a new council; an account made without an
    invitation) are added by the platform's operator only."""

    def user_has_permission(self, user, action):
        if action == "add" and not admin_scope(user).is_everywhere:
            return False
        return super().user_has_permission(user, action)


class LimitedPolicy(ModelPermissionPolicy):
    """Only the named actions exist for this model, whatever Django permissions a user holds."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = set(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)
