"""Issue 4 benchmarks: the project list with 10,000 projects and a project page with 200 tasks.

    .venv/bin/python bench/bench_projects.py [--projects 10000] [--tasks 200] [--rounds 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huiyi_bench .venv/bin/python bench/bench_projects.py

Prints server time (median, p95) and the number of queries per page, in-process (no network).
Targets (issue 4): under 100 ms and a bounded number of queries; requirement-list and plan PDFs under 1 s.
"""

import argparse
import time
from datetime import timedelta

from common import database_label, figure, print_results, report, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=10000)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    setup_django()

    from django.test import Client
    from django.utils import timezone

    from bench.generate import populate
    from huiyi.accounts.models import User
    from huiyi.projects.models import MeetingProject
    from huiyi.projects.preparation.models import Task

    started = time.perf_counter()
    counts = populate(args.projects)
    project = MeetingProject.objects.filter(code__startswith="HY-").order_by("code").first()
    phase_two = MeetingProject.objects.get(code="HY-2026-103")
    owner = project.members.first().user
    first = Task.objects.filter(project=project).count()
    Task.objects.bulk_create(
        [
            Task(
                project=project,
                number=first + i + 1,
                title=f"筹备任务 {i + 1}",
                owner=owner,
                due=timezone.now() + timedelta(days=i % 30 - 5),
                done_criterion="完成并经项目经理确认",
            )
            for i in range(args.tasks)
        ]
    )
    print(
        f"# database: {database_label()}; {counts['projects']} projects; project {project.code} with "
        f"{Task.objects.filter(project=project).count()} tasks "
        f"(generated in {time.perf_counter() - started:.1f} s); {args.rounds} rounds each"
    )

    officer = Client()
    officer.force_login(User.objects.get(username="han.mei"))
    director = Client()
    director.force_login(User.objects.get(username="zhao.min"))
    figures = [
        ("project list, first page (sees all projects)", lambda: officer.get("/projects/")),
        ("project list, phase + text filter", lambda: officer.get("/projects/?phase=3&q=基准")),
        ("project list, page 200", lambda: officer.get("/projects/?page=200")),
        ("GET /api/v1/projects/ (subsidiary director)", lambda: director.get("/api/v1/projects/")),
        (f"project page with {args.tasks} tasks", lambda: officer.get(f"/projects/{project.pk}/")),
        ("project timeline", lambda: officer.get(f"/projects/{project.pk}/timeline/")),
        ("quality scorecard", lambda: officer.get(f"/quality/projects/{project.pk}/")),
    ]
    from huiyi.projects.planning.models import PlanVersion

    plan = PlanVersion.objects.filter(project__code="HY-2026-103").order_by("-number").first()
    figures += [
        (
            "requirements list PDF (zh-hans)",
            lambda: officer.get(f"/intake/projects/{phase_two.pk}/requirements.pdf?lang=zh-hans"),
        ),
        ("plan PDF (zh-hans)", lambda: officer.get(f"/planning/versions/{plan.pk}/plan.pdf?lang=zh-hans")),
    ]
    results = []
    for name, function in figures:
        median, _p95 = report(name, function, args.rounds)
        limit = 1000 if "PDF" in name else 100  # issue 4: pages under 100 ms, PDFs under 1 s
        results.append(
            figure(
                f"{name} ({database_label()}, {counts['projects']} projects): median",
                median,
                "ms",
                f"< {limit} ms",
                median < limit,
            )
        )
    print_results("projects", results, engine=database_label())


if __name__ == "__main__":
    main()
