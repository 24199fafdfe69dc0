"""What is reviewed: children, their plans, reviews of those plans, and who takes part.

Data rules live here; date rules live in the clock (reviews/clock.py); who may see and do
what lives in reviews/access.py. One module a part: the child's record (records.py), the
review as it goes and who is invited (workflow.py), what people send before the meeting
(contributions.py), letters by post (letters.py), terms and calendar feeds (calendars.py),
and the limits the records hold to (limits.py). Every model is named here, so
`from reviews.models import Review` is the way in; migrations also find `attachment_path`
here, as its uploads were first declared.
"""

from reviews.models.calendars import CalendarFeed, Term
from reviews.models.contributions import (
    Advice,
    AdvocacyOffer,
    AdvocacyReferral,
    Attachment,
    FamilyViews,
    OutcomeProgress,
    attachment_path,
)
from reviews.models.letters import PostalLetter
from reviews.models.limits import (
    ACCESS_AFTER_CLOSE,
    ANSWER_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SECTION_MAX_LENGTH,
)
from reviews.models.records import (
    Child,
    FamilyMember,
    NamedProfessional,
    Outcome,
    Plan,
    PlanQuerySet,
    YoungPersonDecision,
)
from reviews.models.workflow import (
    Event,
    Invitation,
    Review,
    ReviewQuerySet,
    hash_token,
)

__all__ = [
    "ACCESS_AFTER_CLOSE", "ANSWER_MAX_LENGTH", "REASON_MAX_LENGTH", "SECTION_MAX_LENGTH",
    "Advice", "AdvocacyOffer", "AdvocacyReferral", "Attachment", "CalendarFeed", "Child",
    "Event", "FamilyMember", "FamilyViews", "Invitation", "NamedProfessional", "Outcome",
    "OutcomeProgress", "Plan", "PlanQuerySet", "PostalLetter", "Review", "ReviewQuerySet", "Term",
    "YoungPersonDecision",
    "attachment_path", "hash_token",
]
