"""Issue 10: signed-in staff opening Huiyi's main pages — the locust side of bench/bench_pages.py.

    BENCH_PAGES_PLAN=plan.json .venv/bin/locust -f bench/locustfile.py --headless -u 20 -r 20 -t 60s \
        --host http://127.0.0.1:8000

The plan (written by bench/bench_pages.py) names the users, their shared password and, per user, the pages
that user may open. Each simulated user signs in through the login form (CSRF token and all, as a browser
does; outside the statistics: password hashing is not page load), then opens one of its pages at random,
waits BENCH_PAGES_WAIT seconds (a range, default 0.5-2: a person reading before the next click) and opens
another. Pages are grouped by name in the statistics; an answer other than 200 is a failure.
"""

import itertools
import json
import os
import random
import re
import threading

import requests
from locust import HttpUser, between, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["BENCH_PAGES_PLAN"]).read())  # noqa: SIM115
LOW, HIGH = (float(x) for x in os.environ.get("BENCH_PAGES_WAIT", "0.5-2").split("-"))
_next_user = itertools.cycle(PLAN["users"])
_lock = threading.Lock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Staff(HttpUser):
    wait_time = between(LOW, HIGH)

    def on_start(self):
        with _lock:
            account = next(_next_user)
        self.pages = account["pages"]
        # Signing in goes through the real form but outside the statistics: 20 password hashes at once
        # (PBKDF2, deliberately slow) are not page load. The session cookie is then the user's.
        browser = requests.Session()
        form = browser.get(self.host + "/accounts/login/", timeout=120)
        token = CSRF.search(form.text)
        answer = browser.post(
            self.host + "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": account["username"],
                "password": PLAN["password"],
            },
            headers={"Referer": self.host + "/accounts/login/"},
            timeout=120,
        )
        if answer.status_code != 200 or "/accounts/login/" in answer.url:
            raise StopUser(f"{account['username']} could not sign in ({answer.status_code})")
        self.client.cookies.update(browser.cookies)

    @task
    def open_page(self):
        name, url = random.choice(self.pages)  # noqa: S311
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as answer:
            if answer.status_code == 0:  # no answer: the connection failed (the error says how)
                answer.failure(f"no answer: {type(answer.error).__name__}: {answer.error}")
            elif answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")
