"""Foundation benchmarks: page and API latency with many projects, deadline arithmetic, rulebook loading.

    .venv/bin/python bench/bench_foundation.py [--projects 2000] [--rounds 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huiyi_bench .venv/bin/python bench/bench_foundation.py

Runs against a fresh database of its own (a temporary SQLite file unless DATABASE_URL is given, which
is flushed first) and prints one line per figure: name, median, p95, unit. In-process (Django test
client), so the figures are server time without the network.
"""

import argparse
import time

from common import database_label, figure, print_results, report, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    setup_django()

    from django.test import Client

    from bench.generate import populate
    from huiyi.accounts.models import User
    from huiyi.calendar import services as calendar
    from huiyi.rulebook.loader import DEFAULT_RULEBOOK_PATH, load_rulebook

    started = time.perf_counter()
    counts = populate(args.projects)
    print(
        f"# database: {database_label()}; {counts['projects']} projects, {counts['members']} team members "
        f"(generated in {time.perf_counter() - started:.1f} s); {args.rounds} rounds each"
    )

    director = User.objects.get(username="zhao.min")  # sees every project of a subsidiary
    officer = User.objects.get(username="han.mei")  # sees every project of the company
    browser = Client()
    browser.force_login(officer)
    api = Client()
    api.force_login(director)

    from datetime import datetime
    from zoneinfo import ZoneInfo

    start = datetime(2026, 2, 13, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    work_calendar = calendar.work_calendar()

    figures = [
        ("dashboard page (quality officer, all projects)", lambda: browser.get("/"), "ms"),
        ("project list page, first 25 (quality officer)", lambda: browser.get("/projects/"), "ms"),
        ("project list filtered by phase and text", lambda: browser.get("/projects/?phase=2&q=基准"), "ms"),
        ("GET /api/v1/users/", lambda: api.get("/api/v1/users/"), "ms"),
        ("GET /healthz", lambda: browser.get("/healthz"), "ms"),
        (
            "due: 3 working days (calendar built once)",
            lambda: calendar.due(start, working_days=3, calendar=work_calendar),
            "ms",
        ),
        (
            "due: 30 business hours",
            lambda: calendar.due(start, business_hours=30, calendar=work_calendar),
            "ms",
        ),
        ("load and validate the default rulebook", lambda: load_rulebook(DEFAULT_RULEBOOK_PATH), "ms"),
    ]
    results = []
    for name, function, _unit in figures:
        median, p95 = report(name, function, args.rounds, with_queries=not name.startswith(("due", "load")))
        results.append(figure(f"{name} ({database_label()}, {args.projects} projects): median", median, "ms"))
    print_results("foundation", results, engine=database_label())


if __name__ == "__main__":
    main()
