"""Pages for families and young people: their home, their child's review, the offer of an
independent advocate, and their views, one question a page.

Written for a parent on a phone: short sentences, no acronym without its words. A young
person (16 or over, or anyone the record calls "the young person") reads the same pages
written to them. Page titles never carry the child's name.
"""

from dataclasses import dataclass, replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods

from agencies import audit
from agencies.contacts import authority_contacts
from common import autosave
from common.downloads import file_download
from common.forms import posted
from reviews import presenters
from reviews.access import refusal, review_access
from reviews.advocacy import referral_of
from reviews.family import (
    do_answer_advocacy,
    do_save_family_views,
    do_send_family_views,
    has_unsent_changes,
    may_open_views_file,
    offer_is_open,
    views_open,
)
from reviews.family_cards import (
    advice_pieces,
    family_cards,
    family_dates,
    family_tasks,
    own_views_due,
    views_due,
    views_status,
)
from reviews.family_progress import joins_today, meeting_is_ahead, progress
from reviews.forms_family import AdvocacyForm, AnswerForm, OwnViewsForm, SendForm
from reviews.impossible_dates import refuses_impossible_dates
from reviews.models import AdvocacyOffer, FamilyMember, FamilyViews, Review
from reviews.uploads import PICTURES_AND_RECORDINGS, download_name
from reviews.words import explain_once, role_words
from reviews.young_person import marking_the_young_person, who_sees

# ---------------------------------------------------------------------------
# The questions, in the order they are asked
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    slug: str
    field: str
    to_parent: str  # "{name}": the child's first name, or "your child" in page titles
    to_young_person: str
    hint_to_parent: str
    hint_to_young_person: str

    def text(self, name: str, young_person: bool) -> str:
        return self.to_young_person if young_person else capfirst(self.to_parent.format(name=name))

    def hint(self, name: str, young_person: bool) -> str:
        return self.hint_to_young_person if young_person else self.hint_to_parent.format(name=name)


QUESTIONS = [
    Question("important", "what_is_important",
             "What is important to {name}?", "What is important to you?",
             "For example, the people, places and things {name} likes, and how {name} likes "
             "to be helped.",
             "For example, the people, places and things you like, and how you like to be "
             "helped."),
    Question("going-well", "going_well",
             "What is going well for {name}?", "What is going well for you?",
             "Think about school or college, home, friends and health.",
             "Think about school or college, home, friends and health."),
    Question("hard", "hard",
             "What is hard for {name}?", "What is hard for you?",
             "Think about school or college, home, friends and health.",
             "Think about school or college, home, friends and health."),
    Question("hopes", "hopes",
             "What do you hope for {name} in the future?", "What do you hope for in the future?",
             "For example, next year, when {name} leaves school, and as an adult.",
             "For example, next year, when you leave school or college, and as an adult."),
    Question("own-views", "childs_own_words",
             "{name}'s own views", "Anything else you want to tell us",
             "Write down what {name} says, in their own words. Or upload a picture {name} made, "
             "or a recording of them.",
             "You can write it here, or upload a picture or a recording."),
]
QUESTION_BY_SLUG = {q.slug: q for q in QUESTIONS}


# ---------------------------------------------------------------------------
# Who is reading: a parent or carer, or the young person
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """The signed-in family member, as the pages address them."""

    child_name: str
    young_person: bool

    @classmethod
    def of(cls, user, review: Review) -> "Reader":
        relationship = (FamilyMember.objects.filter(child_id=review.plan.child_id, user=user)
                        .values_list("relationship", flat=True).first())
        return cls(review.plan.child.first_name,
                   relationship == FamilyMember.Relationship.YOUNG_PERSON)

    def ask(self, question: Question) -> str:
        return question.text(self.child_name, self.young_person)

    def title(self, question: Question) -> str:
        """The question without the child's name, for the page's <title>."""
        return question.text("your child", self.young_person)


# Kinds of review in the words a family uses.
KIND_WORDS = {
    Review.Kind.ANNUAL: "Annual review",
    Review.Kind.PHASE_TRANSFER: "Review before a move to a new school or college",
    Review.Kind.INTERIM: "Early review",
    Review.Kind.UNDER_FIVE: "Review for a child under 5",
    Review.Kind.RECORD_OF_SUPPORT: "Review of the record of support",
}

# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


@login_required
def family_home(request):
    cards = family_cards(request.user, timezone.localdate())
    return render(request, "reviews/family/home.html", {"cards": cards})


@login_required
@refuses_impossible_dates
def family_review(request, review_id):
    # Not need="family": the decision, the family's rights and the appeal window outlast
    # the review, so the family still reads this page once it has closed.
    access = review_access(request.user, review_id, need="view", request=request)
    if not access.is_family:
        raise Http404("No such review")
    review = access.review
    reader = Reader.of(request.user, review)
    today = timezone.localdate()
    views = FamilyViews.objects.filter(review=review, author=request.user).first()
    offer = AdvocacyOffer.objects.filter(review=review).first()
    asked_at = Review.family_asked_at([review], request.user).get(review.pk)
    invitations = []
    if review.invitations_sent_at:
        invitations = list(
            marking_the_young_person(review.invitations.current(), review.plan.child_id)
            .select_related("agency").order_by("created_at"))
    advice = advice_pieces(access, request.user)
    # As the page reads: the advice, then who is invited.
    roles = explain_once([piece.role for piece in advice]
                         + [role_words(i, young_person=i.is_young_person)
                            for i in invitations])
    advice = [replace(piece, role=role) for piece, role in zip(advice, roles, strict=False)]
    invitations = [(i.name, role) for i, role in
                   zip(invitations, roles[len(advice):], strict=True)]
    return render(request, "reviews/family/review.html", {
        "review": review, "child": review.plan.child, "reader": reader,
        "kind": KIND_WORDS[review.kind], "offer": offer,
        "offer_open": review.is_open and offer_is_open(offer),
        "contacts": authority_contacts(review.plan.child.authority),
        "tasks": family_tasks(review, views, offer),
        "meeting": presenters.meeting_text(review.meeting_at),
        "join_today": joins_today(review, today),
        "meeting_ahead": meeting_is_ahead(review, today),
        # Once sent, the date no longer asks anything of them.
        "views_due": views_due(review, asked_at, today)
        if views_open(review) and not (views and views.submitted_at) else None,
        "dates": family_dates(review, request.user, views, asked_at, today,
                        "your" if reader.young_person else f"{reader.child_name}'s"),
        "progress": progress(review, request.user, views, today,
                             "your" if reader.young_person else f"{reader.child_name}'s",
                             asked_at=asked_at),
        "advice": advice,
        "referral": referral_of(review),
        "invitations": invitations,
        "access": access,
        # From the end of compulsory school age the young person decides who sees it.
        "who_sees": who_sees(review.plan.child, "your")
        if reader.young_person and review.plan.child.decides_for_themselves() else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def advocacy(request, review_id):
    access = review_access(request.user, review_id, need="family", request=request)
    review = access.review
    offer = AdvocacyOffer.objects.filter(review=review).first()
    form = AdvocacyForm(posted(request), initial=AdvocacyForm.initial_for(offer))
    if request.method == "POST" and form.is_valid():
        answer = AdvocacyForm.ANSWERS[form.cleaned_data["answer"]]
        do_answer_advocacy(review, request.user, answer)
        messages.success(request, ADVOCACY_THANKS[answer])
        return redirect("reviews:family_review", review.pk)
    return render(request, "reviews/family/advocacy.html", {
        "review": review, "form": form, "reader": Reader.of(request.user, review),
        "contacts": authority_contacts(review.plan.child.authority),
    })


ADVOCACY_THANKS = {
    AdvocacyOffer.Answer.YES: "Thank you. We have asked for an independent advocate for you. "
                              "We will tell you who it is. They will contact you before the "
                              "meeting.",
    AdvocacyOffer.Answer.NO: "Thank you. We have saved your answer. You can change your mind "
                             "at any time.",
    AdvocacyOffer.Answer.NOT_YET: "Thank you. You can answer later. The offer stays open.",
}


def _views_of(request, review) -> FamilyViews | None:
    return FamilyViews.objects.filter(review=review, author=request.user).first()


def file_words(views: FamilyViews | None) -> str:
    """What the child's upload is, as the family would say it ("picture (PNG)")."""
    return PICTURES_AND_RECORDINGS.get(views.childs_own_file_type, "file") if views else ""


@login_required
def views_start(request, review_id):
    access = review_access(request.user, review_id, need="family", request=request)
    review = access.review
    reader = Reader.of(request.user, review)
    views = _views_of(request, review)
    answered = [(reader.ask(q), bool(getattr(views, q.field, "").strip())
                 or (q.slug == "own-views" and bool(views and views.childs_own_file)))
                for q in QUESTIONS]
    return render(request, "reviews/family/views_start.html", {
        "review": review, "reader": reader, "views": views, "answered": answered,
        "status": views_status(views), "open": views_open(review),
        "views_due": own_views_due(review, request.user, timezone.localdate()),
        "first_step": QUESTIONS[0].slug,
    })


@login_required
@require_http_methods(["GET", "POST"])
def views_step(request, review_id, step):
    access = review_access(request.user, review_id, need="family", request=request)
    review = access.review
    question = QUESTION_BY_SLUG.get(step)
    if question is None:
        raise Http404("No such question")
    if autosave.requested(request):
        return _autosave_answer(request, review, question)
    if not views_open(review):
        return redirect("reviews:family_views", review.pk)
    reader = Reader.of(request.user, review)
    views = _views_of(request, review)
    changing = bool(request.GET.get("change") or request.POST.get("change"))
    kwargs = {"field": question.field, "label": reader.ask(question),
              "hint": question.hint(reader.child_name, reader.young_person),
              "initial": {"answer": getattr(views, question.field, "")}}
    is_own_views = question.slug == "own-views"
    if is_own_views:
        form = OwnViewsForm(posted(request), request.FILES or None,
                            has_file=bool(views and views.childs_own_file), **kwargs)
    else:
        form = AnswerForm(posted(request), **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_family_views(
                review, request.user, {question.field: form.cleaned_data["answer"]},
                upload=form.cleaned_data.get("upload") if is_own_views else None,
                remove_upload=form.cleaned_data.get("remove_upload", False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(_after_saving(request, review, question, changing))
    index = QUESTIONS.index(question)
    back = (reverse("reviews:family_views_check", args=[review.pk]) if changing
            else reverse("reviews:family_views_step", args=[review.pk, QUESTIONS[index - 1].slug])
            if index else reverse("reviews:family_views", args=[review.pk]))
    return render(request, "reviews/family/views_step.html", {
        "review": review, "reader": reader, "form": form, "views": views,
        "page_title": reader.title(question), "changing": changing, "back": back,
        "is_own_views": is_own_views, "file_words": file_words(views),
        "step_number": index + 1, "step_count": len(QUESTIONS),
    })


def _autosave_answer(request, review, question):
    """The answer as it is typed (common/autosave.py): the text only, as a draft."""
    form = AnswerForm(request.POST, field=question.field, label="", hint="")
    if not form.is_valid():
        return autosave.not_saved(autosave.first_error(form))
    try:
        do_save_family_views(review, request.user, {question.field: form.cleaned_data["answer"]})
    except ValidationError as error:
        return autosave.not_saved(error.message, status=409)  # the meeting has started
    return autosave.saved()


def _after_saving(request, review, question, changing) -> str:
    if request.POST.get("action") == "later":
        messages.success(request, "Your answers are saved. They are not sent yet. You can come "
                                  "back and finish them at any time before the meeting.")
        return reverse("reviews:family_review", args=[review.pk])
    index = QUESTIONS.index(question)
    if changing or index == len(QUESTIONS) - 1:
        return reverse("reviews:family_views_check", args=[review.pk])
    return reverse("reviews:family_views_step", args=[review.pk, QUESTIONS[index + 1].slug])


@login_required
@require_http_methods(["GET", "POST"])
def views_check(request, review_id):
    access = review_access(request.user, review_id, need="family", request=request)
    review = access.review
    reader = Reader.of(request.user, review)
    form = SendForm(posted(request))
    if request.method == "POST":
        try:
            do_send_family_views(review, request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("reviews:family_views_sent", review.pk)
    views = _views_of(request, review)
    return render(request, "reviews/family/views_check.html", {
        "review": review, "reader": reader, "form": form, "views": views,
        "rows": [(q, reader.ask(q), getattr(views, q.field, "")) for q in QUESTIONS],
        "open": views_open(review), "unsent": views is None or views.submitted_at is None
        or has_unsent_changes(views),
        "sent_on": views.submitted_at if views else None, "file_words": file_words(views),
    })


@login_required
def views_sent(request, review_id):
    access = review_access(request.user, review_id, need="family", request=request)
    review = access.review
    views = _views_of(request, review)
    if views is None or views.submitted_at is None:
        return redirect("reviews:family_views_check", review.pk)
    circulation = review.advice_due()
    return render(request, "reviews/family/views_sent.html", {
        "review": review, "reader": Reader.of(request.user, review),
        "coordinator": review.coordinator,
        # Sent after the circulation date: shared as it arrives, so no date to promise.
        "circulation": circulation if circulation and circulation >= timezone.localdate()
        and not review.advice_circulated_at else None,
        "meeting": presenters.meeting_text(review.meeting_at),
    })


@login_required
def views_file(request, review_id, views_id):
    """The child's picture or recording, only ever through the access rule."""
    access = review_access(request.user, review_id, need="view", request=request)
    views = FamilyViews.objects.filter(pk=views_id, review=access.review).first()
    if views is None or not views.childs_own_file or not may_open_views_file(
            request.user, access, views):
        raise refusal(request, access, "child's own file", views_id)
    audit.file_downloaded(request, access.review, f"child's own file {views.pk}")
    return file_download(views.childs_own_file.open("rb"),
                         download_name("childs-own-views", views.childs_own_file_type),
                         views.childs_own_file_type)
