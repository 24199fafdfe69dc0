"""Setup shared by the advice tests (this module holds no tests of its own): advice typed,
saved and submitted through the real action functions, files with real content, and a
second contributor. Import what a test module needs from here (fixtures by their
`_fixture` names)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Discipline, Role
from reviews.advice import AdviceContent, do_save_advice, do_submit_advice
from reviews.models import Advice, Invitation, OutcomeProgress
from reviews.uploads import PDF
from tests.conftest import make_person
from tests.reviews.conftest import invite_person

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pdf(name="report.pdf", extra=b""):
    return SimpleUploadedFile(name, PDF_BYTES + extra, content_type="application/pdf")


def typed_advice(review, progress=OutcomeProgress.Progress.ON_TRACK, **fields) -> AdviceContent:
    """Advice that answers every outcome of the review's plan."""
    answers = {o.pk: (progress, f"Seen in class, outcome {o.number}.")
               for o in review.plan.outcomes.all()}
    fields.setdefault("what_is_working", "Visual timetables help.")
    fields.setdefault("what_is_not_working", "The lunch hall is too loud.")
    fields.setdefault("recommended_changes", {"F": "Weekly speech and language therapy."})
    return AdviceContent(progress=answers, **fields)


def invitation_of(review, user) -> Invitation:
    return review.invitations.current().get(user=user)


def submit(review, user, now=None, files=(), **fields) -> Advice:
    invitation = invitation_of(review, user)
    draft = do_save_advice(invitation, user, typed_advice(review, **fields), files=files)
    return do_submit_advice(draft, user, now=now)


# Fixtures carry a "_fixture" suffix so that a module importing them can take them as
# arguments under their plain names without shadowing the import.
@pytest.fixture(name="media")
def media_fixture(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(name="submitted")
def submitted_fixture(review, invited_therapist, media) -> Advice:
    """The invited therapist's advice, submitted, with a PDF report."""
    return submit(review, invited_therapist, files=[(pdf(), PDF)])


@pytest.fixture(name="physio")
def physio_fixture(review, nhs_trust):
    """A second invited contributor."""
    person = make_person("physio@test.example", "Phil", "Physio", nhs_trust, Role.PRACTITIONER,
                         Discipline.PHYSIOTHERAPIST)
    invite_person(review, person, agency=nhs_trust, discipline=Discipline.PHYSIOTHERAPIST)
    return person
