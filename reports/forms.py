"""The report's forms: the draft editor (built from the draft's own sections), comments and
answers at sign-off, publishing, and choosing two drafts to compare."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from common.forms import GovukDateField, LongText
from reports.drafting import OVERALL_CHOICES, SECTION_TITLES, Attendance
from reports.models import PublishedReport, Report, SignOffComment


def _text(label: str, subject: str, rows: int = 5) -> LongText:
    return LongText(label=label, subject=subject, required=False, rows=rows,
                    max_length=Report.TEXT_MAX_LENGTH)


def _line(label: str, subject: str, max_length: int = Report.NAME_MAX_LENGTH) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length, error_messages={
        "max_length": f"{subject} must be {max_length:,} characters or fewer"})


def _tidy(text: str) -> str:
    """Browsers send CRLF: store LF, so an untouched field never shows as a change."""
    return text.replace("\r\n", "\n").strip()


class DraftForm(forms.Form):
    """Every editable part of the draft. Rows for new actions and disagreements are left
    empty at the end; saving brings more."""

    NEW_ACTIONS = 3
    NEW_DISAGREEMENTS = 2

    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, content: dict, base_revision: int | None):
        super().__init__(data, initial={"base_revision": base_revision})
        self.draft = content
        self.n_actions = len(content.get("actions", [])) + self.NEW_ACTIONS
        self.n_disagreements = len(content.get("disagreements", [])) + self.NEW_DISAGREEMENTS
        self._add_fields(content)

    def _add_fields(self, content: dict) -> None:
        fields, initial = self.fields, self.initial
        for i, row in enumerate(content.get("attendance", [])):
            fields[f"attendance_{i}"] = forms.ChoiceField(
                label=f"How {row['name']} took part", choices=Attendance.CHOICES)
            fields[f"attendance_{i}_note"] = _line(f"Note about {row['name']}",
                                                   f"The note about {row['name']}",
                                                   Report.NOTE_MAX_LENGTH)
            initial[f"attendance_{i}"] = row["status"]
            initial[f"attendance_{i}_note"] = row.get("note", "")
        views = content.get("views", {})
        fields["views_family"] = _text("What the family said", "What the family said", rows=8)
        fields["views_child"] = _text("In the child's or young person's own words",
                                      "The child's own words")
        initial.update(views_family=views.get("family", ""), views_child=views.get("child", ""))
        for i, row in enumerate(content.get("progress", [])):
            fields[f"progress_{i}"] = _text(f"Outcome {row['number']}: {row['outcome']}",
                                            f"Progress on outcome {row['number']}")
            initial[f"progress_{i}"] = row["text"]
        for i, row in enumerate(content.get("advice", [])):
            fields[f"advice_{i}"] = _text(f"Summary of the advice from {row['who']}",
                                          f"The summary of the advice from {row['who']}")
            initial[f"advice_{i}"] = row["summary"]
        for i, row in enumerate(content.get("notes", [])):
            fields[f"notes_{i}"] = _text(row["title"], f"The notes on {row['title']}")
            initial[f"notes_{i}"] = row["text"]
        actions = content.get("actions", [])
        for i in range(self.n_actions):
            row = actions[i] if i < len(actions) else {}
            fields[f"action_{i}_what"] = _text("What", f"Action {i + 1}", rows=2)
            fields[f"action_{i}_who"] = _line("Who", f"Who will do action {i + 1}")
            fields[f"action_{i}_due"] = GovukDateField(label="By when", required=False,
                                                       help_text="For example, 27 3 2027")
            initial.update({f"action_{i}_what": row.get("what", ""),
                            f"action_{i}_who": row.get("who", ""),
                            f"action_{i}_due": _date(row.get("due_on", ""))})
        for letter, title in SECTION_TITLES.items():
            fields[f"change_{letter}"] = _text(f"Section {letter}: {title}",
                                               f"The change to section {letter}", rows=4)
            initial[f"change_{letter}"] = content.get("changes", {}).get(letter, "")
        overall = content.get("overall", {})
        fields["overall"] = forms.ChoiceField(
            label="The overall recommendation", choices=OVERALL_CHOICES, required=False,
            widget=forms.RadioSelect)
        fields["overall_text"] = _text("Why", "Why", rows=4)
        fields["overall_agreed_by"] = _line("Who agreed", "Who agreed",
                                            Report.NOTE_MAX_LENGTH)
        initial.update(overall=overall.get("choice", ""), overall_text=overall.get("text", ""),
                       overall_agreed_by=overall.get("agreed_by", ""))
        disagreements = content.get("disagreements", [])
        for i in range(self.n_disagreements):
            row = disagreements[i] if i < len(disagreements) else {}
            fields[f"disagree_{i}_who"] = _line("Who disagreed", f"Who disagreed ({i + 1})")
            fields[f"disagree_{i}_about"] = _line("About what",
                                                  f"What disagreement {i + 1} is about",
                                                  Report.TITLE_MAX_LENGTH)
            fields[f"disagree_{i}_text"] = _text("What they said",
                                                 f"What disagreement {i + 1} says", rows=3)
            initial.update({f"disagree_{i}_who": row.get("who", ""),
                            f"disagree_{i}_about": row.get("about", ""),
                            f"disagree_{i}_text": row.get("text", "")})

    # -- groups of bound fields, for the template ------------------------------------

    def _rows(self, key: str, prefix: str):
        return [(row, self[f"{prefix}_{i}"]) for i, row in enumerate(self.draft.get(key, []))]

    @property
    def attendance_rows(self):
        return [(row, self[f"attendance_{i}"], self[f"attendance_{i}_note"])
                for i, row in enumerate(self.draft.get("attendance", []))]

    @property
    def progress_rows(self):
        return self._rows("progress", "progress")

    @property
    def advice_rows(self):
        return self._rows("advice", "advice")

    @property
    def notes_rows(self):
        return self._rows("notes", "notes")

    @property
    def action_rows(self):
        return [(i + 1, self[f"action_{i}_what"], self[f"action_{i}_who"],
                 self[f"action_{i}_due"]) for i in range(self.n_actions)]

    @property
    def change_rows(self):
        """(section fields with text, section fields without): the empty ones fold away."""
        rows = [(letter, self[f"change_{letter}"]) for letter in SECTION_TITLES]
        filled = [(letter, bf) for letter, bf in rows if bf.value()]
        return filled, [(letter, bf) for letter, bf in rows if not bf.value()]

    @property
    def disagreement_rows(self):
        return [(i + 1, self[f"disagree_{i}_who"], self[f"disagree_{i}_about"],
                 self[f"disagree_{i}_text"]) for i in range(self.n_disagreements)]

    # -- checking and building the new draft ----------------------------------------

    def clean(self):
        data = super().clean()
        for i in range(self.n_actions):
            # Clearing what and who removes an action; its date alone is not one.
            what, who = data.get(f"action_{i}_what"), data.get(f"action_{i}_who")
            if who and not what:
                self.add_error(f"action_{i}_what", f"Enter what action {i + 1} is")
            if what and not who:
                self.add_error(f"action_{i}_who", f"Enter who will do action {i + 1}")
        for i in range(self.n_disagreements):
            filled = any(data.get(f"disagree_{i}_{part}") for part in ("who", "about", "text"))
            if filled and not data.get(f"disagree_{i}_who"):
                self.add_error(f"disagree_{i}_who", f"Enter who disagreed ({i + 1})")
        return data

    def content(self) -> dict:
        """The draft with what was typed: the parts nobody edits here (links to advice,
        comments included at sign-off) are kept as they were."""
        d, draft = self.cleaned_data, self.draft
        actions = [{"what": _tidy(d[f"action_{i}_what"]), "who": _tidy(d[f"action_{i}_who"]),
                    "due_on": d[f"action_{i}_due"].isoformat() if d[f"action_{i}_due"] else ""}
                   for i in range(self.n_actions)]
        disagreements = [{"who": _tidy(d[f"disagree_{i}_who"]),
                          "about": _tidy(d[f"disagree_{i}_about"]),
                          "text": _tidy(d[f"disagree_{i}_text"])}
                         for i in range(self.n_disagreements)]
        return {
            **draft,
            "attendance": [{**row, "status": d[f"attendance_{i}"],
                            "note": _tidy(d[f"attendance_{i}_note"])}
                           for i, row in enumerate(draft.get("attendance", []))],
            "views": {**draft.get("views", {}), "family": _tidy(d["views_family"]),
                      "child": _tidy(d["views_child"])},
            "progress": self._edited("progress", "progress", "text"),
            "advice": self._edited("advice", "advice", "summary"),
            "notes": self._edited("notes", "notes", "text"),
            "actions": [a for a in actions if a["what"]],
            "changes": {letter: _tidy(d[f"change_{letter}"]) for letter in SECTION_TITLES
                        if _tidy(d[f"change_{letter}"])},
            "overall": {"choice": d["overall"], "text": _tidy(d["overall_text"]),
                        "agreed_by": _tidy(d["overall_agreed_by"])},
            "disagreements": [r for r in disagreements if r["who"]],
        }

    def _edited(self, key: str, prefix: str, field: str) -> list[dict]:
        return [{**row, field: _tidy(self.cleaned_data[f"{prefix}_{i}"])}
                for i, row in enumerate(self.draft.get(key, []))]


def _date(iso: str) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


class CommentForm(forms.Form):
    text = LongText.of(
        SignOffComment, "text", subject="Your comment", rows=5,
        label="What is wrong or missing?", help_text="Say which part of the report you mean.",
        error_messages={"required": "Enter what is wrong or missing"})


class AnswerForm(forms.Form):
    answer = LongText.of(SignOffComment, "answer", subject="Your answer", rows=3,
                         label="Your answer", error_messages={"required": "Enter your answer"})


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = LongText.of(
        PublishedReport, "correction_reason", subject="The reason", rows=4,
        label="Why is the report being corrected?", required=False,
        help_text="Everyone who gets the report sees this with the new version.")

    def __init__(self, *args, correcting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.correcting = correcting
        if not correcting:
            del self.fields["reason"]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if self.correcting and not reason:
            raise ValidationError("Enter why the report is being corrected")
        return reason


class CompareForm(forms.Form):
    older = forms.TypedChoiceField(label="Compare draft", coerce=int)
    newer = forms.TypedChoiceField(label="with draft", coerce=int)

    def __init__(self, *args, revisions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(r.pk, f"Draft {n}") for n, r in revisions]
        self.fields["older"].choices = choices
        self.fields["newer"].choices = choices
