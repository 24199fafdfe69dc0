"""A cursor whose statements PostgreSQL plans once per connection, for the busiest path.

Django binds every statement's parameters in the client, so PostgreSQL parses and plans it
anew each time. For a comment in the meeting room that planning was over half of the
database's work (bench/README.md). The few plain-SQL statements on that path are sent
through this cursor instead: it binds on the server, and each connection prepares a
statement the first time it sees it (`prepare_threshold` 0 in portal/settings.py, which
Django's own client-binding cursors ignore). Everything else keeps Django's cursors: with
every query prepared, PostgreSQL's generic plans made the dashboards slower.
"""

from django.db import connection


def prepared_cursor():
    """Like `connection.cursor()`; on SQLite, that cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    with connection.wrap_database_errors:
        # What `connection.cursor()` does, with another psycopg cursor inside Django's
        # wrapper: queries are still counted, logged and their errors translated.
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))
