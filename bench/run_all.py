"""Issue 10: run every benchmark in bench/ and print ONE table — figure, value, target, met?

    bench/run_all                      # quick sizes (minutes), SQLite unless DATABASE_URL names PostgreSQL
    bench/run_all --full               # the sizes the issues name (long: the KPI history, 10 GiB backup …)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bench/run_all
    bench/run_all --only checkin,checkin_vs_pretix,pages,memory      # some of them
    bench/run_all --markdown           # the table in Markdown (for the README)

Each benchmark runs as its own process (its own fresh database: with PostgreSQL, run_all creates
`huiyi_bench_all_<name>` on the server of DATABASE_URL for the scripts that fill the database they are
given, and drops it after; the others create and drop their own). Each script keeps its own report and ends
with a line `RESULT {json}`; run_all collects those lines — it never parses the prose. A script's whole
output is kept in a log folder (printed). The pretix comparison needs PostgreSQL: without it, it is skipped
and the table says so. The machine's load average is printed beside the table: on shared cores figures vary.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


@dataclass
class Bench:
    name: str
    script: str
    quick: list[str]
    full: list[str] = field(default_factory=list)
    #: "flushes": fills the DATABASE_URL it is given (run_all makes a fresh one); "creates": makes its own
    #: database on DATABASE_URL's server; "flag": takes --database-url of an empty database.
    database: str = "flushes"
    postgresql_only: bool = False
    quick_timeout: int = 1800
    full_timeout: int = 6 * 3600


BENCHES = [
    Bench("foundation", "bench_foundation.py", ["--projects", "200", "--rounds", "5"]),
    Bench("projects", "bench_projects.py", ["--projects", "1000", "--rounds", "5"]),
    Bench("attendees", "bench_attendees.py", ["--rows", "2000"]),
    Bench("checkin", "checkin.py", ["--tickets", "2000"], database="creates"),
    Bench(
        "checkin_vs_pretix",
        "checkin_vs_pretix.py",
        ["--tickets", "1000", "--pgbench-seconds", "5"],
        database="creates",
        postgresql_only=True,
    ),
    Bench("incidents", "bench_incidents.py", ["--reports", "20"]),
    Bench("notify", "bench_notify.py", []),
    Bench("surveys", "bench_surveys.py", ["--responses", "1000"], database="creates"),
    Bench("document_search", "bench_document_search.py", ["--documents", "5000", "--rounds", "5"]),
    Bench("document_stream", "bench_document_stream.py", ["--mb", "10"], database="flag"),
    Bench("backup", "bench_backup.py", ["--rows", "20000", "--gb", "0.1"], database="flag"),
    Bench("kpis", "bench_kpis.py", ["--years", "1", "--meetings", "200", "--light", "--rounds", "3"]),
    Bench("pages", "bench_pages.py", ["--seconds", "30"], ["--seconds", "60"], database="creates"),
    Bench("memory", "bench_memory.py", ["--requests", "1000"], database="creates"),
]


def postgresql_server() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def run(bench: Bench, args, logs: Path) -> tuple[list[dict], str]:
    """Runs one benchmark; returns its figures and a status ('ok', 'failed (exit n)', 'skipped: …')."""
    server = postgresql_server()
    if bench.postgresql_only and not server:
        return [], "skipped: needs PostgreSQL (set DATABASE_URL=postgres://…)"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, str(BENCH / bench.script), *(bench.full if args.full else bench.quick)]
    scratch = None
    if not server:
        env.pop("DATABASE_URL", None)
    elif bench.database in {"flushes", "flag"}:
        import psycopg

        scratch = f"huiyi_bench_all_{bench.name}"
        with psycopg.connect(with_database(server, "postgres"), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{scratch}"')
        if bench.database == "flag":
            env.pop("DATABASE_URL", None)
            command += ["--database-url", with_database(server, scratch)]
        else:
            env["DATABASE_URL"] = with_database(server, scratch)
    log = logs / f"{bench.name}.log"
    started = time.perf_counter()
    print(f"[run_all] {bench.name}: {' '.join(command[1:])}", flush=True)
    try:
        with open(log, "w") as handle:
            finished = subprocess.run(
                command,
                cwd=ROOT,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                timeout=bench.full_timeout if args.full else bench.quick_timeout,
                check=False,
            )
        code = finished.returncode
    except subprocess.TimeoutExpired:
        code = "timeout"
    finally:
        if scratch:
            import psycopg

            with psycopg.connect(with_database(server, "postgres"), autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    figures = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("RESULT "):
            figures.extend(json.loads(line[7:])["figures"])
    took = time.perf_counter() - started
    status = (
        "ok" if code == 0 and figures else f"failed ({'exit ' + str(code) if code != 0 else 'no RESULT'})"
    )
    print(f"[run_all] {bench.name}: {status} in {took:.0f} s, {len(figures)} figures (log {log})", flush=True)
    return figures, status


def value_text(row: dict) -> str:
    value, unit = row["value"], row["unit"]
    if value is None:
        return "—"
    if unit in {"", "×"} and float(value).is_integer():
        text = f"{int(value):,}"
    elif abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip() if unit != "×" else f"{text}×"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="the sizes the issues name (long)")
    parser.add_argument("--only", help="comma-separated names: " + ",".join(b.name for b in BENCHES))
    parser.add_argument("--skip", help="comma-separated names to leave out")
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    args = parser.parse_args()
    chosen = [b for b in BENCHES if not args.only or b.name in args.only.split(",")]
    chosen = [b for b in chosen if not args.skip or b.name not in args.skip.split(",")]
    unknown = (
        set((args.only or "").split(",") + (args.skip or "").split(",")) - {b.name for b in BENCHES} - {""}
    )
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    logs = Path(tempfile.mkdtemp(prefix="huiyi-bench-run-all-"))
    server = postgresql_server()
    engine = (
        "PostgreSQL " + urlsplit(server).hostname if server else "SQLite (set DATABASE_URL for PostgreSQL)"
    )
    load_before = os.getloadavg()
    started = time.perf_counter()
    print(
        f"[run_all] {len(chosen)} benchmarks, {'full' if args.full else 'quick'} sizes, {engine}; "
        f"logs in {logs}",
        flush=True,
    )
    rows: list[dict] = []
    for bench in chosen:
        figures, status = run(bench, args, logs)
        if status != "ok":
            rows.append({"figure": f"{bench.name}", "value": None, "unit": "", "target": None, "met": None,
                         "status": status})  # fmt: skip
        rows.extend(figures)
    load_after = os.getloadavg()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()

    print()
    header = ["figure", "value", "target", "met?"]
    table = []
    for row in rows:
        met = {True: "yes", False: "NO", None: ""}[row["met"]]
        value = row.get("status") or value_text(row)
        table.append([row["figure"], value, row["target"] or "—", met])
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in table:
            print("| " + " | ".join(cell.replace("|", "/") for cell in line) + " |")
    else:
        widths = [min(96, max(len(h), *(len(line[i]) for line in table))) if table else len(h)
                  for i, h in enumerate(header)]  # fmt: skip
        print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
        print("  ".join("-" * w for w in widths))
        for line in table:
            print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)))
    targets = [row for row in rows if row["met"] is not None]
    missed = [row for row in targets if not row["met"]]
    failed = [row for row in rows if row.get("status", "ok").startswith("failed")]
    print()
    print(
        f"{len(targets) - len(missed)} of {len(targets)} targets met; {len(failed)} benchmark(s) failed; "
        f"{'full' if args.full else 'quick'} sizes on {engine}; {time.perf_counter() - started:.0f} s"
    )
    print(
        f"machine: {os.cpu_count()} CPUs; load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after; uptime: {uptime}"
    )
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
