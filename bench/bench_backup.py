"""Backup benchmark (REQ-DOC-07, §3.1(3), issue 8): a big installation, `create` and `verify` timed, peak RSS.

    .venv/bin/python bench/bench_backup.py [--rows 1000000] [--gb 10] [--key]
        [--database-url postgres://postgres@127.0.0.1:5432/huiyi_bench_backup] [--destinations a,b,s3://…]
        [--workdir /var/tmp]

Builds the demo's organisation and projects in a database of its own, bulk-inserts `--rows` attendees
(spread over the demo's meeting projects, as an attendee import would leave them), writes `--gb` GiB of
uploaded files (recordings, photos, scans: 1–200 MiB each, incompressible, every byte written — no sparse
files), then times `huiyi backup create` (three copies: folders under the work dir unless `--destinations`
is given) and `verify` (reads every copy back and checks every checksum). Peak RSS is that of this process
and its children (pg_dump) sampled every 20 ms from /proc during each step. Before writing anything it
checks the work dir's free space and refuses if it is under three times the data set, or under what the run
writes (source files + database + dump + one archive per destination) with a 10 % margin. Everything it
made is deleted at the end (a PostgreSQL database named by --database-url is flushed, not dropped).
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.bench_document_stream import Sampler  # noqa: E402

MIB = 1024 * 1024
ROW_BYTES = 400  # an attendee row with its indexes, roughly, on SQLite and PostgreSQL
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏晨浩宇欣怡子涵思远嘉"
ORGANISATIONS = [
    "浦江科技股份有限公司",
    "东方新能源汽车有限公司",
    "上海市医学会",
    "浙江大学管理学院",
    "杭州跨境电商协会",
]
CATEGORIES = ["嘉宾", "嘉宾", "嘉宾", "贵宾", "演讲嘉宾", "工作人员", "媒体"]


def check_disk(workdir: Path, gb: float, rows: int, copies: int) -> None:
    """Refuse unless the disk holds three times the data set and, with a 10 % margin, all the run writes."""
    data = gb * 1024 * MIB + rows * ROW_BYTES
    writes = data + rows * ROW_BYTES + copies * data  # files + database, the dump, one archive per copy
    needed = max(3 * data, 1.1 * writes)
    free = shutil.disk_usage(workdir).free
    print(
        f"disk: {free / 1e9:.1f} GB free in {workdir}; data {data / 1e9:.1f} GB, the run writes about "
        f"{writes / 1e9:.1f} GB"
    )
    if free < needed:
        raise SystemExit(
            f"Refusing to start: {workdir} has {free / 1e9:.1f} GB free, under the {needed / 1e9:.1f} GB "
            f"needed (three times the {data / 1e9:.1f} GB of data, and all that the run writes: "
            f"{writes / 1e9:.1f} GB, with a margin). Lower --gb/--rows or pass a --workdir on a bigger disk."
        )


def insert_attendees(rows: int) -> None:
    from huiyi.onsite.attendees.models import Attendee
    from huiyi.projects.models import MeetingProject

    projects = list(MeetingProject.objects.values_list("pk", flat=True))
    batch, done, size = [], 0, 5000
    for index in range(rows):
        batch.append(
            Attendee(
                project_id=projects[index % len(projects)],
                external_key=f"B{index:08d}",
                name=SURNAMES[index % len(SURNAMES)] + GIVEN[(index // 50) % len(GIVEN)] + GIVEN[index % 7],
                organisation=ORGANISATIONS[index % len(ORGANISATIONS)],
                title="代表",
                phone=f"13{index % 10}{index:08d}"[:11],
                email=f"user{index}@example.com",
                category=CATEGORIES[index % len(CATEGORIES)],
                seat=f"{index // 40 % 100 + 1}排{index % 40 + 1}号",
                dietary="素食" if index % 23 == 0 else "",
            )
        )
        if len(batch) == size:
            Attendee.objects.bulk_create(batch)
            done += len(batch)
            batch = []
    if batch:
        Attendee.objects.bulk_create(batch)


def write_files(media: Path, gb: float, seed: int = 11) -> tuple[int, int]:
    """Incompressible files of 1–200 MiB up to `gb` GiB: every MiB a fresh slice of a random pool with its
    own counter, so no two blocks are equal and nothing is sparse. Returns (files, bytes)."""
    rng = random.Random(seed)
    pool = os.urandom(64 * MIB)
    target, written, count = int(gb * 1024 * MIB), 0, 0
    folders = ["documents/recordings", "documents/photos", "documents/scans"]
    while written < target:
        size = min(target - written, rng.randint(1, 200) * MIB)
        path = media / folders[count % 3] / f"file-{count:05d}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            left = size
            while left > 0:
                offset = rng.randrange(0, len(pool) - MIB)
                block = (written + size - left).to_bytes(8, "big") + pool[offset : offset + MIB - 8]
                handle.write(block[:left])
                left -= len(block[:left])
        written += size
        count += 1
    return count, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="attendee rows to insert")
    parser.add_argument("--gb", type=float, default=10.0, help="GiB of uploaded files")
    parser.add_argument("--key", action="store_true", help="encrypt the archives (HUIYI_BACKUP_KEY)")
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database (default: SQLite in the work dir)"
    )
    parser.add_argument(
        "--destinations", help="HUIYI_BACKUP_DESTINATIONS (default: three folders in the work dir)"
    )
    parser.add_argument("--workdir", default=tempfile.gettempdir(), help="where the data and copies go")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="huiyi-bench-backup-", dir=args.workdir))
    copies = len(args.destinations.split(",")) if args.destinations else 3
    try:
        check_disk(work, args.gb, args.rows, copies)
        os.environ["HUIYI_DATA_DIR"] = str(work / "data")
        os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{work / 'data' / 'bench.sqlite3'}"
        os.environ["HUIYI_BACKUP_DESTINATIONS"] = args.destinations or ",".join(
            str(work / f"copy{n}") for n in (1, 2, 3)
        )
        if args.key:
            from cryptography.fernet import Fernet

            os.environ["HUIYI_BACKUP_KEY"] = Fernet.generate_key().decode()
        (work / "data").mkdir()
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> None:
    from bench.common import setup_django

    setup_django()
    from django.conf import settings

    from huiyi.core import demo
    from huiyi.documents.backup import core

    started = time.perf_counter()
    # The organisation, people and meeting projects of the demo; the other apps' demo records are left out
    # (the bench's own rows and files are what a backup has to carry).
    extend, demo._extend = demo._extend, lambda people: None
    try:
        demo.build_demo(password="bench-password-not-secret")  # noqa: S106
    finally:
        demo._extend = extend
    insert_attendees(args.rows)
    rows = sum(core.live_row_counts().values())
    print(
        f"database: {rows:,} rows ({args.rows:,} attendees inserted) in {time.perf_counter() - started:.0f} s"
    )
    started = time.perf_counter()
    files, size = write_files(Path(settings.MEDIA_ROOT), args.gb)
    print(f"files: {files} files, {size / 2**30:.2f} GiB written in {time.perf_counter() - started:.0f} s")
    engine = core._engine()

    with Sampler(os.getpid()) as created_rss:
        started = time.perf_counter()
        result = core.create_backup()
        created = time.perf_counter() - started
    with Sampler(os.getpid()) as verified_rss:
        started = time.perf_counter()
        _name, reports = core.verify_backup(result.name)
        verified = time.perf_counter() - started
    total = result.size * len(result.copies)
    label = f"{engine}, {len(result.copies)} copies{', encrypted' if args.key else ''}"
    print(
        f"create  ({label}): {created:8.1f} s"
        f"  {total / created / 1e6:6.0f} MB/s written  archive {result.size / 2**30:.2f} GiB"
        f"  peak RSS {created_rss.peak / 1024:.0f} MB (before {created_rss.before / 1024:.0f} MB)"
    )
    print(
        f"verify  ({label}): {verified:8.1f} s  {total / verified / 1e6:6.0f} MB/s read"
        f"  all ok={all(r.ok for r in reports)}"
        f"  peak RSS {verified_rss.peak / 1024:.0f} MB (before {verified_rss.before / 1024:.0f} MB)"
    )
    for report in result.failed + [r for r in reports if not r.ok]:
        print(f"  FAILED {report.destination}: {report.reason}")
    from bench.common import figure, print_results

    size = f"{args.rows:,} rows + {args.gb:g} GiB, {label}"
    ok = all(r.ok for r in reports) and not result.failed
    print_results(
        "backup",
        [
            figure(f"backup create ({size})", created, "s"),
            figure(f"backup verify ({size})", verified, "s", "all copies verify", ok),
            figure(f"backup create, peak RSS ({size})", created_rss.peak / 1024, "MB"),
        ],
        engine=engine,
    )
    if engine == "postgresql":
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


if __name__ == "__main__":
    main()
