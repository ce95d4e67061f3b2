"""Backup benchmark: N projects of synthetic data plus M MB of files; time `create` and `verify`, peak RSS.

    .venv/bin/python bench/bench_backup.py [--projects 2000] [--mb 50] [--key]

The issue's full run (1M rows, 10 GB of files) is a manual run with larger arguments.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src"), str(Path(__file__).resolve().parents[1])]

from bench.common import setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--key", action="store_true", help="encrypt (HUIYI_BACKUP_KEY)")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    from bench.generate import populate
    from huiyi.documents.backup import core

    if args.key:
        from cryptography.fernet import Fernet

        os.environ["HUIYI_BACKUP_KEY"] = Fernet.generate_key().decode()
    counts = populate(projects=args.projects)
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    for i in range(args.mb):
        (media / f"file-{i:05d}.bin").write_bytes(os.urandom(1024 * 1024))
    rows = sum(core.live_row_counts().values())
    started = time.perf_counter()
    result = core.create_backup()
    created = time.perf_counter() - started
    started = time.perf_counter()
    _name, reports = core.verify_backup(result.name)
    verified = time.perf_counter() - started
    size = result.paths[0].stat().st_size
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"data: {rows} rows ({counts['projects']} projects), {args.mb} MB of files, encrypted={args.key}")
    print(f"create (3 copies): {created:.2f} s  archive {size / 1e6:.1f} MB")
    print(f"verify (3 copies): {verified:.2f} s  all ok={all(r.ok for r in reports)}")
    print(f"peak RSS: {rss:.0f} MB")


if __name__ == "__main__":
    main()
