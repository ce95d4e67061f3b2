"""Synthetic data for benchmarks.

* ``populate(projects)``: the demo organisation plus N meeting projects spread over units and phases (used by
  the other bench/ scripts);
* run as a script: the demo plus a multi-year history at the issue 9 sizes, through ``huiyi.core.scale``::

    .venv/bin/python bench/generate.py      # 5 years: 10,000 meetings, 2,000,000 attendees,
                                            # 500,000 responses, 20,000 complaints, 120,000 CCP results
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huiyi_history .venv/bin/python bench/generate.py --years 5
    .venv/bin/python bench/generate.py --years 1 --meetings 500   # smaller, proportional

  With DATABASE_URL the database is migrated and filled in place (create it first; it is not dropped);
  without, a temporary SQLite file is used and its path printed. Prints the time of each step.

Deterministic for a given seed.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path


def populate(projects: int = 2000, seed: int = 7) -> dict:
    """Build the demo once, then bulk-insert `projects` projects with teams (fast: bulk_create)."""
    from django.utils import timezone

    from huiyi.accounts.models import OrgUnit, Role, User
    from huiyi.clients.models import Client
    from huiyi.core import demo
    from huiyi.projects.models import MeetingProject, MeetingType, Phase, ProjectMember
    from huiyi.rulebook.services import active_version

    if not User.objects.filter(username="admin").exists():
        demo.build_demo(password="bench-password-not-secret")
    rng = random.Random(seed)
    units = list(OrgUnit.objects.filter(kind="department"))
    clients = list(Client.objects.all())
    types = list(MeetingType.objects.all())
    users = list(User.objects.exclude(username="admin"))
    roles = list(Role.objects.all())
    version = active_version()
    now = timezone.now()
    start_code = MeetingProject.objects.count()
    batch = []
    for i in range(projects):
        start = now + timedelta(days=rng.randint(-200, 200), hours=rng.randint(0, 23))
        batch.append(
            MeetingProject(
                code=f"B-{start_code + i:06d}",
                name=f"基准测试会议 {i}",
                name_en=f"Benchmark meeting {i}",
                client=rng.choice(clients),
                org_unit=rng.choice(units),
                meeting_type=rng.choice(types),
                phase=rng.choice(Phase.values),
                start=start,
                end=start + timedelta(hours=rng.randint(2, 48)),
                expected_attendees=rng.randint(10, 2000),
                rulebook_version=version,
            )
        )
    created = MeetingProject.objects.bulk_create(batch, batch_size=500)
    members = [
        ProjectMember(project=project, user=user, role=rng.choice(roles))
        for project in created
        for user in rng.sample(users, 3)
    ]
    ProjectMember.objects.bulk_create(members, batch_size=1000, ignore_conflicts=True)
    return {"projects": MeetingProject.objects.count(), "members": ProjectMember.objects.count()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--meetings", type=int, help="default: 2,000 a year")
    parser.add_argument("--attendees", type=int, help="default: 200 a meeting")
    parser.add_argument("--responses", type=int, help="default: 50 a meeting")
    parser.add_argument("--complaints", type=int, help="default: 2 a meeting")
    parser.add_argument("--ccp-results", type=int, help="default: 12 a meeting")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.years < 1:
        parser.error("--years must be at least 1")

    from bench.common import setup_django  # noqa: PLC0415

    keep = bool(os.environ.get("DATABASE_URL"))
    if keep:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiyi.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
    else:
        setup_django()
    from django.conf import settings

    from huiyi.core import demo, scale

    meetings = args.meetings or args.years * 2000
    plan = scale.Plan.for_years(args.years, max(1, meetings // args.years), seed=args.seed)
    overrides = {
        "meetings": meetings,
        "attendees": args.attendees,
        "responses": args.responses,
        "complaints": args.complaints,
        "ccp_results": args.ccp_results,
    }
    plan = scale.replace(plan, **{k: v for k, v in overrides.items() if v is not None})
    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    started = time.perf_counter()
    if not demo.demo_exists():
        demo.build_demo(password="bench-password-not-secret")
        print(f"  {'demo organisation':<28} {'':>10}   {time.perf_counter() - started:7.1f} s")
    print(
        f"history: {plan.years} years, {plan.meetings:,} meetings, {plan.attendees:,} attendees, "
        f"{plan.responses:,} responses, {plan.complaints:,} complaints, {plan.ccp_results:,} CCP results"
    )
    scale.generate(plan)
    print(f"generator time: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    sys.path[:0] = [str(Path(__file__).resolve().parents[1])]
    main()
