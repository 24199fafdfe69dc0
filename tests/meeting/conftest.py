"""The meeting room's tests meet the same cast as the reviews tests: a child with a plan and
a review, the coordinator, the setting's SENCO, an invited therapist, the child's parent, and
those who must be refused."""

from tests.reviews.conftest import (  # noqa: F401
    child,
    family_parent,
    invited_therapist,
    other_parent,
    plan,
    refused,
    review,
    school,
    senco,
    uninvited_professional,
)
