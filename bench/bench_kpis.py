"""Issue 9 benchmark: the KPI dashboard (every registered KPI with its trend, one year, all units) and
GET /api/v1/kpis/, on the database in DATABASE_URL.

    .venv/bin/python bench/bench_kpis.py [--years 5] [--meetings 10000] [--light] [--rounds 10]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huiyi_bench .venv/bin/python bench/bench_kpis.py
    DATABASE_URL=postgres://…/huiyi_kpis_bench .venv/bin/python bench/bench_kpis.py --reuse
        # keeps the database: generates the history into it when it holds no meeting, else times what is
        # there (nothing is flushed; generate once at full size, then time as often as needed)

History comes from ``huiyi.core.scale.generate`` (the same generator as ``huiyi demo --scale N``);
``--light`` writes 20 attendees and 5 responses per meeting instead of 200 and 50 (the KPIs read the
aggregates, not the attendee rows, so the timing barely changes and the set-up is much faster).
Target (issue 9): under 300 ms for one year on PostgreSQL with 10,000 meetings over 5 years.

Measured (2 shared cores, 2026-11-28), all KPIs for 2025 with 5-year trends, median:
PostgreSQL, full size (10,000 meetings, 2,000,000 attendees, 500,000 responses, 120,000 CCP results):
12.9 s / 187 queries before, 2.1 s / 80 queries after (0.85 s without trends); the survey collection rate
(counting 1,700,000 check-ins and 2,000,000 attendees) is 1.1-1.3 s of it: under 300 ms needs stored
per-project attendee and check-in counts. SQLite, 5,000 meetings (100,000 attendees): 7.0 s → 0.41 s.
"""

import argparse
import os
import sys
import time

from common import ROOT, database_label, figure, print_results, report, setup_django


def _setup_existing() -> None:
    """Django on the database in DATABASE_URL as it is (migrated, not flushed)."""
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiyi.settings")
    os.environ["HUIYI_HTTPS"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--meetings", type=int, default=10000)
    parser.add_argument("--light", action="store_true")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="time the history already in DATABASE_URL")
    parser.add_argument("--each", action="store_true", help="also time every KPI on its own (with its trend)")
    args = parser.parse_args()
    if args.reuse:
        _setup_existing()
    else:
        setup_django()

    from django.test import Client
    from django.utils import timezone

    from huiyi.accounts.models import User
    from huiyi.core import scale
    from huiyi.projects.models import MeetingProject
    from huiyi.quality.kpis import periods, queries
    from huiyi.quality.models import ControlPointResult

    per_year = args.meetings // args.years
    plan = scale.Plan.for_years(args.years, per_year)
    if args.light:
        plan = scale.Plan.for_years(
            args.years, per_year, attendees=args.meetings * 20, responses=args.meetings * 5
        )
    started = time.perf_counter()
    if args.reuse and MeetingProject.objects.exists():
        counts = {
            "projects": MeetingProject.objects.count(),
            "ccp_results": ControlPointResult.objects.count(),
            "responses": "existing",
        }
    else:
        counts = scale.generate(plan, out=print if args.reuse else None)
    generated = time.perf_counter() - started
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-admin", "bench@example.com", "x"
    )
    year = periods.parse(str(timezone.localdate().year - 1))
    scope = queries.scope_for(year, queries.Filters(), admin)
    print(
        f"# database: {database_label()}; {counts['projects']} meetings over {args.years} years, "
        f"{counts.get('ccp_results', 0)} CCP results, {counts.get('responses', 0)} responses "
        f"(generated in {generated:.1f} s); period {year.key}; {args.rounds} rounds each"
    )
    rounds = args.rounds
    if args.each:
        from huiyi.quality.kpis import registry

        rulebook = queries.active_rulebook()
        for kpi in registry.kpis():
            report(
                f"  {kpi.key}",
                lambda kpi=kpi: queries.figure(kpi, scope, year, trend=True, rulebook=rulebook),
                max(1, rounds // 2),
            )
    from huiyi.quality.kpis import stored

    def cold(build):
        def run():
            stored.forget()  # nothing kept: every period counted from the records
            return build()

        return run

    cold_median, _p95 = report(
        "all KPIs, one year, 5-year trends, nothing kept (cold)",
        cold(lambda: queries.dashboard(scope, year)),
        rounds,
    )
    median, _p95 = report(
        "all KPIs, one year, all units, 5-year trends (ended periods kept)",
        lambda: queries.dashboard(scope, year),
        rounds,
    )
    this_year = periods.parse(str(timezone.localdate().year))
    this_scope = queries.scope_for(this_year, queries.Filters(), admin)
    current, _p95 = report(
        "all KPIs, this year so far, 5-year trends (ended periods kept)",
        lambda: queries.dashboard(this_scope, this_year),
        rounds,
    )
    report("all KPIs, one year, without trends", lambda: queries.dashboard(scope, year, trend=False), rounds)
    month = periods.parse(f"{year.year}-06")
    month_scope = queries.scope_for(month, queries.Filters(), admin)
    report("all KPIs, one month (12-month trends)", lambda: queries.dashboard(month_scope, month), rounds)
    client = Client()
    client.force_login(admin)
    report(
        "GET /api/v1/kpis/?period=<year>",
        lambda: client.get(f"/api/v1/kpis/?period={year.key}"),
        args.rounds,
    )
    page, _p95 = report(
        "dashboard page /kpis/?period=<year>", lambda: client.get(f"/kpis/?period={year.key}"), rounds
    )
    label = f"({database_label()}, {counts['projects']} meetings over {args.years} years)"
    print_results(
        "kpis",
        [
            figure(
                f"every KPI for one year with trends {label}: median", median, "ms", "< 300 ms", median < 300
            ),
            figure(
                f"every KPI for this year so far with trends {label}: median",
                current,
                "ms",
                "< 300 ms",
                current < 300,
            ),
            figure(f"every KPI for one year with trends, nothing kept {label}: median", cold_median, "ms"),
            figure(f"KPI dashboard page {label}: median", page, "ms"),
        ],
        engine=database_label(),
    )


if __name__ == "__main__":
    main()
