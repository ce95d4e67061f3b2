"""Issue 10: gunicorn worker memory (RSS) before and after 10,000 requests over the main pages and the API.

    .venv/bin/python bench/bench_memory.py [--requests 10000] [--clients 8]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_memory.py

The demo in a fresh database, ``huiyi serve`` (2 gunicorn workers × 4 threads) as for bench/bench_pages.py;
--clients threads sign in as the demo's roles and open the same pages (bench/demo_server.py's plan: HTML
pages and GET /api/v1/projects/) round-robin until --requests answers have come back. Each worker's VmRSS is
read from /proc after a warm-up (every page once per user, so imports and caches are loaded) and at the end.
Prints both per worker, the growth, the request rate and the number of answers other than 200.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from bench import demo_server  # noqa: E402
from bench.common import figure, print_results  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(base: str, username: str, password: str):
    import requests  # test extra; the client side of the benchmark only

    session = requests.Session()
    form = session.get(base + "/accounts/login/", timeout=60)
    answer = session.post(
        base + "/accounts/login/",
        data={
            "csrfmiddlewaretoken": CSRF.search(form.text).group(1),
            "username": username,
            "password": password,
        },
        headers={"Referer": base + "/accounts/login/"},
        timeout=60,
    )
    if "/accounts/login/" in answer.url:
        raise SystemExit(f"{username} could not sign in")
    return session


def drive(base: str, plan: dict, total: int, clients: int) -> dict:
    lock = threading.Lock()
    counts = {"sent": 0, "errors": 0}
    statuses: dict[int, int] = {}

    def client(n: int) -> None:
        account = plan["users"][n % len(plan["users"])]
        session = signed_in(base, account["username"], plan["password"])
        pages = account["pages"]
        i = n
        while True:
            with lock:
                if counts["sent"] >= total:
                    break
                counts["sent"] += 1
            _name, url = pages[i % len(pages)]
            i += 1
            try:
                status = session.get(base + url, timeout=120, allow_redirects=False).status_code
            except OSError:
                status = 0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                counts["errors"] += status != 200

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"statuses": statuses, "errors": counts["errors"]}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    info = demo_server.prepare()
    try:
        plan = demo_server.page_plan()
        server, base = demo_server.serve(info)
        try:
            pages = sum(len(user["pages"]) for user in plan["users"])
            drive(base, plan, pages, len(plan["users"]))  # warm-up: every page of every user once
            before = demo_server.worker_rss(server.pid)
            started = time.perf_counter()
            outcome = drive(base, plan, args.requests, args.clients)
            took = time.perf_counter() - started
            after = demo_server.worker_rss(server.pid)
        finally:
            demo_server.stop(server)
    finally:
        demo_server.cleanup(info)

    load = os.getloadavg()
    print(
        f"# worker memory · database {info['engine']} · huiyi serve (gunicorn 2 workers × 4 threads) · "
        f"{args.requests:,} requests from {args.clients} signed-in clients over {pages} user-pages in "
        f"{took:.0f} s ({args.requests / took:.0f}/s) · load average {load[0]:.2f}"
    )
    for pid in sorted(set(before) | set(after)):
        b, a = before.get(pid), after.get(pid)
        if b is None or a is None:
            print(f"worker {pid}: {'started' if b is None else 'gone'} during the run (restarted?)")
            continue
        print(
            f"worker {pid}: RSS {b / 1024:6.1f} MB after warm-up → {a / 1024:6.1f} MB "
            f"({(a - b) / 1024:+.1f} MB)"
        )
    total_before, total_after = sum(before.values()), sum(after.values())
    print(
        f"all workers: {total_before / 1024:.1f} MB → {total_after / 1024:.1f} MB "
        f"({(total_after - total_before) / 1024:+.1f} MB); answers {outcome['statuses']}, "
        f"errors {outcome['errors']}"
    )
    largest = max(after.values()) / 1024 if after else None
    growth = max((after[p] - before[p]) / 1024 for p in after if p in before) if after else None
    engine = info["engine"]
    print_results(
        "memory",
        [
            figure(f"worker RSS after {args.requests:,} requests ({engine}), largest worker", largest, "MB"),
            figure(f"worker RSS growth over {args.requests:,} requests ({engine}), largest", growth, "MB"),
            figure(
                f"worker memory run ({engine}): errors", outcome["errors"], "", "0", outcome["errors"] == 0
            ),
        ],
        engine=engine,
    )


if __name__ == "__main__":
    main()
