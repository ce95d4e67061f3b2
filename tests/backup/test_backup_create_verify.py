"""Backups in three copies (§3.1(3) 三份备份, issue 8): create, verify, encryption, atomic writes."""

import hashlib
import io
import json
import tarfile

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from huiyi.accounts.models import User
from huiyi.documents.backup import core

# The snapshot reads the database from outside any transaction, as the command does in production.
pytestmark = pytest.mark.django_db(transaction=True)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("backup", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def archives(folder):
    return sorted(p for p in folder.iterdir() if p.name.startswith("huiyi-backup-"))


def test_backup_create_writes_three_identical_copies_with_manifest(media, three, make_user):
    """§3.1(3): one snapshot, three copies, manifest with checksums of every file and row counts."""
    make_user(username="alice")
    out, err = run("create")
    assert "share one disk" not in err
    copies = [archives(folder) for folder in three]
    assert all(len(c) == 1 for c in copies)
    data = [c[0].read_bytes() for c in copies]
    assert data[0] == data[1] == data[2]
    with tarfile.open(copies[0][0]) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = tar.extractfile("database").read()
    assert names[0] == "database" and names[-1] == "manifest.json"
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["database"]["sha256"] == hashlib.sha256(dump).hexdigest()
    assert manifest["database"]["row_counts"]["accounts_user"] == User.objects.count() == 1
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == {
        path: hashlib.sha256(data).hexdigest() for path, data in media.items()
    }
    assert manifest["created_at"] and manifest["huiyi_version"]
    assert manifest["name"] in out


def test_backup_verify_ok_then_detects_one_flipped_byte(media, three):
    run("create")
    out, _err = run("verify")
    assert out.count("OK") == 3 and "All 3 copies verified" in out
    target = archives(three[1])[0]
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    target.write_bytes(bytes(raw))
    with pytest.raises(CommandError, match="1 of 3 copies"):
        run("verify")
    name, reports = core.verify_backup()
    assert [r.ok for r in reports] == [True, False, True]
    assert reports[1].reason


def test_backup_verify_reports_a_missing_copy(media, three):
    run("create")
    archives(three[2])[0].unlink()
    name, reports = core.verify_backup()
    assert [(r.ok, r.reason) for r in reports][2] == (False, "missing")


def test_backup_encryption_round_trip_hides_plaintext(media, three, monkeypatch, settings):
    marker = b"CONFIDENTIAL-ATTENDEE-LIST-MARKER-0123456789"
    (settings.MEDIA_ROOT / "secret.txt").write_bytes(marker * 10)
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("HUIYI_BACKUP_KEY", key)
    run("create")
    copy = archives(three[0])[0]
    assert copy.name.endswith(".tar.enc")
    raw = copy.read_bytes()
    assert marker not in raw and b"manifest.json" not in raw and b"SQLite format" not in raw
    out, _err = run("verify")
    assert out.count("OK") == 3
    monkeypatch.setenv("HUIYI_BACKUP_KEY", Fernet.generate_key().decode())
    name, reports = core.verify_backup()
    assert not any(r.ok for r in reports) and "decrypt" in reports[0].reason
    monkeypatch.delenv("HUIYI_BACKUP_KEY")
    name, reports = core.verify_backup()
    assert "HUIYI_BACKUP_KEY is not set" in reports[0].reason


def test_backup_refuses_a_malformed_key(media, three, monkeypatch):
    monkeypatch.setenv("HUIYI_BACKUP_KEY", "not-a-key")
    with pytest.raises(CommandError, match="HUIYI_BACKUP_KEY"):
        run("create")
    assert all(not folder.exists() or not any(folder.iterdir()) for folder in three)


def test_backup_failure_mid_write_leaves_no_complete_looking_archive(media, three):
    calls = {"n": 0}

    def crash():
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full (simulated)")

    with pytest.raises(OSError, match="simulated"):
        core.create_backup(_fail_after=crash)
    for folder in three:
        assert list(folder.iterdir()) == []
    assert core.list_backups() == []
    with pytest.raises(core.BackupError, match="No backup"):
        core.verify_backup()


def test_backup_leftover_partial_from_a_killed_run_is_ignored_and_cleaned(media, three):
    """A kill -9 mid-write leaves only a hidden .partial: never listed, removed by the next run."""
    run("create")
    good = archives(three[0])[0]
    for folder in three:
        (folder / ".huiyi-backup-20990101T000000Z.tar.partial").write_bytes(good.read_bytes()[:5000])
    assert [b["name"] for b in core.list_backups()] == [good.name.removesuffix(".tar")]
    run("create")
    assert not list(three[0].glob(".*.partial"))
    assert len(archives(three[0])) == 2


def test_backup_truncated_archive_fails_verify(media, three):
    run("create")
    target = archives(three[0])[0]
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    name, reports = core.verify_backup()
    assert not reports[0].ok and reports[1].ok


def test_backup_without_destinations_warns_they_share_one_disk(media, monkeypatch, settings):
    monkeypatch.delenv("HUIYI_BACKUP_DESTINATIONS", raising=False)
    monkeypatch.delenv("HUIYI_BACKUP_KEY", raising=False)
    _out, err = run("create")
    assert "share one disk" in err
    for n in (1, 2, 3):
        assert len(archives(settings.DATA_DIR / "backups" / str(n))) == 1
    out, _err = run("verify")
    assert "All 3 copies verified" in out


def test_backup_unsupported_destination_is_refused_clearly(media, monkeypatch):
    """REQ-DOC-07: folders and s3:// buckets only (see test_backup_s3.py); anything else is refused."""
    monkeypatch.setenv("HUIYI_BACKUP_DESTINATIONS", "ftp://host/huiyi,/tmp/a,/tmp/b")
    with pytest.raises(CommandError, match="only absolute folders and s3://"):
        run("create")


def test_backup_list_shows_copies(media, three):
    run("create")
    archives(three[1])[0].unlink()
    out, _err = run("list")
    assert "[1]" in out and "[2]missing" in out
