"""The seams no linter can express, checked over the whole code base (the rest are
import-linter contracts in pyproject.toml):

- every view and WebSocket consumer that takes a review's id asks the one access rule;
- email leaves only through the outbox;
- no statutory duration is typed outside the clock;
- view modules hold views: every app lists its paths in its own urls.py;
- no module is longer than 600 lines."""

import ast
import inspect
import os
import re
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver

from portal.routing import websocket_urlpatterns

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accountability", "agencies", "common", "decisions", "home", "imports", "meeting",
        "outbox", "portal", "reports", "reviews"]
ACCESS_CALLS = {"review_access", "access_again"}


def routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def called_names(function) -> set[str]:
    tree = ast.parse(inspect.getsource(function).lstrip())
    return {node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)}


def asks_the_access_rule(function, depth: int = 2) -> bool:
    """It calls the access rule, or a function of its own module that does (a view's
    ``_access(request, review_id)`` helper)."""
    names = called_names(function)
    if names & ACCESS_CALLS:
        return True
    module = inspect.getmodule(function)
    helpers = [getattr(module, name) for name in names
               if inspect.isfunction(getattr(module, name, None))]
    return depth > 0 and any(asks_the_access_rule(helper, depth - 1) for helper in helpers)


def review_views():
    for route, callback in routes(get_resolver().url_patterns):
        if "<uuid:review_id>" in route:
            yield route, inspect.unwrap(callback)


def test_every_view_of_a_review_asks_the_access_rule():
    views = list(review_views())
    assert len(views) > 40, "the walk found the review pages"
    assert [route for route, view in views if not asks_the_access_rule(view)] == []


def test_every_socket_of_a_review_asks_the_access_rule():
    consumers = [pattern.callback.consumer_class for pattern in websocket_urlpatterns
                 if "review_id" in str(pattern.pattern)]
    assert len(consumers) == 2
    for consumer in consumers:
        methods = [member for _, member in inspect.getmembers(consumer, inspect.isfunction)
                   if member.__module__.split(".")[0] in APPS]
        assert any(ACCESS_CALLS & called_names(method) for method in methods), consumer


def modules(*, leave_out=()):
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative and not relative.startswith(leave_out):
                yield relative, ast.parse(path.read_text())


SENDING = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage",
           "EmailMultiAlternatives", "get_connection"}


def test_email_leaves_only_through_the_outbox():
    """Everything else queues a row (outbox.mail.queue_email) in the change's transaction."""
    found = []
    for path, tree in modules(leave_out=("outbox/",)):
        for node in ast.walk(tree):
            if (isinstance(node, ast.ImportFrom) and node.module
                    and node.module.startswith("django.core.mail")):
                found += [f"{path}: {alias.name}" for alias in node.names
                          if alias.name in SENDING | {"*"}]
    assert found == []


# The lengths the law sets (reviews/clock.py StatutoryDurations), by the unit they are
# written in: typed elsewhere, a date would not follow the clock's settings.
STATUTORY = {"weeks": {2, 4, 5, 8}, "days": {15, 30}, "months": {1, 2, 3, 6, 12},
             "years": {1}}


def statutory_lengths(tree):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
                and (getattr(node.func, "id", None) or node.func.attr)
                in {"timedelta", "relativedelta"}):
            for keyword in node.keywords:
                value = keyword.value
                if (isinstance(value, ast.Constant) and keyword.arg in STATUTORY
                        and value.value in STATUTORY[keyword.arg]):
                    yield node.lineno, f"{keyword.arg}={value.value}"


def test_no_statutory_duration_is_typed_outside_the_clock():
    found = [f"{path}:{line} {length}"
             for path, tree in modules(leave_out=("reviews/clock.py",))
             for line, length in statutory_lengths(tree)]
    assert found == []


@pytest.mark.parametrize("source, found", [
    ("dt.timedelta(weeks=2)", [(1, "weeks=2")]),
    ("relativedelta(months=12)", [(1, "months=12")]),
    ("timedelta(days=14)", []),  # two weeks in days: an invitation's life, not the law's
])
def test_the_duration_check_finds_what_it_should(source, found):
    assert list(statutory_lengths(ast.parse(source))) == found


TYPED_DURATION = re.compile(r"\b\d+ (?:working days?|weeks?|days?|months?)\b")
COMMENT = re.compile(r"\{% comment %\}.*?\{% endcomment %\}|\{#.*?#\}", re.S)


def test_no_page_or_email_types_a_duration():
    """Templates say a duration with {% law "..." %} (the clock's words for the settings in
    force) or from the constant that sets it, never as typed text."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("templates/**/*")):
            if path.suffix in {".html", ".txt"}:
                text = COMMENT.sub("", path.read_text())
                found += [f"{path.relative_to(ROOT)}: {match}"
                          for match in TYPED_DURATION.findall(text)]
    assert found == []


def is_views_module(path: str) -> bool:
    return "/views/" in path or path.endswith(("/views.py", "_views.py"))


def test_view_modules_hold_views_and_each_app_lists_its_paths_in_its_urls_py():
    found = [path for path, tree in modules()
             if is_views_module(path)
             for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
             for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
             if isinstance(target, ast.Name) and "urlpatterns" in target.id]
    assert found == []


LONGEST_MODULE = 600
# Every rule of the law in one place, on purpose: docs/statutory-clock.md reads it top down.
LONG_ON_PURPOSE = {"reviews/clock.py"}


def python_files():
    """Every Python file of the project, its own packages, tests and benchmarks alike: not
    migrations (written by Django), nor anything in a hidden or installed folder."""
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if not name.startswith((".", "__"))
                         and name not in {"node_modules", "migrations"}]
        for name in files:
            if name.endswith(".py"):
                yield (Path(folder) / name).relative_to(ROOT).as_posix()


def test_no_module_is_longer_than_600_lines():
    """A module past 600 lines is doing more than one thing: split it where its parts do
    different things, and name each part for what it does."""
    lengths = {path: len((ROOT / path).read_text().splitlines()) for path in python_files()}
    assert len(lengths) > 300, "the walk found the project's modules"
    assert {path: length for path, length in lengths.items() if length > LONGEST_MODULE
            and path not in LONG_ON_PURPOSE} == {}
