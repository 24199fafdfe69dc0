"""No link anyone is shown leads to a 403, a 404 or a 500 (issue #16, item 8): in the demo
authority, as a SENCO whose school convenes some of its reviews, a SENCO whose school
convenes none, a therapist, an agency lead, a parent and a young person, every link every
page shows them is followed, from their home, as far as it leads."""

import html
import re
from collections import deque

import pytest
from django.test import Client

from agencies.models import User
from demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET, DOMAIN
from tests.conftest import current_code
from tests.reviews.test_demo_seed import seeded  # noqa: F401  (the seeded demo, once)

pytestmark = pytest.mark.django_db

# The CMS is the staff's (a 403 for anyone else, as it should be, and never linked for
# them); static files and downloads are not pages.
NOT_PAGES = ("/cms/", "/static/", "/documents/", "/media/")
HREF = re.compile(r'href="(/[^"#]*)"')


def walk(client, start: str) -> tuple[int, list[tuple[str, str, int]]]:
    """Follow every link from `start`: how many pages were read, and each link that
    answered 400 or more, with the page that showed it."""
    seen, broken, queue = {start}, [], deque([(start, "(home)")])
    while queue:
        url, shown_on = queue.popleft()
        response = client.get(url)
        if response.status_code in (301, 302):
            target = response["Location"]
            if target.startswith("/") and target not in seen:
                seen.add(target)
                queue.append((target, url))
            continue
        if response.status_code >= 400:
            broken.append((url, shown_on, response.status_code))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in map(html.unescape, HREF.findall(response.content.decode())):
            if href not in seen and not href.startswith(NOT_PAGES):
                seen.add(href)
                queue.append((href, url))
    return len(seen), broken


@pytest.mark.parametrize("who", ["helen.price", "ruth.evans", "nadia.khan", "kate.wilson",
                                 "sarah.ahmed", "jordan.clarke"])
def test_every_link_a_person_is_shown_leads_somewhere(seeded, who):  # noqa: F811
    client = Client()
    # Hashed again with the tests' fast hasher: the module's seed ran before it was set.
    person = User.objects.get(email=f"{who}@{DOMAIN}")
    person.set_password(DEMO_PASSWORD)
    person.save(update_fields=["password"])
    signed_in = client.post("/accounts/login/", {"login": f"{who}@{DOMAIN}",
                                                 "password": DEMO_PASSWORD})
    if "/2fa/authenticate" in signed_in.get("Location", ""):
        signed_in = client.post(signed_in["Location"],
                                {"code": current_code(DEMO_TOTP_SECRET)})
    assert signed_in.status_code == 302 and "/2fa/" not in signed_in["Location"]
    read, broken = walk(client, "/reviews/")
    assert read > 10, "the walk went somewhere"
    assert broken == [], broken
