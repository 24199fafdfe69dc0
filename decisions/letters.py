"""The decision letters by post (reviews/post.py): the notice page's words, with the plan
the letter sends (the copy of the plan with proposed amendments, the final plan), since a
family on paper cannot follow the page's links to them."""

import datetime as dt

from django.template.loader import render_to_string

from decisions import presenters
from decisions.notify import FAMILY_LETTERS
from reviews import post
from reviews.models import PostalLetter, Review


@post.letter_body(*FAMILY_LETTERS)
def decision_letter(letter: PostalLetter, review: Review, day: dt.date) -> str:
    state = presenters.decision_state(review, day)
    to = presenters.Addressee(letter.to_young_person, review.plan.child.first_name)
    amendment = state.amendment
    enclosed = None
    if amendment is not None and letter.kind == PostalLetter.Kind.DECISION:
        enclosed = ("A copy of the plan as it was before these changes", amendment.plan_before)
    elif amendment is not None and letter.kind == PostalLetter.Kind.FINAL:
        enclosed = ("The final plan", amendment.final_version)
    return render_to_string("decisions/letter.html", {
        **presenters.notice_context(state, to, day, tasks=[]), "access": None,
        "enclosed": enclosed})
