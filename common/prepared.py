"""A cursor whose statements PostgreSQL plans once per connection, for the busiest path.

Django binds every statement's parameters in the client, so PostgreSQL parses and plans it
anew each time. For a comment in the meeting room that planning was over half of the
database's work (bench/README.md). The few plain-SQL statements on that path are sent
through this cursor instead: it binds on the server, and each connection prepares a
statement the first time it sees it (`prepare_threshold` 0 in portal/settings.py, which
Django's own client-binding cursors ignore). Everything else keeps Django's cursors: with
every query prepared, PostgreSQL's generic plans made the dashboards slower.

Those statements name their tables and columns from the models (`quoted_column`), so a
renamed field cannot leave them behind.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model


def prepared_cursor() -> CursorWrapper:
    """Like `connection.cursor()`; on SQLite, that cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    with connection.wrap_database_errors:
        # What `connection.cursor()` does, with another psycopg cursor inside Django's
        # wrapper: queries are still counted, logged and their errors translated. Django's
        # type stubs know neither that private wrapping nor the psycopg cursor it is built on.
        cursor: CursorWrapper = connection._prepare_cursor(  # type: ignore[attr-defined]
            ServerBindingCursor(connection.connection))  # type: ignore[call-arg]
        return cursor


def model_field(model: type[Model], name: str = "pk") -> Field[Any, Any]:
    """`model`'s field `name` (its primary key for "pk") that is a column of its table."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{model.__name__}.{name} is another model's relation, not a column")
    return field


def quoted_column(model: type[Model], name: str = "pk") -> str:
    """The column of `model`'s field `name`, quoted for plain SQL."""
    column = model_field(model, name).column
    if column is None:
        raise TypeError(f"{model.__name__}.{name} has no column")
    return connection.ops.quote_name(column)
