"""The benchmarks' meeting rooms: reviews seeded through the portal's own models and
actions, each with its coordinator, a parent and invited professionals, the room open, and
a signed-in session for each person."""

import secrets
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Room:
    review_id: str
    item_id: int
    cookies: list  # one signed-in session per person, the coordinator first


def _person(email: str, first: str, last: str, agency=None, role=None, discipline=""):
    from agencies.models import Membership, User

    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password=None, first_name=first, last_name=last)
    if agency is not None:
        Membership.objects.get_or_create(user=user, agency=agency, role=role,
                                         defaults={"discipline": discipline})
        enrolled_in_two_step(user)
    return user


def enrolled_in_two_step(user) -> None:
    """Professionals must have a second factor (agencies/middleware.py): without one their
    sockets are refused (4403), as their pages are. An authenticator app, enrolled once."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                                    for _ in range(32)))


def _review_for(r: int, authority, school, coordinator):
    import datetime as dt

    from reviews.models import Child, Plan
    from reviews.termly import do_open_review

    child, _ = Child.objects.get_or_create(
        authority=authority, la_reference=f"BENCH-{r:04d}",
        defaults={"first_name": "Bench", "last_name": f"Child {r}",
                  "date_of_birth": dt.date(2016, 3, 14), "setting": school})
    plan = child.plans.first() or Plan.objects.create(
        child=child, first_issued_on=dt.date.today() - dt.timedelta(days=300),
        sections={"A": "About the child."})
    return plan.reviews.open().first() or do_open_review(plan, coordinator, actor=coordinator)


def seed(rooms: int, people: int) -> list[tuple]:
    """R reviews, each with a coordinator, a parent and invited professionals, and their
    meeting rooms open. Idempotent: a second run finds what the first made."""
    from agencies.models import Agency, Discipline, LocalAuthority, Role
    from reviews.invitees import Invitee
    from reviews.meeting import do_open_meeting
    from reviews.models import FamilyMember, Invitation, Presence
    from reviews.scheduling import do_add_invitations

    authority, _ = LocalAuthority.objects.get_or_create(
        name="Benchmark County Council", defaults={"dfe_code": "990"})
    la_team, _ = Agency.objects.get_or_create(authority=authority, name="Benchmark SEND team",
                                              kind=Agency.Kind.LA_SEND)
    school, _ = Agency.objects.get_or_create(authority=authority, name="Benchmark Primary",
                                             kind=Agency.Kind.SCHOOL)
    trust, _ = Agency.objects.get_or_create(authority=authority, name="Benchmark NHS Trust",
                                            kind=Agency.Kind.NHS)
    seeded = []
    for r in range(rooms):
        coordinator = _person(f"coordinator{r}@bench.example", "Coordinator", str(r), la_team,
                              Role.COORDINATOR, Discipline.SEN_OFFICER)
        review = _review_for(r, authority, school, coordinator)
        parent = _person(f"parent{r}@bench.example", "Parent", str(r))
        FamilyMember.objects.get_or_create(child_id=review.plan.child_id, user=parent,
                                           defaults={"name": str(parent), "email": parent.email})
        professionals = [
            _person(f"professional{r}.{k}@bench.example", "Professional", f"{r}.{k}", trust,
                    Role.PRACTITIONER, Discipline.SPEECH_AND_LANGUAGE)
            for k in range(people - 2)]
        do_add_invitations(review, coordinator, [
            Invitee(str(parent), parent.email, Invitation.Role.FAMILY, user=parent),
            *(Invitee(str(p), p.email, Invitation.Role.PROFESSIONAL, agency=trust, user=p)
              for p in professionals)])
        meeting = do_open_meeting(review, coordinator)
        # A run that was killed leaves its people "in the room"; nobody is, now.
        Presence.objects.filter(review=review).delete()
        seeded.append((str(review.pk), meeting.current_item_id,
                       [coordinator, parent, *professionals]))
    return seeded


def signed_in_cookie(user) -> str:
    """A session as a full sign-in leaves it (password and two-step records included), made
    directly: 500 people need not each walk through the sign-in pages."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    now = time.time()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def prepare_rooms(rooms: int, people: int) -> list[Room]:
    return [Room(review_id, item_id, [signed_in_cookie(u) for u in users])
            for review_id, item_id, users in seed(rooms, people)]


def forget_sessions(rooms: list[Room]) -> None:
    from django.contrib.sessions.models import Session

    keys = [cookie.split("=", 1)[1] for room in rooms for cookie in room.cookies]
    Session.objects.filter(session_key__in=keys).delete()
