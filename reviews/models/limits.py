"""What the review's records hold to, in numbers every app reads."""

from datetime import timedelta

# The longest free text a person may type into each kind of answer (forms show each limit
# with GOV.UK's character count). Generous, so that nobody writing in full meets them; they
# stop one person storing megabytes that every page, email and drafted report then carries.
REASON_MAX_LENGTH = 2_000  # a reason, in a few sentences: about 300 words
ANSWER_MAX_LENGTH = 5_000  # one answer: to a family's question, on one outcome (a page and a half)
SECTION_MAX_LENGTH = 10_000  # a section of advice, a decision's reasons: about three pages

# Invited people keep a review this long after it closes (reviews/access.py).
ACCESS_AFTER_CLOSE = timedelta(days=90)
