"""The forms of the coordinator's pages (reviews/views/coordinator.py): the due list's filters,
scheduling the meeting, handing a review over, cancelling it and inviting people."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies.models import Agency
from common.forms import GovukDateField, LongText
from reviews import clock, invitees, presenters, termly
from reviews.clock_sql import YEAR_GROUPS, born_in_year_group
from reviews.models import Child, Invitation, Review

# "Reviews due" shows what falls due within this horizon (issue #3), plus everything late
# or already under way.

class DueFilterForm(forms.Form):
    setting = forms.ChoiceField(required=False)
    coordinator = forms.ChoiceField(required=False)
    convenor = forms.ChoiceField(label="Arranged by", required=False, choices=[
        ("", "Any"), (Review.Convenor.LA, "The council"),
        (Review.Convenor.SETTING, "The school or college")])
    year_group = forms.TypedChoiceField(
        label="Year group", required=False, coerce=int, empty_value=None,
        choices=[("", "Any")] + [(y, presenters.year_group_label(y)) for y in YEAR_GROUPS])
    status = forms.ChoiceField(
        required=False, choices=[("", "Any")] + [
            (s.value, s.label) for s in Review.Status
            if s not in (Review.Status.CLOSED, Review.Status.CANCELLED)])
    kind = forms.ChoiceField(label="Kind of review", required=False,
                             choices=[("", "Any")] + list(Review.Kind.choices))

    def __init__(self, data, *, settings_, coordinators):
        super().__init__(data)
        self.fields["setting"].choices = [("", "Any")] + [(str(a.pk), a.name) for a in settings_]
        self.fields["coordinator"].choices = [("", "Any")] + [(str(u.pk), str(u))
                                                              for u in coordinators]

    def filter(self, reviews, today):
        if not self.is_valid():
            return reviews
        data = self.cleaned_data
        if data["setting"]:
            reviews = reviews.filter(plan__child__setting_id=data["setting"])
        if data["coordinator"]:
            reviews = reviews.filter(coordinator_id=data["coordinator"])
        if data["convenor"]:
            reviews = reviews.filter(convenor=data["convenor"])
        if data["status"]:
            reviews = reviews.filter(status=data["status"])
        if data["kind"]:
            reviews = reviews.filter(kind=data["kind"])
        if data["year_group"] is not None:
            offsets = (Child.objects.filter(pk__in=reviews.values("plan__child"))
                       .order_by().values_list("year_group_offset", flat=True).distinct())
            children = Child.objects.filter(
                born_in_year_group(data["year_group"], today, list(offsets)))
            reviews = reviews.filter(plan__child__in=children)
        return reviews

    @property
    def active(self) -> list[str]:
        """The filters applied, in words, for the 'selected filters' panel."""
        if not self.is_valid():
            return []
        labels = []
        for name, value in self.cleaned_data.items():
            if value not in ("", None):
                choices = dict((str(k), v) for k, v in self.fields[name].choices)
                labels.append(f"{self.fields[name].label or name.title()}: "
                              f"{choices.get(str(value), value)}")
        return labels


_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> dt.time:
    """'10:30', '14.00', '2pm', '2:30pm' -> a time; ValueError otherwise."""
    match = _TIME.match(text or "")
    if not match:
        raise ValueError(text)
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    return dt.time(hour, minute)


class ScheduleForm(forms.Form):
    meeting_date = GovukDateField(label="Date of the meeting",
                                  help_text="For example, 27 3 2027")
    meeting_time = forms.CharField(label="Start time", max_length=10,
                                   help_text="For example, 10:30am or 14:00")
    meeting_minutes = forms.TypedChoiceField(
        label="How long will it last?", coerce=int, initial=90,
        choices=[(30, "30 minutes"), (45, "45 minutes"), (60, "1 hour"),
                 (90, "1 hour 30 minutes"), (120, "2 hours"), (180, "3 hours")])
    meeting_place = forms.CharField(label="Place", required=False, max_length=300,
                                    help_text="The room and address, if people meet in person")
    meeting_link = forms.URLField(
        label="Video meeting link", required=False, max_length=500, assume_scheme="https",
        error_messages={"invalid": "Enter the video meeting link as it is in the invitation, "
                                   "starting https://"},
        help_text="A Microsoft Teams, Google Meet or Jitsi link, starting https://")
    short_notice_reason = LongText.of(
        Review, "short_notice_reason", subject="The reason", rows=3, required=False,
        label=f"Why must the meeting be at less than {clock.words_in_force()['notice']}' "
              "notice?")

    def clean_meeting_time(self):
        try:
            return parse_time(self.cleaned_data["meeting_time"])
        except ValueError:
            raise ValidationError("Enter a time such as 10:30am or 14:00") from None

    def clean_meeting_date(self):
        day = self.cleaned_data["meeting_date"]
        if day < timezone.localdate():
            raise ValidationError("The date of the meeting must be today or in the future")
        return day

    def clean_meeting_link(self):
        link = self.cleaned_data["meeting_link"]
        if link and not link.startswith("https://"):
            raise ValidationError("Enter a video meeting link that starts with https://")
        return link

    def meeting_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["meeting_date"],
                                                       self.cleaned_data["meeting_time"]))


class HandOverForm(forms.Form):
    coordinator = forms.ChoiceField(
        label="Who coordinates this review?", widget=forms.RadioSelect,
        help_text="The council may ask the child's school or college to arrange and hold "
                  "the meeting and send the report; its SENCO then coordinates the review. "
                  "The council still decides after the meeting.",
        error_messages={"required": "Choose who coordinates this review"})

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.people, choices = {}, []
        places = [(Review.Convenor.LA, "the council")]
        if child.setting_id:
            places.append((Review.Convenor.SETTING, child.setting.name))
        for convenor, place in places:
            for person in termly.coordinators_for(child, convenor).order_by("last_name",
                                                                             "first_name"):
                key = f"{convenor}:{person.pk}"
                self.people[key] = (person, convenor)
                choices.append((key, f"{person}, for {place}"))
        self.fields["coordinator"].choices = choices

    def chosen(self) -> tuple:
        return self.people[self.cleaned_data["coordinator"]]


class CancelForm(forms.Form):
    reason = LongText.of(
        Review, "cancelled_reason", subject="The reason", rows=4,
        label="Why is the review cancelled?",
        help_text="Everyone invited is told, and the meeting leaves their calendars.",
        error_messages={"required": "Enter why the review is cancelled"})


class AddPersonForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(label="Role in this review", choices=Invitation.Role.choices)
    agency = forms.ModelChoiceField(label="Organisation", required=False,
                                    queryset=Agency.objects.none(),
                                    empty_label="None, or not listed")

    def __init__(self, *args, authority_id, **kwargs):
        super().__init__(*args, prefix="add", **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(authority_id=authority_id)

    def invitee(self) -> invitees.Invitee:
        data = self.cleaned_data
        return invitees.Invitee(name=data["name"], email=data["email"], role=data["role"],
                                  agency=data["agency"])


class SuggestedForm(forms.Form):
    people = forms.MultipleChoiceField(label="People to invite",
                                       widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": "Tick at least one person"})

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = proposals
        self.fields["people"].choices = [(p.key, p.name) for p in proposals]
        self.fields["people"].initial = [p.key for p in proposals if p.suggested]

    def chosen(self) -> list[invitees.Invitee]:
        keys = set(self.cleaned_data["people"])
        return [p for p in self.proposals if p.key in keys]
