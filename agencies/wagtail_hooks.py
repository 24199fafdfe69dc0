"""Staff manage authorities, agencies, people, memberships and invitations in the Wagtail
admin, each within their own authorities (agencies/scope.py), give only the roles they may
give, and read the audit trail."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.users.views import bulk_actions
from wagtail.users.views.users import UserViewSet

from agencies import audit, memberships
from agencies.admin_views import (
    AuthorityScopedView,
    AuthorityScopedViewSet,
    LimitedPolicy,
    OperatorAddsPolicy,
)
from agencies.invitations import do_invite_to_agency
from agencies.models import (
    Agency,
    AgencyInvitation,
    AuditEntry,
    AuthorityContact,
    LocalAuthority,
    Membership,
    User,
)
from agencies.scope import admin_scope, grants_of

register_permission_policy(LocalAuthority, OperatorAddsPolicy(LocalAuthority))
# A membership is switched off, never deleted: who belonged where stays on the record.
register_permission_policy(Membership, LimitedPolicy(Membership, {"add", "change", "view"}))


class LocalAuthorityViewSet(AuthorityScopedViewSet, ModelViewSet):
    model = LocalAuthority
    icon = "site"
    # Letters to families name every one of these, with its phone and email, and are not
    # sent while one is missing (agencies/contacts.py).
    panels = [
        FieldPanel("name"), FieldPanel("dfe_code"), FieldPanel("health_commissioner"),
        InlinePanel("contacts", heading="Contacts named in letters to families",
                    label="Contact", max_num=len(AuthorityContact.Service),
                    help_text="The SEND team, SENDIASS, the independent advocacy service, the "
                              "disagreement resolution service and the mediation service, "
                              "each with a phone number and an email address.",
                    panels=[FieldPanel("service"), FieldPanel("name"),
                            FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                            FieldPanel("website")]),
    ]
    list_display = ["name", "dfe_code"]


class AgencyViewSet(AuthorityScopedViewSet, ModelViewSet):
    model = Agency
    icon = "group"
    form_fields = ["authority", "name", "kind", "urn", "ods_code", "email", "phone", "website"]
    list_display = ["name", "kind", "authority"]
    list_filter = ["kind", "authority"]
    search_fields = ["name", "urn", "ods_code"]


class GrantForm(WagtailAdminModelForm):
    """A membership's or an agency invitation's form: only the agencies and roles the
    member of staff may give, checked again on submit (a forged POST is refused)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.grants = grants_of(self.for_user)
        self.fields["agency"].queryset = self.grants.agencies()
        self.fields["role"].choices = self.grants.role_choices()

    def clean(self):
        cleaned = super().clean()
        agency, role = cleaned.get("agency"), cleaned.get("role")
        if agency and role and not self.grants.allows(agency, role):
            self.add_error("role", f"You cannot give this role in {agency.name}")
        return cleaned


def grant_form_panels(fields):
    return ObjectList([FieldPanel(name) for name in fields], base_form_class=GrantForm)


# ---------------------------------------------------------------------------
# Memberships: each change audited; two-step sign-in reset by a colleague
# ---------------------------------------------------------------------------


def may_reset_two_step(user, membership) -> bool:
    """Staff who may change memberships, for anyone but themselves; the membership comes
    from a scoped view, so it is in their authority."""
    return (membership.user_id != user.pk
            and ModelPermissionPolicy(Membership).user_has_permission(user, "change"))


def reset_two_step_url(membership) -> str:
    return reverse("membership:reset_two_step", args=[membership.pk])


class MembershipCreateView(generic.CreateView):
    def save_instance(self):
        membership = super().save_instance()
        memberships.record_change(self.request, self.request.user, membership,
                                  "added in the admin")
        return membership


class MembershipEditView(generic.EditView):
    def save_instance(self):
        membership = super().save_instance()
        changed = self.form.changed_data
        if changed:
            what = ("switched off in the admin" if "is_active" in changed
                    and not membership.is_active else
                    "changed in the admin: " + ", ".join(changed))
            memberships.record_change(self.request, self.request.user, membership, what)
        return membership

    @property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if may_reset_two_step(self.request.user, self.object):
            buttons.append(Button("Reset two-step sign-in", url=reset_two_step_url(self.object),
                                  icon_name="key", priority=50))
        return buttons


class MembershipIndexView(generic.IndexView):
    queryset = Membership.objects.select_related("user", "agency")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if may_reset_two_step(self.request.user, instance):
            buttons.append(MenuItem("Reset two-step sign-in", reset_two_step_url(instance),
                                    icon_name="key", priority=50))
        return buttons


class ResetTwoStepView(BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then remove the person's authenticator app and recovery codes: at their
    next sign-in they set up two-step sign-in again."""

    template_name = "agencies/admin/reset_two_step.html"
    header_icon = "key"
    page_title = "Reset two-step sign-in"

    def dispatch(self, request, *args, **kwargs):
        if not may_reset_two_step(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object.user)

    def post(self, request, *args, **kwargs):
        memberships.do_reset_two_step(self.object.user, request.user, request)
        messages.success(request, f"Two-step sign-in reset for {self.object.user}. They set "
                                  "it up again when they next sign in.")
        return redirect("membership:index")


class MembershipViewSet(AuthorityScopedViewSet, ModelViewSet):
    model = Membership
    icon = "user"
    index_view_class = MembershipIndexView
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    edit_handler = grant_form_panels(["user", "agency", "role", "discipline", "job_title",
                                      "is_active"])
    list_display = ["user", "agency", "role", "discipline", "is_active"]
    list_filter = ["role", "discipline", "is_active", "agency"]
    copy_view_enabled = False

    @property
    def reset_two_step_view(self):
        return self.construct_view(ResetTwoStepView)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("reset-two-step/<int:pk>/", self.reset_two_step_view, name="reset_two_step")]


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


class AgencyInvitationIndexView(generic.IndexView):
    queryset = AgencyInvitation.objects.select_related("agency")


class AgencyInvitationViewSet(AuthorityScopedViewSet, ModelViewSet):
    """Invitations are sent, never edited: a wrong one is left to expire and sent again."""

    model = AgencyInvitation
    icon = "mail"
    index_view_class = AgencyInvitationIndexView
    add_view_class = SendInvitationView
    edit_handler = grant_form_panels(["agency", "email", "first_name", "last_name", "role",
                                      "discipline"])
    list_display = ["email", "agency", "role", "created_at", "accepted_at", "expires_at"]
    list_filter = ["role", "agency"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return only_views({"index", "index_results", "add"}, super().get_urlpatterns())


def audit_entries_for(user):
    """The entries a member of staff may read: about their own authority, that is by
    people who belong (or belonged) to one of its agencies, or whatever another app says
    belongs to it (``audit_entries_also``). A superuser who belongs to no agency reads them
    all; anyone else in no agency, none."""
    scope = admin_scope(user)
    if scope.is_everywhere:
        return AuditEntry.objects.all()
    authorities = scope.authorities
    members = Membership.objects.filter(agency__authority_id__in=authorities).values("user_id")
    # A failed sign-in names no account, only the address typed.
    member_emails = User.objects.filter(pk__in=members).values("email")
    rule = Q(user_id__in=members) | Q(user__isnull=True, email__in=member_emails)
    for also in audit.AUTHORITY_RULES:
        rule |= also(authorities)
    return AuditEntry.objects.filter(rule)


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


# ---------------------------------------------------------------------------
# People: Wagtail's own screens for accounts, kept to the authority
# ---------------------------------------------------------------------------


class OnlySuperusersMakeAdministrators:
    """Wagtail's "Administrator" box makes a superuser, who may do anything: only a
    superuser may tick it."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if not self.request.user.is_superuser:
            form.fields.pop("is_superuser", None)
        return form


class PortalUserViewSet(AuthorityScopedViewSet, UserViewSet):
    """Named in agencies.apps.PortalUsersConfig, which replaces Wagtail's own."""

    view_mixins = (AuthorityScopedView, OnlySuperusersMakeAdministrators)


register_permission_policy(User, OperatorAddsPolicy(User))


class PeopleInAuthority:
    """A bulk action on accounts (switch off, delete, give a role) that reaches only the
    authority's people: others are neither changed nor named."""

    def get_queryset(self, model, object_ids):
        return admin_scope(self.request.user).filter(
            model._default_manager.filter(pk__in=object_ids))


for action_class in (bulk_actions.AssignRoleBulkAction, bulk_actions.DeleteBulkAction,
                     bulk_actions.SetActiveStateBulkAction):
    # Registered after Wagtail's own, so these replace them.
    hooks.register("register_bulk_action",
                   type(action_class.__name__, (PeopleInAuthority, action_class), {}))


class PeopleAndAgencies(ViewSetGroup):
    menu_label = "Agencies and people"
    menu_icon = "group"
    items = (LocalAuthorityViewSet, AgencyViewSet, MembershipViewSet, AgencyInvitationViewSet,
             AuditEntryViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return PeopleAndAgencies()
