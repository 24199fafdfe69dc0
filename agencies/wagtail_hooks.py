"""Staff manage authorities, agencies, memberships and invitations in the Wagtail admin,
and read the audit trail."""

import django_filters
from django.db.models import Q
from django.shortcuts import get_object_or_404
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from agencies.invitations import do_invite_to_agency
from agencies.models import (
    Agency,
    AgencyInvitation,
    AuditEntry,
    LocalAuthority,
    Membership,
    User,
)


class LocalAuthorityViewSet(ModelViewSet):
    model = LocalAuthority
    icon = "site"
    form_fields = ["name", "dfe_code", "health_commissioner"]
    list_display = ["name", "dfe_code"]


class AgencyViewSet(ModelViewSet):
    model = Agency
    icon = "group"
    form_fields = ["authority", "name", "kind", "urn", "ods_code", "email", "phone", "website"]
    list_display = ["name", "kind", "authority"]
    list_filter = ["kind", "authority"]
    search_fields = ["name", "urn", "ods_code"]


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    form_fields = ["user", "agency", "role", "discipline", "job_title", "is_active"]
    list_display = ["user", "agency", "role", "discipline", "is_active"]
    list_filter = ["role", "discipline", "is_active", "agency"]


class LimitedPolicy(ModelPermissionPolicy):
    """Only the named actions exist for this model, whatever Django permissions a user holds."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = set(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


# Invitations are sent, never edited; the audit trail is read, never written by hand.
register_permission_policy(AgencyInvitation, LimitedPolicy(AgencyInvitation, {"add", "view"}))
register_permission_policy(AuditEntry, LimitedPolicy(AuditEntry, {"view"}))


def only_views(names, urlpatterns):
    """Leave out the URLs of actions the model does not have, so they cannot be reached."""
    return [pattern for pattern in urlpatterns if pattern.name in names]


class SendInvitationView(generic.CreateView):
    def save_instance(self):
        return do_invite_to_agency(self.form.instance, self.request.user, self.request)

    def get_success_message(self, instance):
        return f"Invitation sent to {instance.email}."

    def get_success_buttons(self):
        return []


class AgencyInvitationViewSet(ModelViewSet):
    """Invitations are sent, never edited: a wrong one is left to expire and sent again."""

    model = AgencyInvitation
    icon = "mail"
    add_view_class = SendInvitationView
    form_fields = ["agency", "email", "first_name", "last_name", "role", "discipline"]
    list_display = ["email", "agency", "role", "created_at", "accepted_at", "expires_at"]
    list_filter = ["role", "agency"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return only_views({"index", "index_results", "add"}, super().get_urlpatterns())


def audit_entries_for(user):
    """The entries a member of staff may read: about their own authority, that is by
    people who belong (or belonged) to one of its agencies, by the family of one of its
    children, or about a review of one of its children. A superuser who belongs to no
    agency reads them all; anyone else in no agency, none."""
    from reviews.models import FamilyMember, Review  # reviews depends on agencies

    authorities = Membership.objects.filter(user=user, is_active=True).values(
        "agency__authority_id")
    if user.is_superuser and not authorities.exists():
        return AuditEntry.objects.all()
    members = Membership.objects.filter(agency__authority_id__in=authorities).values("user_id")
    families = FamilyMember.objects.filter(child__authority_id__in=authorities,
                                           user__isnull=False).values("user_id")
    reviews = Review.objects.filter(plan__child__authority_id__in=authorities).values("pk")
    # A failed sign-in names no account, only the address typed.
    member_emails = User.objects.filter(pk__in=members).values("email")
    return AuditEntry.objects.filter(
        Q(user_id__in=members) | Q(user_id__in=families) | Q(review_id__in=reviews)
        | Q(user__isnull=True, email__in=member_emails))


class AuditEntryFilterSet(WagtailFilterSet):
    person = django_filters.CharFilter(label="Person's email address", method="by_person")
    review = django_filters.UUIDFilter(field_name="review_id", label="Review id")
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices, label="What")
    at = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields = []

    def by_person(self, queryset, name, value):
        """Their account's address, or the address typed where no account was found."""
        return queryset.filter(Q(user__email__iexact=value) | Q(email__iexact=value))


class AuditEntryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return audit_entries_for(self.request.user).select_related("user")


class AuditEntryInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(audit_entries_for(self.request.user), pk=self.pk)


class AuditEntryViewSet(ModelViewSet):
    """The trail is read, never written by hand: only its list and each entry's page
    exist, and each member of staff reads their own authority's entries."""

    model = AuditEntry
    icon = "history"
    index_view_class = AuditEntryIndexView
    inspect_view_class = AuditEntryInspectView
    list_display = ["at", "action", "email", "user", "route", "review_id", "ip_address",
                    "detail"]
    filterset_class = AuditEntryFilterSet
    search_fields = ["email", "detail"]
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    exclude_form_fields = []  # every field is editable=False: the form is never shown

    def get_urlpatterns(self):
        return only_views({"index", "index_results", "inspect"}, super().get_urlpatterns())


class PeopleAndAgencies(ViewSetGroup):
    menu_label = "Agencies and people"
    menu_icon = "group"
    items = (LocalAuthorityViewSet, AgencyViewSet, MembershipViewSet, AgencyInvitationViewSet,
             AuditEntryViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return PeopleAndAgencies()
