"""Staff manage authorities, agencies, memberships and invitations in the Wagtail admin."""

from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from agencies.invitations import do_invite_to_agency
from agencies.models import Agency, AgencyInvitation, AuditEntry, LocalAuthority, Membership


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


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    list_display = ["at", "action", "email", "user", "ip_address", "detail"]
    list_filter = ["action"]
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
