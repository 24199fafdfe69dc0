"""Letters by post, for a family member who has no email or asks for letters on paper,
and for a parent who lives at another address.

Every letter the family gets (the invitation, the report, the council's decision and what
follows it) is also written, in the same transaction as its emails, as a PostalLetter for
each address of the family that gets post: one letter per address, to everyone there. The
coordinator side prints its PDF (A4, the address where a window envelope shows it), posts
it and records the day; the family's own time counts from that day (clock.served_on).

The letter's words are the email's or the page's, rendered by the app that owns them: each
registers a body for its kinds of letter (`letter_body`), so nothing here copies them.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html

from agencies.contacts import authority_contacts
from reviews import events, presenters
from reviews.access import family_told
from reviews.models import FamilyMember, PostalLetter, Review


@dataclass
class Household:
    """The family members at one address who get their letters by post."""

    key: str
    names: list[str]
    address_lines: list[str]
    young_person: bool

    @property
    def addressed_to(self) -> str:
        return " and ".join(self.names)


def households(child_id) -> list[Household]:
    """Everyone on the child's family record who hears of its reviews (``family_told``) and
    gets letters by post, one entry per address: parents at two addresses get a letter
    each."""
    found: dict[str, Household] = {}
    for member in family_told(child_id).filter(by_post=True).order_by("pk"):
        young = member.relationship == FamilyMember.Relationship.YOUNG_PERSON
        home = found.setdefault(member.household, Household(
            member.household, [], member.address_lines(), young_person=False))
        home.names.append(member.name)
        home.young_person = home.young_person or young
    return list(found.values())


def queue_letters(review: Review, kind: str, *, edition: int = 1) -> list[PostalLetter]:
    """Write the letter for each household that gets post, once: a step that runs again
    (a double submit, a retried job) finds the letters it wrote."""
    letters = []
    for home in households(review.plan.child_id):
        letter, _ = PostalLetter.objects.get_or_create(
            key=f"{kind}:{review.pk}:v{edition}:{home.key}",
            defaults={"review": review, "kind": kind, "edition": edition,
                      "addressed_to": home.addressed_to,
                      "address": "\n".join(home.address_lines),
                      "to_young_person": home.young_person})
        letters.append(letter)
    return letters


def do_record_posted(letter: PostalLetter, day: dt.date, actor,
                     today: dt.date | None = None) -> PostalLetter:
    """Record that the letter went in the post on ``day``. Recorded once: a second submit
    changes nothing. Where the family's time counts from this letter, the review keeps the
    latest day it was posted, which the clock counts from."""
    today = today or timezone.localdate()
    written_on = timezone.localdate(letter.created_at)
    if day > today:
        raise ValidationError("The date it was posted must be today or in the past")
    if day < written_on:
        raise ValidationError("The date it was posted must be on or after "
                              f"{presenters.date_text(written_on)}, when the letter was written")
    with transaction.atomic():
        letter = PostalLetter.objects.select_for_update().select_related("review").get(
            pk=letter.pk)
        if letter.posted_on is not None:
            return letter
        letter.posted_on, letter.posted_by = day, actor
        letter.save(update_fields=["posted_on", "posted_by"])
        review = Review.objects.select_for_update(of=("self",)).get(pk=letter.review_id)
        field = letter.count_from(review, day)
        if field:
            review.save(update_fields=[field])
        events.record(review, "letter.posted",
                      f"{letter.get_kind_display()}: sent by post on "
                      f"{presenters.date_text(day)}", actor=actor, letter=letter.pk)
    return letter


# ---------------------------------------------------------------------------
# The letter's words, from the app that owns them
# ---------------------------------------------------------------------------

# kind -> a function giving the letter's body as HTML, from the letter, its review as the
# family will have it once the letter is posted, and the letter's date.
_BODIES: dict[str, Callable[[PostalLetter, Review, dt.date], str]] = {}


def letter_body(*kinds: str):
    """Register the function that writes the body of these kinds of letter."""
    def register(function):
        for kind in kinds:
            _BODIES[kind] = function
        return function
    return register


def email_text(text: str) -> str:
    """An email's plain text as a letter's body, its lines as they are."""
    return format_html('<div class="email-text">{}</div>', text.strip())


def letter_date(letter: PostalLetter, today: dt.date) -> dt.date:
    """The date on the letter: the day it was posted, or for one still to post, the day
    it is printed (it goes that day)."""
    return letter.posted_on or today


def return_address(review: Review) -> list[str]:
    """Where the family writes back: the council's postal address when the portal has one
    (LETTER_RETURN_ADDRESS), with its SEND team's phone and email."""
    authority = review.plan.child.authority
    lines = [authority.name, *settings.LETTER_RETURN_ADDRESS]
    team = authority_contacts(authority).send_team
    if team is not None:
        lines += [f"Phone: {team.phone}", f"Email: {team.email}"]
    return lines


def render_letter_html(letter: PostalLetter, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    day = letter_date(letter, today)
    review = Review.objects.select_related(
        "plan__child__authority", "plan__child__setting", "coordinator").get(
        pk=letter.review_id)
    # The dates the letter gives count from its own date, as they will once it is posted.
    letter.count_from(review, day)
    return render_to_string("reviews/post/letter.html", {
        "letter": letter, "review": review, "letter_date": presenters.date_text(day),
        "return_address": return_address(review),
        "body": _BODIES[letter.kind](letter, review, day),
    })


def render_pdf(letter: PostalLetter, today: dt.date | None = None) -> bytes:
    """The letter as an A4 PDF to print and post."""
    from weasyprint import HTML  # loads Pango: only when a letter is printed

    return HTML(string=render_letter_html(letter, today)).write_pdf()


def filename(letter: PostalLetter) -> str:
    """No name in it: a file saved to a shared drive shows its name to everyone."""
    child = letter.review.plan.child
    return f"letter-{letter.kind}-{child.la_reference}-{letter.pk}.pdf".replace("/", "-")
