"""The meeting room's busiest statements are planned once per connection on PostgreSQL,
and only they: Django's own queries keep client-side binding (bench/README.md)."""

import pytest
from django.db import connection

from common.prepared import prepared_cursor
from meeting import room
from meeting.models import Comment
from reviews.access import access_again, review_access

pytestmark = pytest.mark.django_db


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_prepared_cursor_answers_as_a_plain_one_on_either_database(coordinator):
    with prepared_cursor() as cursor:
        cursor.execute("SELECT %s, %s", [coordinator.pk, "text"])
        assert cursor.fetchone() == (coordinator.pk, "text")


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="only PostgreSQL prepares statements (run in CI's PostgreSQL job)")
def test_a_comment_in_the_room_runs_prepared_statements_and_nothing_else_is_prepared(
        review, coordinator):
    meeting = room.do_open_meeting(review, coordinator)
    access = access_again(review_access(coordinator, review.pk, need="meeting"),
                          coordinator, "meeting")
    for n in range(2):
        access = access_again(access, coordinator, "meeting")
        room.apply_change(access, coordinator, "comment.add",
                          {"item": meeting.current_item_id, "text": f"Comment {n}"}, f"key-{n:06}")
    assert Comment.objects.count() == 2
    statements = prepared_statements()
    for what in ("FROM \"agencies_user\" u LEFT JOIN",  # where the person stands
                 "AS \"of_my_family\"",                 # the access rule's kept query
                 "ON CONFLICT DO NOTHING",              # the change's key
                 "FOR UPDATE OF m",                     # the room, locked
                 "settled AS (UPDATE"):                 # the event, numbered, settling it
        assert sum(what in statement for statement in statements) == 1, what
    assert not any("reviews_comment" in statement for statement in statements)
