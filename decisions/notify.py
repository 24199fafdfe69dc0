"""The emails the decision steps send, queued through the outbox in the step's transaction.

Emails travel outside the portal, so they name the child by initials and LA reference only
and carry a link to the notice, never its content.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from agencies.contacts import authority_contacts
from outbox.mail import queue_email
from reviews import post, presenters
from reviews.access import family_told
from reviews.models import Review


def _link(name: str, review: Review) -> str:
    return settings.BASE_URL.rstrip("/") + reverse(name, args=[review.pk])


def reference(review: Review) -> str:
    child = review.plan.child
    return f"{child.initials} ({child.la_reference})"


def _context(review: Review, **extra) -> dict:
    return {"review": review, "reference": reference(review),
            "service_name": settings.SITE_NAME, "authority_name": review.plan.child.authority.name,
            "coordinator": review.coordinator, **extra}


def family_addresses(review: Review) -> list[str]:
    """Everyone on the child's family record who hears of the review and has an email:
    parents and carers, and the young person; after the end of compulsory school age, the
    young person and those they agree to (reviews/access.py). Those without an email get
    the letter by post (``tell_family``)."""
    addresses = family_told(review.plan.child_id).exclude(email="").order_by(
        "email").values_list("email", flat=True)
    return list(dict.fromkeys(address.lower() for address in addresses))


def setting_address(review: Review) -> str:
    """The duty inbox of the school or college named for the child, if it has one."""
    setting = review.plan.child.setting
    return setting.email.lower() if setting is not None and setting.email else ""


# What each letter to the family is, for its subject and its first line.
FAMILY_LETTERS = {
    "decision": "The council's decision after the review",
    "final": "The final plan after the review",
    "not_amending": "The council has decided not to change the plan",
    "ceased": "The plan has ended",
    "order": "The Tribunal's order: what the council must do",
}


def tell_family(review: Review, letter: str, *, setting_too: bool = False) -> None:
    """Email the family (and, where the law says so, the setting) a link to the notice,
    and write the letter for each address of the family that gets post. One email per
    address and letter, however often this runs."""
    subject = f"{FAMILY_LETTERS[letter]}: {reference(review)}"
    text = render_to_string("decisions/email/to_family.txt", _context(
        review, what=FAMILY_LETTERS[letter], letter=letter,
        link=_link("decisions:notice", review),
        contacts=authority_contacts(review.plan.child.authority)))
    addresses = family_addresses(review)
    for address in addresses:
        queue_email(f"decision:{review.pk}:{letter}:{address}", address, subject, text)
    post.queue_letters(review, letter)
    setting = setting_address(review) if setting_too else ""
    if setting and setting not in addresses:
        setting_text = render_to_string("decisions/email/to_setting.txt", _context(
            review, what=FAMILY_LETTERS[letter], link=_link("reviews:review", review)))
        queue_email(f"decision:{review.pk}:{letter}:setting:{setting}", setting, subject,
                    setting_text)


def coordinator_key(review: Review, key: str) -> str:
    return f"decision:{review.pk}:{key}"


def tell_coordinator(review: Review, key: str, what: str) -> None:
    """Tell the council's officer for the review (its coordinator, unless a school arranged
    it: `Review.council_officer`) what happened or is due, with a link to the review.
    ``key`` makes the email once per thing."""
    name, address = review.council_officer()
    text = render_to_string("decisions/email/to_coordinator.txt", _context(
        review, what=what, link=_link("reviews:review", review), coordinator=name))
    queue_email(coordinator_key(review, key), address, f"{what}: {reference(review)}", text)


def tell_commissioner(review: Review, letter_date) -> None:
    """A decision to cease goes to the responsible commissioning body too (SEND Regs 2014
    reg 31(2)), once. Where the authority has none on record, the coordinator is asked to
    tell them, so the duty is not silently missed."""
    commissioner = review.plan.child.authority.health_commissioner
    address = commissioner.email.lower() if commissioner is not None else ""
    if not address:
        tell_coordinator(review, "commissioner", "Tell the health commissioning body of the "
                         "decision to cease the plan: the portal has no address for them")
        return
    text = render_to_string("decisions/email/to_commissioner.txt", _context(
        review, letter_date=presenters.date_text(letter_date)))
    queue_email(f"decision:{review.pk}:ceasing:commissioner:{address}", address,
                f"Decision to cease an EHC plan: {reference(review)}", text)
