"""Backups to S3-compatible destinations (REQ-DOC-07, §3.1(3) 三份备份, issue 8), against a real S3 protocol
server (moto) on localhost: streamed multipart upload, verify by download, corruption detected, a failed
destination reported and never counted, restore from the bucket into an empty installation."""

import hashlib
import io
import os
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from huiyi.core.models import Notification
from huiyi.documents.backup import core, tasks
from huiyi.documents.backup import destinations as places

from .test_backup_restore import checksums, huiyi, row_counts

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("backup", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def objects(client, bucket):
    return {o["Key"]: o for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


@pytest.fixture
def mixed(tmp_path, monkeypatch, s3):
    """Two folders and one bucket prefix, as an organisation with one off-site copy configures them."""
    client, bucket = s3
    folders = [tmp_path / "copy1", tmp_path / "copy2"]
    raw = f"{folders[0]},{folders[1]},s3://{bucket}/huiyi/daily"
    monkeypatch.setenv("HUIYI_BACKUP_DESTINATIONS", raw)
    monkeypatch.delenv("HUIYI_BACKUP_KEY", raising=False)
    return folders, client, bucket


@pytest.fixture
def big_media(media, settings):
    """Add a 12 MB file so that the bucket copy goes up in several 5 MiB parts."""
    data = os.urandom(12 * 1024 * 1024)
    (settings.MEDIA_ROOT / "documents" / "recording.mp4").write_bytes(data)
    return media | {"documents/recording.mp4": data}


def test_backup_s3_mixed_destinations_round_trip_and_corruption_is_detected_req_doc_07(
    big_media, mixed, make_user
):
    """REQ-DOC-07: two folders + one bucket get identical copies; verify downloads the bucket copy and checks
    every checksum; a corrupted object fails verification, the folder copies stay good."""
    folders, client, bucket = mixed
    make_user(username="alice")
    out, _err = run("create")
    assert out.count("written:") == 3
    held = objects(client, bucket)
    assert len(held) == 1
    key = next(iter(held))
    assert key.startswith("huiyi/daily/huiyi-backup-") and key.endswith(".tar")
    local = next(folders[0].glob("huiyi-backup-*.tar")).read_bytes()
    remote = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    # Multipart (streamed in 5 MiB parts): S3 marks a multipart object's ETag with its number of parts.
    parts = -(-len(remote) // (5 * 1024 * 1024))
    assert parts >= 3 and held[key]["ETag"].strip('"').endswith(f"-{parts}")
    assert hashlib.sha256(remote).digest() == hashlib.sha256(local).digest()
    assert f"s3://{bucket}/{key}" in out

    out, _err = run("verify")
    assert out.count("OK") == 3 and "All 3 copies verified" in out
    listed, _err = run("list")
    assert f"s3://{bucket}/huiyi/daily" in listed and "missing" not in listed

    corrupted = bytearray(remote)
    corrupted[len(corrupted) // 2] ^= 0x01
    client.put_object(Bucket=bucket, Key=key, Body=bytes(corrupted))
    with pytest.raises(CommandError, match="1 of 3 copies"):
        run("verify")
    _name, reports = core.verify_backup()
    assert [r.ok for r in reports] == [True, True, False]
    assert "checksum" in reports[2].reason or "damaged" in reports[2].reason


def test_backup_s3_encrypted_copy_hides_plaintext_and_verifies_req_doc_07(
    media, mixed, monkeypatch, settings
):
    """REQ-DOC-07 (encrypted storage): the bucket holds only ciphertext; verify decrypts it as it streams."""
    _folders, client, bucket = mixed
    marker = b"CONFIDENTIAL-ATTENDEE-LIST-MARKER-0123456789"
    (settings.MEDIA_ROOT / "secret.txt").write_bytes(marker * 10)
    monkeypatch.setenv("HUIYI_BACKUP_KEY", Fernet.generate_key().decode())
    run("create")
    key = next(iter(objects(client, bucket)))
    assert key.endswith(".tar.enc")
    assert marker not in client.get_object(Bucket=bucket, Key=key)["Body"].read()
    out, _err = run("verify")
    assert "All 3 copies verified" in out


def test_backup_s3_missing_bucket_is_reported_and_not_counted_req_doc_07(
    media, tmp_path, monkeypatch, s3, make_user
):
    """REQ-DOC-07: a destination that cannot be written is named with its reason, the command fails, the
    other copies are still made, verify reports the missing copy, and the daily job notifies."""
    folders = [tmp_path / "copy1", tmp_path / "copy2"]
    monkeypatch.setenv("HUIYI_BACKUP_DESTINATIONS", f"{folders[0]},{folders[1]},s3://no-such-bucket/huiyi")
    monkeypatch.delenv("HUIYI_BACKUP_KEY", raising=False)
    with pytest.raises(CommandError, match="Only 2 of 3 copies"):
        run("create")
    result = core.create_backup()
    assert not result.ok and len(result.copies) == 2
    assert [r.destination for r in result.failed] == ["s3://no-such-bucket/huiyi"]
    assert "NoSuchBucket" in result.failed[0].reason
    _name, reports = core.verify_backup(result.name)
    assert [r.ok for r in reports] == [True, True, False]
    listed, _err = run("list")
    assert "[3] cannot be listed" in listed and "NoSuchBucket" in listed and "[3]missing" in listed

    boss = make_user(username="boss", is_superuser=True)
    ok, reason = tasks.run_backup()
    assert not ok and "no-such-bucket" in reason and "NoSuchBucket" in reason
    notice = Notification.objects.get(kind="backup", recipient=boss)
    assert "no-such-bucket" in notice.body


def test_backup_s3_failure_mid_upload_aborts_that_upload_and_keeps_the_others_req_doc_07(
    big_media, mixed, monkeypatch
):
    """REQ-DOC-07: the bucket fails after the first part: its multipart upload is aborted (no object, no
    parts left behind), the two folder copies complete, and the failure is reported."""
    folders, client, bucket = mixed
    calls = {"n": 0}
    send = places._S3Writer._send

    def flaky(self, data):
        calls["n"] += 1
        if calls["n"] == 2:
            raise places.DestinationError("uploading part 2 failed (connection reset, simulated)")
        return send(self, data)

    monkeypatch.setattr(places._S3Writer, "_send", flaky)
    result = core.create_backup()
    assert len(result.copies) == 2 and all(str(f) in c for f, c in zip(folders, result.copies, strict=True))
    assert "simulated" in result.failed[0].reason
    assert objects(client, bucket) == {}
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_backup_s3_leftover_upload_of_a_killed_run_is_aborted_by_the_next_run_req_doc_07(media, mixed):
    """REQ-DOC-07: a kill -9 mid-upload leaves an unfinished multipart upload (never an object, never
    listed); the next run aborts it so its parts stop costing storage."""
    _folders, client, bucket = mixed
    client.create_multipart_upload(Bucket=bucket, Key="huiyi/daily/huiyi-backup-20990101T000000Z.tar")
    assert len(client.list_multipart_uploads(Bucket=bucket)["Uploads"]) == 1
    assert core.list_backups() == []
    run("create")
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    assert len(core.list_backups()) == 1


def test_backup_s3_url_options_are_checked_req_doc_07(monkeypatch):
    """REQ-DOC-07: a malformed destination is refused with a clear message, before any work."""
    with pytest.raises(core.BackupError, match="needs a bucket"):
        core.destinations("s3:///prefix")
    with pytest.raises(core.BackupError, match="unknown option 'secret'"):
        core.destinations("s3://bucket/p?secret=x")
    with pytest.raises(core.BackupError, match="only absolute folders and s3://"):
        core.destinations("ftp://host/x")
    with pytest.raises(core.BackupError, match="more than once"):
        core.destinations("s3://bucket/p,s3://bucket/p/")
    dest = core.destinations("s3://bucket/p?endpoint_url=http://127.0.0.1:9&region=cn-east-1")[0][0]
    assert (dest.bucket, dest.prefix, dest.endpoint_url, dest.region) == (
        "bucket",
        "p",
        "http://127.0.0.1:9",
        "cn-east-1",
    )
    monkeypatch.setenv("HUIYI_BACKUP_S3_PART_MB", "1")
    with pytest.raises(core.BackupError, match="at least 5"):
        core.destinations("s3://bucket/p")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX only")
def test_backup_s3_restore_from_the_bucket_into_an_empty_installation_req_doc_07(tmp_path, s3):
    """REQ-DOC-07, §3.1(3): back up to two folders + a bucket, lose the machine (folders gone), restore from
    the bucket alone into an empty installation: identical row counts and file checksums."""
    client, bucket = s3
    source, target = tmp_path / "source", tmp_path / "target"
    url = f"s3://{bucket}/offsite"
    both = ",".join([str(tmp_path / "copy1"), str(tmp_path / "copy2"), url])
    huiyi(source, "migrate", "-v0", destinations=both)
    huiyi(source, "createsuperuser", "--noinput", "--username", "boss", "--email", "b@example.com",
          destinations=both)  # fmt: skip
    media = source / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "议程.pdf").write_bytes(os.urandom(6 * 1024 * 1024))
    (media / "note.txt").write_text("会议纪要 minutes", encoding="utf-8")
    created = huiyi(source, "backup", "create", destinations=both)
    name = created.stdout.split()[1].rstrip(":")
    assert created.stdout.count("written:") == 3

    restored = huiyi(target, "backup", "restore", name, "--into-empty", destinations=url)
    assert f"Restored {name} from {url}" in restored.stdout
    assert "match the manifest" in restored.stdout
    assert row_counts(target / "huiyi.sqlite3") == row_counts(source / "huiyi.sqlite3")
    assert row_counts(target / "huiyi.sqlite3")["accounts_user"] == 1
    assert checksums(target / "media") == checksums(media)
