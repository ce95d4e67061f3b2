"""Issue 10, "Contested check-in" (REQ-ONS-02): 16 processes redeem the same 2,000 tickets concurrently —
exactly 2,000 "ok", zero errors — on the suite's database (SQLite in WAL mode as deployed, or PostgreSQL).

Real processes only: gunicorn serving Huiyi (2 workers × 4 threads) on a database of its own, and 16 client
processes (``scanner.py``), each with its own token, device and keep-alive connection, all released at once.
Each ticket is contested by CONTENDERS processes scanning it at the same moment (the processes come in groups
that scan the same tickets in the same order); the database decides who wins, not timing. CI's budget: 4
contenders, 8,000 scans; ``HUIYI_FAULTS_FULL=1`` makes every process scan every ticket (16 contenders, 32,000
scans, about four times as long).
"""

import json
import os
import subprocess
import time
from collections import Counter

from huiyi.onsite.checkin.models import CheckIn, ScanRecord

from .harness import HERE, PYTHON, Server

PROCESSES = 16
CONTENDERS = PROCESSES if os.environ.get("HUIYI_FAULTS_FULL") else 4


def test_req_ons_02_sixteen_processes_redeem_the_same_2000_tickets(make_installation, seed, tmp_path):
    installation = make_installation()
    project, codes = seed["contested"]["project"], seed["contested"]["codes"]
    assert len(codes) == 2000 and len(seed["scanners"]) >= PROCESSES
    server = Server(installation, workers=2, threads=4).start()
    scanners = []
    try:
        for index in range(PROCESSES):
            job = tmp_path / f"scanner-{index}.json"
            job.write_text(
                json.dumps(
                    {
                        "port": server.port,
                        "token": seed["scanners"][index],
                        "device": f"gate-{index}",
                        "project": project,
                        # group g = index mod (16 / contenders) scans the tickets i with i mod groups == g
                        "codes": codes[index % (PROCESSES // CONTENDERS) :: PROCESSES // CONTENDERS],
                    }
                )
            )
            scanners.append(
                subprocess.Popen(  # noqa: S603
                    [PYTHON, str(HERE / "scanner.py"), str(job)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        for scanner in scanners:
            assert scanner.stdout.readline().strip() == "ready", scanner.stderr.read()
        started = time.monotonic()
        for scanner in scanners:  # go: all at once
            scanner.stdin.write("\n")
            scanner.stdin.flush()
        summaries = []
        for scanner in scanners:
            out, err = scanner.communicate(timeout=900)
            assert scanner.returncode == 0, err[-2000:]
            summaries.append(json.loads(out.strip().splitlines()[-1]))
        elapsed = time.monotonic() - started
    finally:
        for scanner in scanners:
            if scanner.poll() is None:
                scanner.kill()
        server.stop()

    scans = 2000 * CONTENDERS
    rate = scans / elapsed
    print(f"contested check-in: {scans} scans by {PROCESSES} processes in {elapsed:.1f} s ({rate:.0f}/s)")
    errors = [error for summary in summaries for error in summary["errors"]]
    assert errors == [], errors[:10]
    results = Counter()
    for summary in summaries:
        results.update(summary["results"])
    assert results == {"ok": 2000, "already_checked_in": 2000 * (CONTENDERS - 1)}, results
    winners = [code for summary in summaries for code in summary["ok"]]
    assert sorted(winners) == sorted(codes)  # every ticket exactly once

    db = installation.db
    checkins = CheckIn._meta.db_table
    records = ScanRecord._meta.db_table
    assert db.count(checkins, "project_id = %s", [project]) == 2000
    assert db.count(checkins) == 2000  # one check-in row per ticket, none elsewhere
    assert db.count(records, "project_id = %s", [project]) == scans
    assert db.count(records, "project_id = %s AND result = 'ok'", [project]) == 2000
    assert db.integrity_problems() == []
