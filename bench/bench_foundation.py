"""Foundation benchmarks: page and API latency with many projects, deadline arithmetic, rulebook loading.

    .venv/bin/python bench/bench_foundation.py [--projects 2000] [--rounds 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huiyi_bench .venv/bin/python bench/bench_foundation.py

Runs against a fresh database of its own (a temporary SQLite file unless DATABASE_URL is given, which
is flushed first) and prints one line per figure: name, median, p95, unit. In-process (Django test
client), so the figures are server time without the network.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def measure(function, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="huiyi-bench-")
    os.environ.setdefault("HUIYI_DATA_DIR", data_dir)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{data_dir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiyi.settings")
    os.environ["HUIYI_HTTPS"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)

    from bench.generate import populate
    from huiyi.accounts.models import User
    from huiyi.calendar import services as calendar
    from huiyi.rulebook.loader import DEFAULT_RULEBOOK_PATH, load_rulebook

    started = time.perf_counter()
    counts = populate(args.projects)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"# database: {engine}; {counts['projects']} projects, {counts['members']} team members "
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
    for name, function, unit in figures:
        function()  # warm-up
        median, p95 = measure(function, args.rounds)
        print(f"{name:<52} median {median:8.2f} {unit}   p95 {p95:8.2f} {unit}")


if __name__ == "__main__":
    main()
