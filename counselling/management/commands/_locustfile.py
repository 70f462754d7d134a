"""The users of `manage.py bench_load` (run by locust, not imported by Hamkke).

BENCH_PLAN names a JSON file: per signed-in person her session cookie, the
cases she may open and whether she manages the caseload. BENCH_MODE is `mix`
(what staff do all day) or `minimal` (one small signed-in API read, the
baseline). No think time: each user sends her next request as soon as the last
one answered."""

import itertools
import json
import os
import random

from locust import FastHttpUser, constant, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"]).read())  # noqa: SIM115, PTH123
PEOPLE = itertools.cycle(PLAN["people"])
CSRF = "b" * 32


class Staff(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.person = next(PEOPLE)
        self.headers = {
            "Cookie": f"sessionid={self.person['session']}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Referer": self.host,
        }

    def _get(self, url, name):
        self.client.get(url, headers=self.headers, name=name)

    if os.environ.get("BENCH_MODE") == "minimal":

        @task
        def me(self):
            self._get("/api/v1/me/", "minimal signed-in view")

    else:

        @task(3)
        def case_list(self):
            if self.person["manager"]:
                self._get("/counselling/caseload/?status=active", "caseload page")
            else:
                self._get("/api/v1/cases/?status=active", "cases API")

        @task(3)
        def case_page(self):
            case = random.choice(self.person["cases"])  # noqa: S311
            self._get(f"/counselling/cases/{case}/", "case page")

        @task(2)
        def dashboard(self):
            self._get("/", "dashboard")

        @task(2)
        def api_reads(self):
            case = random.choice(self.person["cases"])  # noqa: S311
            self._get(f"/api/v1/cases/{case}/timeline/", "timeline API")

        @task(1)
        def session_write(self):
            case = random.choice(self.person["cases"])  # noqa: S311
            self.client.post(
                "/api/v1/sessions/",
                json={"case": case, "mode": "phone", "notes": "Called her back."},
                headers=self.headers,
                name="session write",
            )
