"""Issue 7 benchmark: 10,000 survey responses from 20 concurrent clients, then the results page.

    .venv/bin/python bench/bench_surveys.py                 # SQLite (a fresh file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_surveys.py
        # PostgreSQL: a fresh database is created on that server and dropped after

What it does:
1. a fresh database, migrated; a finished meeting with 10,000 checked-in attendees, the default attendee
   survey of §2.9(1) and one personal link per attendee (as the e-mails would carry);
2. starts gunicorn (the set-up of bench/checkin.py) and has 20 keep-alive clients (threads, http.client)
   POST one answer per personal link to /api/v1/survey-responses/ — five scale answers from the rulebook's
   scale and a comment for one in five — as fast as the server answers;
3. prints throughput, p50/p95/p99/max and the errors (anything but 201), and checks 10,000 responses;
4. in-process: the results page /surveys/<id>/results/ (median, p95, queries) with those 10,000 responses.

Target (issue 7): no errors; results page under 300 ms server time.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from bench.checkin import (  # noqa: E402
    drop_database,
    free_port,
    fresh_database,
    percentile,
    setup,
    start_gunicorn,
    stop,
)

RESPONSES = 10_000
CLIENTS = 20


def populate() -> tuple[int, list[str], list[int], tuple[int, int]]:
    """The survey id, one personal token per attendee, the scale question ids and the answer scale."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from huiyi.accounts import services as accounts
    from huiyi.accounts.models import Role, User
    from huiyi.clients.models import Client
    from huiyi.core import links
    from huiyi.feedback.surveys import scoring, services
    from huiyi.feedback.surveys.models import Audience, Invitation
    from huiyi.onsite.attendees.models import Attendee, Ticket, new_ticket_code
    from huiyi.onsite.checkin.models import CheckIn
    from huiyi.projects import services as projects
    from huiyi.projects.models import MeetingType
    from huiyi.rulebook.services import rulebook_for

    accounts.ensure_default_roles(update_permissions=True)
    unit = accounts.create_org_unit(
        code="bench", name={"zh-hans": "基准会务部", "en": "Bench"}, kind="company"
    )
    client = Client.objects.create(name="基准客户", name_en="Bench client", kind="enterprise", org_unit=unit)
    manager = User.objects.create_user(username="manager", password=uuid.uuid4().hex, org_unit=unit)
    accounts.grant_role(manager, unit, "project_manager")
    end = timezone.now() - timedelta(hours=1)
    project = projects.create_project(
        code="BENCH-SURVEY",
        name="问卷基准会议",
        client=client,
        org_unit=unit,
        meeting_type=MeetingType.objects.order_by("pk").first(),
        start=end - timedelta(hours=8),
        end=end,
        expected_attendees=RESPONSES,
        members=[(manager, Role.objects.get(key="project_manager"))],
    )
    attendees = Attendee.objects.bulk_create(
        [Attendee(project=project, external_key=f"s{i}", name=f"参会人 {i:05d}") for i in range(RESPONSES)],
        batch_size=2000,
    )
    tickets = Ticket.objects.bulk_create(
        [Ticket(attendee=a, project=project, code=new_ticket_code()) for a in attendees], batch_size=2000
    )
    now = timezone.now()
    CheckIn.objects.bulk_create(
        [CheckIn(ticket=t, project=project, checked_in_at=now, device="b", created_at=now) for t in tickets],
        batch_size=2000,
    )
    template = services.default_template(Audience.ATTENDEES, rulebook_for(project))
    survey = services.create_survey(
        project,
        by=manager,
        template=template,
        opens_at=end - timedelta(minutes=30),
        closes_at=now + timedelta(days=3),
    )
    invitations = Invitation.objects.bulk_create(
        [Invitation(survey=survey, attendee=a, name=a.name) for a in attendees], batch_size=2000
    )
    tokens = []
    with transaction.atomic():
        for invitation in invitations:
            link, token = links.issue(
                services.LINK_PURPOSE, invitation, single_use=False, lifetime=timedelta(days=7)
            )
            invitation.link = link
            tokens.append(token)
        Invitation.objects.bulk_update(invitations, ["link"], batch_size=2000)
    questions = list(
        template.questions.filter(kind="scale").order_by("position").values_list("pk", flat=True)
    )
    text = template.questions.filter(kind="text").values_list("pk", flat=True).first()
    return survey.pk, tokens, questions + [text], scoring.scale(rulebook_for(project))


def bodies(tokens, question_ids, scale) -> list[bytes]:
    rng = random.Random(7)
    low, high = scale
    *scales, text = question_ids
    out = []
    for n, token in enumerate(tokens):
        answers = {
            str(q): rng.choices(range(high, low - 1, -1), weights=[45, 35, 12, 5, 3][: high - low + 1])[0]
            for q in scales
        }
        if n % 5 == 0 and text:
            answers[str(text)] = "会务安排周到,希望下次提前发送日程。"
        out.append(json.dumps({"token": token, "answers": answers}, ensure_ascii=False).encode())
    return out


def drive(port: int, payloads: list[bytes]) -> dict:
    lock = threading.Lock()
    queue = list(reversed(payloads))
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not queue:
                    break
                body = queue.pop()
            started = time.perf_counter()
            try:
                connection.request(
                    "POST",
                    "/api/v1/survey-responses/",
                    body=body,
                    headers={"Content-Type": "application/json", "Host": "127.0.0.1"},
                )
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=worker) for _i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"seconds": time.perf_counter() - started, "latencies": sorted(latencies), "statuses": statuses}


def results_page(survey_id: int) -> float:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from bench.common import report
    from huiyi.accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    call_command("collectstatic", interactive=False, verbosity=0)
    admin = User.objects.create_superuser(username="bench-admin", password=uuid.uuid4().hex)
    client = Client()
    client.force_login(admin)

    def page():
        response = client.get(f"/surveys/{survey_id}/results/")
        assert response.status_code == 200, response.status_code

    median, _p95 = report(f"results page, {RESPONSES:,} responses", page, 15)
    from huiyi.feedback.surveys import queries
    from huiyi.feedback.surveys.models import Survey

    survey = Survey.objects.get(pk=survey_id)
    report("results aggregation only (queries.results)", lambda: queries.results(survey), 15)
    summary = queries.summary(survey)
    print(
        f"collection rate {summary.collection_percent}% · weighted score {summary.score_shown} · "
        f"composite {summary.composite_shown}"
    )
    return median


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=RESPONSES)
    args = parser.parse_args()
    globals()["RESPONSES"] = args.responses
    from bench.common import figure, print_results

    database_url, admin_url = fresh_database()
    data_dir = tempfile.mkdtemp(prefix="huiyi-bench-surveys-")
    try:
        setup(database_url, data_dir)
        from django.conf import settings
        from django.db import connection

        started = time.perf_counter()
        survey_id, tokens, question_ids, scale = populate()
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(
            f"# survey bench · database {engine} · {RESPONSES:,} personal links generated in "
            f"{time.perf_counter() - started:.1f} s · {CLIENTS} clients · {os.cpu_count()} CPUs"
        )
        payloads = bodies(tokens, question_ids, scale)
        connection.close()
        env = {
            **os.environ,
            "HUIYI_SECRET_KEY": "bench-" + uuid.uuid4().hex,
            "HUIYI_ALLOWED_HOSTS": "127.0.0.1",
        }
        port = free_port()
        server = start_gunicorn("huiyi.wsgi:application", port, env, ROOT / "src")
        try:
            outcome = drive(port, payloads)
        finally:
            stop(server)
        lat = outcome["latencies"]
        errors = sum(n for status, n in outcome["statuses"].items() if status != 201)
        print(
            f"{'answers submitted':<34} {len(lat) / outcome['seconds']:7.0f} /s   "
            f"p50 {percentile(lat, 50):6.1f} ms  p95 {percentile(lat, 95):6.1f} ms  "
            f"p99 {percentile(lat, 99):6.1f} ms  max {lat[-1]:6.1f} ms   "
            f"errors {errors}  {outcome['statuses']}"
        )
        from huiyi.feedback.surveys.models import Response

        stored = Response.objects.filter(survey_id=survey_id).count()
        print(
            f"responses stored: {stored:,} (expected {RESPONSES:,}) — "
            f"{'OK' if stored == RESPONSES else 'MISMATCH'}"
        )
        page = results_page(survey_id)
        label = f"({engine}, {RESPONSES:,} responses, {CLIENTS} clients)"
        print_results(
            "surveys",
            [
                figure(f"survey answers submitted {label}: throughput", len(lat) / outcome["seconds"], "/s"),
                figure(f"survey answers submitted {label}: p99", percentile(lat, 99), "ms"),
                figure(f"survey answers submitted {label}: errors", errors, "", "0", errors == 0),
                figure(f"survey answers stored {label}", stored, "", f"{RESPONSES}", stored == RESPONSES),
                figure(f"survey results page {label}: median", page, "ms", "< 300 ms", page < 300),
            ],
            engine=engine,
        )
    finally:
        if admin_url:
            from django.db import connections

            connections.close_all()
            drop_database(admin_url, database_url)


if __name__ == "__main__":
    main()
