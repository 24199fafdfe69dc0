"""The shared cast every access test reuses: a coordinator, a therapist, a parent, an outsider."""

import datetime as dt
import os
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from asgiref.sync import SyncToAsync
from django.conf import settings
from django.core.cache import cache
from django.db import connections

from agencies.models import Agency, AuthorityContact, Discipline, Role, User
from portal.origins import origin_of
from tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    AgencyFactory,
    AuthorityFactory,
    PersonFactory,
    ProfessionalFactory,
)

# Today, for every test module whose outcome hangs on the date (`pytestmark = [...,
# ON_TODAY]`): a Monday in term, with no bank holiday near, so that working days, terms and
# year groups come out the same whenever the suite runs. The clock ticks on from 10am there,
# so records made one after another keep their order; one-time codes (`current_code`) and
# signed links read the same clock. Two clocks do not move with it: the database's
# (reviews/access.py counts the 90 days after closing by it) and a browser's (to Chromium,
# a live server whose clock is behind its own sends static files already stale, and pages
# load late), so the browser journeys keep the real date.
TODAY = dt.date(2026, 11, 2)
ON_TODAY = pytest.mark.time_machine(dt.datetime.combine(TODAY, dt.time(10),
                                                        tzinfo=ZoneInfo("Europe/London")))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite, the test database is a file, as the portal's own is, not Django's default
    shared in-memory database. The live server of the browser tests serves every request
    on one in-memory connection, from several threads at once and beside the test's own
    queries: two queries on one connection could deadlock (one waiting in SQLite for the
    other's Python function, the other holding the interpreter), and two connections found
    each other's tables locked at once instead of waiting. A file gives every thread its
    own connection and SQLite's ordinary locking, which waits (the settings' WAL, immediate
    transactions and timeout)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = Path(tempfile.gettempdir()) / f"portal-test-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A code computed at the end of one 30-second period may be checked in the next.
    settings.MFA_TOTP_TOLERANCE = 1
    cache.clear()  # rate-limit counters and used one-time codes live in the cache
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _sync_to_async_thread_closes_its_connections(django_db_setup):
    """The ORM calls async tests make through sync_to_async run in asgiref's one shared
    thread, and nothing closes that thread's connection: it stays checked out of the
    PostgreSQL pool and keeps the test database from being dropped at the end."""
    yield
    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


def pytest_collection_modifyitems(items):
    """Transactional tests flush the database: each gets back what migrations made (Wagtail's
    root page and locale, the q2 schedules). All of them must, or the first flush re-creates
    content types under new ids and the next restore clashes with them.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture
def q_sync(monkeypatch):
    """Run django-q2 tasks synchronously, in this process, when they are queued."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


def current_code(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


CONTACTS = {
    # service: (name, phone, email)
    "send_team": ("Testshire SEND team", "0113 496 0100", "send@test.example"),
    "sendiass": ("Testshire SENDIASS", "0113 496 0600", "help@sendiass.test.example"),
    "advocacy": ("Speak Up Testshire", "0113 496 0500", "hello@speakup.test.example"),
    "disagreement_resolution": ("Testshire Resolve", "0113 496 0800",
                                "resolve@test.example"),
    "mediation": ("Testshire Mediation", "0113 496 0700", "mediation@test.example"),
}


def hold_contacts(authority) -> dict:
    """Every contact a letter names, held on the authority, by service: without them no
    letter goes. Those it holds already stay as they are."""
    return {service: AuthorityContact.objects.get_or_create(
                authority=authority, service=service,
                defaults={"name": name, "phone": phone, "email": email})[0]
            for service, (name, phone, email) in CONTACTS.items()}


def make_person(email, first="Test", last="Person", agency=None, role=None, discipline="",
                mfa=True, **extra) -> User:
    """The factories' people (tests/factories.py) in the short form most tests call: with no
    agency, a family member; with one, a professional in `role`, with two-step sign-in set
    up unless `mfa=False`."""
    if agency is None:
        return PersonFactory(email=email, first_name=first, last_name=last, **extra)
    return ProfessionalFactory(email=email, first_name=first, last_name=last, agency=agency,
                               role=role, discipline=discipline, two_step=mfa, **extra)


@pytest.fixture
def authority(db):
    return AuthorityFactory()


@pytest.fixture
def la_team(authority):
    return AgencyFactory(authority=authority, name="Testshire SEND team",
                         kind=Agency.Kind.LA_SEND)


@pytest.fixture
def nhs_trust(authority):
    return AgencyFactory(authority=authority, name="Testshire NHS Trust", kind=Agency.Kind.NHS,
                         ods_code="ZZ9")


@pytest.fixture
def coordinator(la_team):
    return make_person("coordinator@test.example", "Cora", "Ordinator", la_team,
                       Role.COORDINATOR, Discipline.SEN_OFFICER)


@pytest.fixture
def therapist(nhs_trust):
    return make_person("therapist@test.example", "Theo", "Rapist", nhs_trust,
                       Role.PRACTITIONER, Discipline.SPEECH_AND_LANGUAGE)


@pytest.fixture
def parent(db):
    return make_person("parent@test.example", "Pat", "Parent")


@pytest.fixture
def outsider(db):
    return make_person("outsider@test.example", "Oscar", "Outsider")


@pytest.fixture
def staff(la_team):
    return make_person("staff@test.example", "Stella", "Staff", la_team, Role.LEAD,
                       Discipline.SEN_OFFICER, is_staff=True, is_superuser=True)


def sign_in(client, user, code: bool = True):
    """Sign in through allauth's real forms: password, then the one-time code if asked."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    if code and response.status_code == 302 and "/2fa/authenticate" in response["Location"]:
        response = client.post(response["Location"], {"code": current_code()})
    return response


# The Origin header of a page of this site, as every socket test's handshake sends it.
ORIGIN = (b"origin", origin_of(settings.BASE_URL).encode())


def session_cookie_for(user) -> tuple[bytes, bytes]:
    """A WebSocket handshake header carrying `user`'s signed-in session."""
    from django.test import Client

    client = Client()
    sign_in(client, user)
    return session_cookie_of(client)


def session_cookie_of(client) -> tuple[bytes, bytes]:
    """A WebSocket handshake header carrying a test client's session, as it is now."""
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())


@pytest.fixture
def migrator(transactional_db):
    """For a test of a data migration, marked django_db(transaction=True) like every
    transactional test (see pytest_collection_modifyitems): `migrator(app, name)` moves
    the database to that migration, back or forward, and returns the models as they were
    then (`.get_model(app, model)`), to write rows the way that schema held them.
    Afterwards every app goes forward to its latest, so the tests that follow find the whole
    schema (a flush does not undo a migration)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(app: str, name: str):
        return MigrationExecutor(connection).migrate([(app, name)]).apps

    yield migrate
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
