"""A council's busiest week, for Locust: coordinators, professionals and parents doing their
journeys with think times, each page followed by its floor (a bare view rendering a table of
the same rows and cells through the same base template, bench/floor.py) in the same run.

Run by bench/soak.py, which seeds the authority, starts the servers behind nginx, and
writes the people file this reads (SOAK_PEOPLE): for each persona, signed-in session cookies
and the reviews each person may open.
"""

import itertools
import json
import os
import random
import re
import uuid

from locust import HttpUser, between, task

PEOPLE = json.loads(open(os.environ["SOAK_PEOPLE"]).read()) if "SOAK_PEOPLE" in os.environ \
    else {"coordinator": [], "professional": [], "parent": [], "lead": []}
NEXT = {kind: itertools.cycle(people or [None]) for kind, people in PEOPLE.items()}


def shape(html: str) -> tuple[int, int]:
    rows = len(re.findall(r"<tr[\s>]", html))
    cells = len(re.findall(r"<t[dh][\s>]", html))
    return rows, -(-cells // max(1, rows))


class Person(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(5, 20)

    def on_start(self):
        self.me = next(NEXT[self.kind])
        # In the session's jar, not a Cookie header: requests drops that header on a
        # redirect, and the person would arrive signed out.
        name, value = self.me["cookie"].split("=", 1)
        self.client.cookies.set(name, value)

    def page(self, name: str, url: str):
        """The page, then its floor: a bare page of the same size, measured beside it."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return
            if "/accounts/" in response.url:
                response.failure(f"sent to {response.url.split('?')[0]}")
                return
            rows, cells = shape(response.text)
        self.client.get(f"/bench-floor/?read={rows}&rows={rows}&cells={cells}",
                        name=f"floor: {name}")

    def review(self) -> str:
        return random.choice(self.me["reviews"])


class Coordinator(Person):
    kind, weight = "coordinator", 2

    @task(3)
    def home(self):
        self.page("coordinator: home", "/reviews/")

    @task(2)
    def due(self):
        self.page("coordinator: reviews due", "/reviews/due/")

    @task(4)
    def review_page(self):
        self.page("coordinator: a review", f"/reviews/{self.review()}/")

    @task(1)
    def caseload(self):
        self.page("coordinator: caseload", "/accountability/caseload/")


class Lead(Person):
    kind, weight = "lead", 1

    @task(2)
    def dashboards(self):
        self.page("lead: dashboards", "/accountability/")

    @task(1)
    def timeliness(self):
        self.page("lead: timeliness", "/accountability/timeliness/")

    @task(1)
    def export_in_background(self):
        """Asked for in the background: the django-q2 cluster builds it meanwhile."""
        form = self.client.get("/accountability/exports/sen2/", name="lead: export form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if form.status_code != 200 or not token:
            return
        # The server marks its cookie Secure (as production does); this runs over plain HTTP.
        if form.cookies.get("csrftoken"):
            self.client.cookies.set("csrftoken", form.cookies["csrftoken"])
        self.client.post("/accountability/exports/table/timeliness/background/",
                         {"format": "csv", "request_key": str(uuid.uuid4()),
                          "csrfmiddlewaretoken": token[1]}, name="lead: export in background")

    @task(1)
    def download(self):
        self.client.get("/accountability/exports/table/coordinator_caseload/?format=csv",
                        name="lead: caseload download")


class Professional(Person):
    kind, weight = "professional", 6

    @task(3)
    def mine(self):
        self.page("professional: my reviews", "/reviews/mine/")

    @task(3)
    def review_page(self):
        self.page("professional: a review", f"/reviews/{self.review()}/")

    @task(2)
    def advice(self):
        self.page("professional: advice form", f"/reviews/{self.review()}/advice/")


class Parent(Person):
    kind, weight = "parent", 11

    @task(3)
    def home(self):
        self.page("parent: home", "/reviews/family/")

    @task(3)
    def review_page(self):
        self.page("parent: the review", f"/reviews/{self.review()}/family/")

    @task(1)
    def views(self):
        self.page("parent: their views", f"/reviews/{self.review()}/views/")
