"""Staff keep the records in the Wagtail admin: children (with their family and named
professionals), plans (with their outcomes), school terms, and opening a plan's next review.

Children's records are special-category data, so:
- every screen is behind Django's model permissions (view, add, change), and nobody may
  delete a child or a plan here: their reviews, advice and timeline hang from them;
- none of these models is in a Wagtail search index (they are not `index.Indexed`), and
  admin searches filter the database directly, so no child's name is copied anywhere;
- opening a child's or a plan's record is written to the audit trail, as in the portal;
- staff see, choose and change only their own authorities' records (agencies/scope.py).
"""

from functools import reduce
from operator import or_

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from agencies import audit
from agencies.admin_views import AuthorityScopedView, AuthorityScopedViewSet, LimitedPolicy
from agencies.models import AuditEntry, User
from agencies.scope import admin_scope
from reviews import clock, presenters
from reviews.models import Child, FamilyMember, OutcomeProgress, Plan, Review, Term
from reviews.termly import coordinators_for, do_open_review, next_review_due_by, next_review_kind

# Records are kept, never deleted from here (a plan ceases; a child's record is closed by
# the retention process, not a button).
for model in (Child, Plan):
    register_permission_policy(model, LimitedPolicy(model, {"add", "change", "view"}))


# ---------------------------------------------------------------------------
# Searching without an index
# ---------------------------------------------------------------------------


def database_search(queryset, fields, query):
    """Records matching `query` in any of `fields`, filtered by the database: nothing is
    copied into a search index."""
    return queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": query}) for field in fields)))


class DatabaseSearchForm(BaseFilterForm):
    """The chooser's search box, filtering the database (the chooser's own search box
    would need the model in a search index)."""

    search_fields: tuple[str, ...] = ()
    q = forms.CharField(label="Search term", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "Search"}))

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q", "").strip()
        if query:
            objects = database_search(objects, self.search_fields, query)
            self.is_searching, self.search_query = True, query
        return objects


class RecordsPermissionMixin:
    """Choosers list names: only people who may see children's records may open them."""

    def dispatch(self, request, *args, **kwargs):
        if not ModelPermissionPolicy(Child).user_has_any_permission(
                request.user, ["add", "change", "view"]):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RecordChooserViewSet(AuthorityScopedViewSet, ChooserViewSet):
    """A chooser that lists, searches and returns only records of the staff member's
    authorities, and only to people with children's records permissions."""

    view_mixins = (RecordsPermissionMixin, AuthorityScopedView)
    search_fields: tuple[str, ...] = ()

    def get_common_view_kwargs(self, **kwargs):
        search_form = type(f"{self.model.__name__}SearchForm", (DatabaseSearchForm,),
                           {"search_fields": tuple(self.search_fields)})
        return super().get_common_view_kwargs(filter_form_class=search_form, **kwargs)


child_chooser = RecordChooserViewSet(
    "child", url_prefix="reviews/choose-child", model=Child, icon="user",
    choose_one_text="Choose a child", choose_another_text="Choose another child",
    search_fields=("first_name", "last_name", "la_reference"),
    get_object_list=lambda: Child.objects.select_related("setting"),
)
professional_chooser = RecordChooserViewSet(
    "professional", url_prefix="reviews/choose-professional", model=User, icon="user",
    choose_one_text="Choose a professional", choose_another_text="Choose another professional",
    search_fields=("first_name", "last_name", "email"),
    # Named professionals work for an agency; families never appear here.
    get_object_list=lambda: User.objects.filter(is_active=True,
                                                memberships__is_active=True).distinct(),
    # Only where asked for: every other form choosing a user keeps its own widget.
    register_widget=False,
)


def reference(record) -> str:
    """Initials and LA reference: how a child is named where a full name must not appear."""
    child = record if isinstance(record, Child) else record.child
    return f"{child.initials} ({child.la_reference})"


class ChildRecordEditView(generic.EditView):
    """A child's or a plan's record: its opening is recorded, as every professional's view
    is, and the page's title names the child by initials and LA reference only (titles
    end up in browser history and on shared screens)."""

    def get_page_subtitle(self):
        return reference(self.object)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        audit.record(AuditEntry.Action.RECORD_VIEWED, request, request.user,
                     detail=f"{self.model._meta.model_name} {self.object.pk} in the admin")
        return response


# ---------------------------------------------------------------------------
# Children
# ---------------------------------------------------------------------------


class ChildIndexView(generic.IndexView):
    queryset = Child.objects.select_related("setting")


class ChildViewSet(AuthorityScopedViewSet, ModelViewSet):
    model = Child
    icon = "user"
    menu_label = "Children"
    copy_view_enabled = False
    index_view_class = ChildIndexView
    edit_view_class = ChildRecordEditView
    list_display = ["full_name", "la_reference", "date_of_birth", "setting"]
    list_filter = ["setting", "authority"]
    # Wagtail filters the database (icontains) for a model that is not indexed.
    search_fields = ["first_name", "last_name", "la_reference"]
    panels = [
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
            FieldRowPanel([FieldPanel("date_of_birth"), FieldPanel("la_reference")]),
            FieldPanel("authority"),
            FieldRowPanel([FieldPanel("upn"), FieldPanel("uln")]),
        ], heading="The child or young person"),
        MultiFieldPanel([
            FieldPanel("setting"),
            FieldRowPanel([FieldPanel("setting_type"), FieldPanel("year_group_offset")]),
        ], heading="School, college or early years setting"),
        InlinePanel("family", heading="Family", label="Family member",
                    panels=[FieldRowPanel([FieldPanel("name"), FieldPanel("email")]),
                            FieldRowPanel([FieldPanel("relationship"),
                                           FieldPanel("parental_responsibility")]),
                            FieldPanel("phone"),
                            FieldPanel("by_post"),
                            FieldRowPanel([FieldPanel("address_line_1"),
                                           FieldPanel("address_line_2")]),
                            FieldRowPanel([FieldPanel("town"), FieldPanel("postcode")])],
                    help_text="Parents and carers, or the young person from 16. Each is "
                              "linked to their account when they first use their invitation. "
                              "Someone with no email, or who asks for letters on paper, gets "
                              "them by post at their address: every parent with parental "
                              "responsibility, wherever they live."),
        InlinePanel("professionals", heading="Named professionals", label="Named professional",
                    panels=[FieldPanel("user", widget=professional_chooser.widget_class),
                            FieldRowPanel([FieldPanel("agency"), FieldPanel("discipline")])],
                    help_text="The professional who knows the child in each discipline: "
                              "proposed for every review."),
    ]


# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------

# Section E is the outcomes, edited as rows below the other sections.
TEXT_SECTIONS = [(letter, title) for letter, title in Plan.SECTIONS if letter != "E"]


class PlanFormBase(WagtailAdminModelForm):
    """Sections A to K as one text box each, kept in Plan.sections."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for letter, _title in TEXT_SECTIONS:
            self.initial.setdefault(f"section_{letter}", self.instance.section_text(letter))

    def clean(self):
        cleaned = super().clean()
        # Removing an outcome would remove the progress contributors reported against it.
        outcomes = self.formsets.get("outcomes")
        if outcomes is not None:
            doomed = [form.instance.pk for form in outcomes.deleted_forms if form.instance.pk]
            reported = sorted(OutcomeProgress.objects.filter(outcome_id__in=doomed)
                              .values_list("outcome__number", flat=True).distinct())
            if reported:
                raise ValidationError(
                    "Outcome %(numbers)s has advice reported against it and cannot be removed: "
                    "change its words instead.",
                    params={"numbers": ", ".join(map(str, reported))})
        return cleaned

    def save(self, commit=True):
        sections = dict(self.instance.sections)
        for letter, _title in TEXT_SECTIONS:
            text = self.cleaned_data.get(f"section_{letter}", "").strip()
            if text:
                sections[letter] = text
            else:
                sections.pop(letter, None)
        self.instance.sections = sections
        return super().save(commit=commit)


PlanForm = type("PlanForm", (PlanFormBase,), {
    f"section_{letter}": forms.CharField(label=f"Section {letter}: {title}", required=False,
                                         max_length=Plan.SECTION_TEXT_MAX_LENGTH,
                                         widget=forms.Textarea(attrs={"rows": 3}))
    for letter, title in TEXT_SECTIONS
})


class PlanIndexView(generic.IndexView):
    queryset = Plan.objects.select_related("child").annotate(
        has_open_review=Exists(Review.objects.open().filter(plan=OuterRef("pk"))))

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not instance.has_open_review and may_open_reviews(self.request.user):
            buttons.append(MenuItem("Open the next review", open_review_url(instance),
                                    icon_name="date", priority=15))
        return buttons


class PlanEditView(ChildRecordEditView):
    @property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if may_open_reviews(self.request.user) and not self.object.reviews.open().exists():
            buttons.append(Button("Open the next review", url=open_review_url(self.object),
                                  icon_name="date", priority=5))
        return buttons


class PlanViewSet(AuthorityScopedViewSet, ModelViewSet):
    model = Plan
    icon = "doc-full"
    menu_label = "Plans"
    copy_view_enabled = False
    index_view_class = PlanIndexView
    edit_view_class = PlanEditView
    list_display = ["__str__", "child", "kind", "status", "first_issued_on"]
    list_filter = ["kind", "status"]
    search_fields = ["child__first_name", "child__last_name", "child__la_reference"]
    edit_handler = ObjectList([
        MultiFieldPanel([
            FieldPanel("child"),
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("status"), FieldPanel("first_issued_on")]),
            FieldPanel("ceased_on"),
            FieldPanel("primary_need"),
        ], heading="The plan"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("transferred_in_from"), FieldPanel("transferred_in_on")]),
        ], heading="Transferred in from another local authority"),
        MultiFieldPanel([FieldPanel(f"section_{letter}") for letter, _ in TEXT_SECTIONS],
                        heading="Sections A to K"),
        InlinePanel("outcomes", heading="Section E: outcomes", label="Outcome",
                    panels=[FieldRowPanel([FieldPanel("number"), FieldPanel("adulthood_area")]),
                            FieldPanel("text")],
                    help_text="Reviews report progress against each outcome. From Year 9, "
                              "include preparing for adulthood outcomes."),
    ], base_form_class=PlanForm)


# ---------------------------------------------------------------------------
# Opening the next review
# ---------------------------------------------------------------------------


def may_open_reviews(user) -> bool:
    return ModelPermissionPolicy(Review).user_has_permission(user, "add")


def open_review_url(plan) -> str:
    return reverse("reviews_open_review", args=[plan.pk])


class OpenReviewForm(forms.Form):
    coordinator = forms.ModelChoiceField(queryset=User.objects.none())
    kind = forms.ChoiceField(choices=Review.Kind.choices)
    convenor = forms.ChoiceField(
        choices=Review.Convenor.choices, label="Who convenes the meeting",
        help_text="The council may ask the child's school or college to arrange and hold "
                  "the meeting and send the report (SEND Regs 2014 reg 20(1)); the council "
                  "still decides.")

    def __init__(self, *args, plan, due_by, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["coordinator"].queryset = scope.filter(coordinators_for(plan.child))
        self.fields["coordinator"].help_text = (
            f"The meeting must be held by {presenters.date_text(due_by)}: within "
            f"{clock.words_in_force()['review_interval']} "
            "of the plan being issued or last reviewed. The coordinator sees the review in "
            "their reviews due.")

    def clean(self):
        cleaned = super().clean()
        coordinator, convenor = cleaned.get("coordinator"), cleaned.get("convenor")
        child = self.plan.child
        if convenor == Review.Convenor.SETTING and not child.setting_id:
            self.add_error("convenor", "The child has no school or college on record to "
                                       "convene the review")
        elif coordinator and convenor and not coordinators_for(child, convenor).filter(
                pk=coordinator.pk).exists():
            self.add_error("coordinator", (
                f"Choose the SENCO or coordinator of {child.setting.name}: the school or "
                "college convenes this review") if convenor == Review.Convenor.SETTING
                else "Choose one of the council's SEND officers: the council convenes this "
                     "review")
        return cleaned


class OpenReviewView(WagtailAdminTemplateMixin, FormView):
    """Open a plan's next review, due by the date the clock gives."""

    template_name = "wagtailadmin/generic/form.html"
    form_class = OpenReviewForm
    header_icon = "date"
    page_title = "Plans"

    def dispatch(self, request, plan_id):
        if not may_open_reviews(request.user):
            raise PermissionDenied
        self.scope = admin_scope(request.user)
        self.plan = get_object_or_404(self.scope.filter(Plan.objects.select_related("child")),
                                      pk=plan_id)
        self.due_by = next_review_due_by(self.plan)
        return super().dispatch(request, plan_id)

    def get_page_subtitle(self):
        return f"Open the next review for {reference(self.plan)}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan, "due_by": self.due_by,
                "scope": self.scope}

    def get_initial(self):
        return {"kind": next_review_kind(self.plan, self.due_by), "convenor": Review.Convenor.LA}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reviews_plan:index"), "label": "Plans"},
            {"url": reverse("reviews_plan:edit", args=[self.plan.pk]),
             "label": reference(self.plan)},
            {"url": "", "label": "Open the next review"},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path, submit_button_label="Open the review",
            submit_button_active_label="Opening…", **kwargs)

    def form_valid(self, form):
        try:
            review = do_open_review(self.plan, form.cleaned_data["coordinator"],
                                    actor=self.request.user, kind=form.cleaned_data["kind"],
                                    convenor=form.cleaned_data["convenor"])
        except ValidationError as error:
            form.add_error(None, error)
            messages.error(self.request, " ".join(error.messages))
            return self.form_invalid(form)
        messages.success(self.request, f"{review.get_kind_display()} opened for "
                                       f"{reference(self.plan)}: the meeting must be held "
                                       f"by {presenters.date_text(review.due_by)}.")
        return redirect(AdminURLFinder(self.request.user).get_edit_url(self.plan)
                        or reverse("reviews_plan:index"))


# ---------------------------------------------------------------------------
# Terms
# ---------------------------------------------------------------------------


class TermForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", "The term must end after it starts")
        return cleaned


class TermViewSet(AuthorityScopedViewSet, ModelViewSet):
    model = Term
    icon = "calendar"
    menu_label = "School terms"
    list_display = ["name", "starts_on", "ends_on", "authority", "list_sent_at"]
    list_filter = ["authority"]
    edit_handler = ObjectList([
        FieldPanel("authority"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
    ], base_form_class=TermForm)


class Records(ViewSetGroup):
    menu_label = "Children and plans"
    menu_icon = "folder-open-inverse"
    items = (ChildViewSet("reviews_child", url_prefix="reviews/children"),
             PlanViewSet("reviews_plan", url_prefix="reviews/plans"),
             TermViewSet("reviews_term", url_prefix="reviews/terms"))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [Records(), child_chooser, professional_chooser]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("reviews/plans/<uuid:plan_id>/open-review/", OpenReviewView.as_view(),
                 name="reviews_open_review")]


def audit_entries_of_authority(authorities) -> Q:
    """Audit entries that belong to these authorities through their children: by the family
    of one of them, or about one of their reviews (the security trail's admin)."""
    families = FamilyMember.objects.filter(child__authority_id__in=authorities,
                                           user__isnull=False).values("user_id")
    reviews = Review.objects.filter(plan__child__authority_id__in=authorities).values("pk")
    return Q(user_id__in=families) | Q(review_id__in=reviews)
