"""The daily backup job (§3.1(3)): create + verify; a failure reaches superusers and quality officers."""

import pytest

from huiyi.core.models import Notification
from huiyi.documents.backup import crypto, tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_job_failure_notifies_superusers_and_quality_officers(
    media, monkeypatch, make_user, org, tmp_path
):
    boss = make_user(username="boss", is_superuser=True)
    officer = make_user("quality_officer", org["company"], username="officer")
    planner = make_user("planner", org["company"], username="planner")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folders should be")
    monkeypatch.setenv("HUIYI_BACKUP_DESTINATIONS", ",".join(str(blocker / n) for n in "abc"))
    ok, reason = tasks.run_backup()
    assert not ok and "No destination can be written" in reason
    notified = set(Notification.objects.filter(kind="backup").values_list("recipient__username", flat=True))
    assert notified == {boss.username, officer.username}
    assert planner.username not in notified
    tasks.run_backup()  # the same day: no second notice
    assert Notification.objects.filter(kind="backup").count() == 2


def test_backup_job_success_notifies_nobody(media, three, make_user):
    make_user(username="boss", is_superuser=True)
    ok, name = tasks.run_backup()
    assert ok and name.startswith("huiyi-backup-")
    assert not Notification.objects.filter(kind="backup").exists()


def test_backup_encrypted_stream_rejects_reordered_chunks(monkeypatch):
    import io

    from cryptography.fernet import Fernet

    monkeypatch.setattr(crypto, "CHUNK", 16)
    key = Fernet.generate_key()
    out = io.BytesIO()
    writer = crypto.EncryptingWriter(out, key)
    writer.write(b"a" * 16 + b"b" * 16 + b"c" * 5)
    writer.close()
    data = out.getvalue()
    assert crypto.DecryptingReader(io.BytesIO(data), key).read() == b"a" * 16 + b"b" * 16 + b"c" * 5
    # Drop the last chunk: the stream is cut short and must not read as complete.
    body = data[len(crypto.MAGIC) :]
    chunks, pos = [], 0
    while pos < len(body):
        length = int.from_bytes(body[pos : pos + 4], "big")
        chunks.append(body[pos : pos + 4 + length])
        pos += 4 + length
    with pytest.raises(crypto.DecryptionError, match="truncated"):
        crypto.DecryptingReader(io.BytesIO(crypto.MAGIC + chunks[0] + chunks[1]), key).read()
    with pytest.raises(crypto.DecryptionError, match="out of order"):
        crypto.DecryptingReader(io.BytesIO(crypto.MAGIC + chunks[1] + chunks[0] + chunks[2]), key).read()
