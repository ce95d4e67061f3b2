"""Issue 10: page load under 20 concurrent signed-in users (locust, headless, bounded run).

    .venv/bin/python bench/bench_pages.py [--users 20] [--seconds 60] [--wait 0.5-2]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_pages.py
        # PostgreSQL: a fresh database is created on that server and dropped after

A fresh database with the demo (``huiyi demo``), ``huiyi serve`` (gunicorn as in production: 2 workers × 4
threads) on a free port, then locust (bench/locustfile.py) with --users users for --seconds: each signs in
through the login form and opens the main pages of the demo's busiest meeting — dashboard, projects list,
the project, attendees, check-in console and board, on-site cockpit, incidents, complaints, documents,
KPIs, an API list — waiting --wait seconds between clicks. Prints per page: requests, p50, p95, p99 and
failures (any answer but 200), then the totals. Target (issue 10): no errors; p95 is printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from bench import demo_server  # noqa: E402
from bench.common import figure, print_results  # noqa: E402


def run_locust(base: str, plan: dict, users: int, seconds: int, wait: str) -> list[dict]:
    folder = Path(tempfile.mkdtemp(prefix="huiyi-bench-locust-"))
    (folder / "plan.json").write_text(json.dumps(plan))
    env = {**os.environ, "BENCH_PAGES_PLAN": str(folder / "plan.json"), "BENCH_PAGES_WAIT": wait}
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
        "--host", base, "--csv", str(folder / "pages"), "--only-summary", "--loglevel", "WARNING",
        "--stop-timeout", "60",  # let requests in flight at the end finish: a cut request is not an error
    ]  # fmt: skip
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 120)
    stats = folder / "pages_stats.csv"
    if not stats.exists():
        raise SystemExit(f"locust wrote no statistics: {finished.stderr[-2000:]}")
    with open(stats) as handle:
        rows = list(csv.DictReader(handle))
    failures = folder / "pages_failures.csv"
    if failures.exists():
        with open(failures) as handle:
            for row in csv.DictReader(handle):
                print(f"  failure: {row['Method']} {row['Name']}: {row['Error']} × {row['Occurrences']}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--wait", default="0.5-2", help="seconds between a user's clicks, a range")
    args = parser.parse_args()

    info = demo_server.prepare()
    try:
        plan = demo_server.page_plan()
        server, base = demo_server.serve(info)
        try:
            load = os.getloadavg()
            print(
                f"# pages under load · database {info['engine']} · demo built in {info['seconds']:.0f} s · "
                f"huiyi serve (gunicorn 2 workers × 4 threads) · locust {args.users} users, "
                f"{args.seconds} s, "
                f"{args.wait} s between clicks · {os.cpu_count()} CPUs · load average {load[0]:.2f}",
                flush=True,
            )
            started = time.perf_counter()
            rows = run_locust(base, plan, args.users, args.seconds, args.wait)
            took = time.perf_counter() - started
        finally:
            demo_server.stop(server)
    finally:
        demo_server.cleanup(info)

    print(f"{'page':<22} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'failures':>9}")
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(
            f"{row['Name']:<22} {row['Request Count']:>9} {row['50%']:>8} {row['95%']:>8} {row['99%']:>8} "
            f"{row['Failure Count']:>9}"
        )
    pages = [r for r in rows if r["Name"] != "Aggregated"]
    requests = sum(int(r["Request Count"]) for r in pages)
    errors = sum(int(r["Failure Count"]) for r in rows if r["Name"] != "Aggregated")
    worst = max(pages, key=lambda r: float(r["95%"] or 0))
    print(
        f"{'all':<22} {total['Request Count']:>9} {total['50%']:>8} {total['95%']:>8} {total['99%']:>8} "
        f"{total['Failure Count']:>9}   ({float(total['Requests/s']):.1f} requests/s over {took:.0f} s)"
    )
    print(f"slowest page at p95: {worst['Name']} ({worst['95%']} ms); errors: {errors}")
    engine = info["engine"]
    print_results(
        "pages",
        [
            figure(f"pages, {args.users} users ({engine}): p95 of all pages", float(total["95%"]), "ms"),
            figure(
                f"pages, {args.users} users ({engine}): slowest page p95 ({worst['Name']})",
                float(worst["95%"]),
                "ms",
            ),
            figure(f"pages, {args.users} users ({engine}): page requests", requests, ""),
            figure(f"pages, {args.users} users ({engine}): errors", errors, "", "0", errors == 0),
        ],
        engine=engine,
    )


if __name__ == "__main__":
    main()
