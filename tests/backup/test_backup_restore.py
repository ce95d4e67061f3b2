"""Restore drill (§3.1(3), issue 8 and issue 10): backup → restore into an empty installation gives identical
row counts and file checksums. Runs the real `huiyi` command in subprocesses with their own data dirs."""

import contextlib
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

HUIYI = [sys.executable, "-m", "huiyi.cli"]


def huiyi(data_dir: Path, *args, destinations: str, check=True):
    env = {
        k: v
        for k, v in os.environ.items()
        if k.startswith("HUIYI_BACKUP_S3_") or not k.startswith(("HUIYI_", "DATABASE_URL", "PYTEST"))
    }
    env.update(
        HUIYI_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'huiyi.sqlite3'}",
        HUIYI_BACKUP_DESTINATIONS=destinations,
        HUIYI_TESTING="1",
    )
    run = subprocess.run([*HUIYI, *args], env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert run.returncode == 0, run.stdout + run.stderr
    return run


def row_counts(db: Path) -> dict:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def checksums(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX only")
def test_backup_restore_into_empty_installation_round_trip(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    destinations = ",".join(str(tmp_path / f"copy{n}") for n in (1, 2, 3))
    huiyi(source, "migrate", "-v0", destinations=destinations)
    huiyi(
        source,
        "createsuperuser",
        "--noinput",
        "--username",
        "boss",
        "--email",
        "b@example.com",
        destinations=destinations,
    )
    media = source / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "议程.pdf").write_bytes(os.urandom(300_000))
    (media / "note.txt").write_text("会议纪要 minutes", encoding="utf-8")
    created = huiyi(source, "backup", "create", destinations=destinations)
    name = created.stdout.split()[1].rstrip(":")

    restored = huiyi(target, "backup", "restore", name, "--into-empty", destinations=destinations)
    assert "match the manifest" in restored.stdout
    assert row_counts(target / "huiyi.sqlite3") == row_counts(source / "huiyi.sqlite3")
    assert row_counts(target / "huiyi.sqlite3")["accounts_user"] == 1
    assert checksums(target / "media") == checksums(media)

    again = huiyi(target, "backup", "restore", name, "--into-empty", destinations=destinations, check=False)
    assert again.returncode != 0 and "not empty" in again.stderr
