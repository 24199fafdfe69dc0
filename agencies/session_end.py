"""A person's open sockets close when their session ends, or may have, and not at their
next change: every signed-in socket (agencies/sockets.py SignedInConsumer) is in a group for
its person and one for its session, and these receivers tell the group to close.

- Signing out ends that session: its sockets close with SIGNED_OUT, from which the browser
  does not reconnect (static/portal/socket.js).
- A password changed or reset, or a two-step method removed, reset or deleted (through
  allauth, or a row deleted by staff), ends some of the person's sessions and not others:
  Django keeps the session that changed the password, under a new key its open sockets do
  not know. All their sockets close with CHECK_SESSION: the browser connects again at once,
  and the handshake lets in only a session still signed in (and, for a professional, still
  past its two-step check).

allauth removes an authenticator by deleting its row, so the post_delete receiver answers
allauth's removals and staff's alike; allauth's `authenticator_reset` is received too, for
new recovery codes may replace none. Each closes only after its transaction commits, and
channels-redis carries the message to every server process.
"""

import hashlib

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_reset
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete

SIGNED_OUT = 4401
CHECK_SESSION = 4001


def person_sockets_group(user_id: int) -> str:
    return f"sockets.person.{user_id}"


def session_sockets_group(session_key: str) -> str:
    # The group's name travels through Redis: a digest of the session's key, never the key.
    return f"sockets.session.{hashlib.sha256(session_key.encode()).hexdigest()[:32]}"


def close_sockets(group: str, code: int) -> None:
    """Once the transaction commits: every socket in `group` closes with `code`."""
    message = {"type": "session.end", "code": code}
    transaction.on_commit(lambda: async_to_sync(get_channel_layer().group_send)(group, message))


def _signed_out(sender, request, user, **kwargs):
    key = request.session.session_key if request is not None else None
    if key:
        close_sockets(session_sockets_group(key), SIGNED_OUT)


def _password_changed(sender, user, **kwargs):
    close_sockets(person_sockets_group(user.pk), CHECK_SESSION)


def _authenticator_reset(sender, user, **kwargs):
    close_sockets(person_sockets_group(user.pk), CHECK_SESSION)


def _authenticator_deleted(sender, instance, **kwargs):
    close_sockets(person_sockets_group(instance.user_id), CHECK_SESSION)


def connect() -> None:
    user_logged_out.connect(_signed_out, dispatch_uid="session_end.signed_out")
    password_changed.connect(_password_changed, dispatch_uid="session_end.password_changed")
    password_reset.connect(_password_changed, dispatch_uid="session_end.password_reset")
    authenticator_reset.connect(_authenticator_reset,
                                dispatch_uid="session_end.authenticator_reset")
    post_delete.connect(_authenticator_deleted, sender=Authenticator,
                        dispatch_uid="session_end.authenticator_deleted")
