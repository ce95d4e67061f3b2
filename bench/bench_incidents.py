"""Issue 6 benchmark: reporting an incident to the first notification enqueued, at the server.

    .venv/bin/python bench/bench_incidents.py [--reports 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huiyi_bench .venv/bin/python bench/bench_incidents.py

In-process (no network): each round POSTs /api/v1/incidents/ and measures the time from the start of the
request to the moment the first page of the command chain is saved as a notification (post_save), and the
whole request. Prints median and p95 in milliseconds. Target (issue 6): under 1 s.
"""

import argparse
import statistics
import time
from datetime import timedelta

from common import database_label, figure, print_results, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=50)
    args = parser.parse_args()
    setup_django()

    from django.db.models.signals import post_save
    from django.utils import timezone
    from rest_framework.test import APIClient

    from huiyi.accounts import services as accounts
    from huiyi.accounts.models import Role, User
    from huiyi.clients.models import Client, Contact
    from huiyi.core.models import Notification
    from huiyi.projects import services as projects
    from huiyi.projects.models import MeetingType

    accounts.ensure_default_roles(update_permissions=True)
    projects.ensure_default_meeting_types()
    unit = accounts.create_org_unit(code="bench", name={"zh-hans": "会务部", "en": "Events"}, kind="company")
    people = {}
    for role in ("on_site_director", "security", "technical_support", "project_director", "reception"):
        user = User.objects.create_user(
            username=role, password="x", email=f"{role}@bench.example", org_unit=unit
        )
        accounts.grant_role(user, unit, role)
        people[role] = user
    client = Client.objects.create(name="基准客户", kind="enterprise", org_unit=unit)
    Contact.objects.create(client=client, name="刘洋", email="host@bench.example", is_primary=True)
    now = timezone.now()
    project = projects.create_project(
        code="BENCH-1",
        name="基准会议",
        client=client,
        org_unit=unit,
        meeting_type=MeetingType.objects.first(),
        start=now - timedelta(hours=1),
        end=now + timedelta(hours=6),
        expected_attendees=100,
        members=[(user, Role.objects.get(key=role)) for role, user in people.items()],
    )
    api = APIClient()
    api.force_authenticate(people["reception"])
    first_saved: list[float] = []

    def on_save(sender, instance, created, **kwargs):
        if created and not first_saved:
            first_saved.append(time.perf_counter())

    post_save.connect(on_save, sender=Notification)
    to_first, whole = [], []
    body = {
        "project": project.pk,
        "type": "equipment_failure",
        "place": "20 楼会议室",
        "impact": "投影仪无画面",
    }
    api.post("/api/v1/incidents/", body, format="json")  # warm-up
    for _ in range(args.reports):
        first_saved.clear()
        started = time.perf_counter()
        response = api.post("/api/v1/incidents/", body, format="json")
        ended = time.perf_counter()
        assert response.status_code == 201, response.content
        assert first_saved, "no notification was enqueued"
        to_first.append((first_saved[0] - started) * 1000)
        whole.append((ended - started) * 1000)

    def line(name, samples):
        samples = sorted(samples)
        p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
        print(f"{name:<56} median {statistics.median(samples):8.2f} ms   p95 {p95:8.2f} ms")
        return p95

    print(f"database: {database_label()}   reports: {args.reports}")
    p95 = line("POST /api/v1/incidents/ → first notification saved", to_first)
    line("POST /api/v1/incidents/ whole request (201)", whole)
    print_results(
        "incidents",
        [
            figure(
                f"incident reported → first notification enqueued ({database_label()}): p95",
                p95,
                "ms",
                "< 1000 ms",
                p95 < 1000,
            )
        ],
        engine=database_label(),
    )


if __name__ == "__main__":
    main()
