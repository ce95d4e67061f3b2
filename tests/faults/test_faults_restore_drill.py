"""Issue 10, "Restore drill" (REQ-DOC-07, §3.1(3)): back up, wipe, restore — identical row counts and file
checksums, counted and hashed by the test itself, not taken from Huiyi's own report.

An installation of its own (the seeded database: meetings, attendees, tickets, documents, and their files
among them one encrypted very-high document) is backed up with the real `huiyi backup create` to three
folders outside its data folder. Then it is wiped: the data folder is deleted whole — database file, uploads,
everything — and on PostgreSQL the database is dropped and created empty. `huiyi backup restore` brings it
back. Every table has the same number of rows, every file the same SHA-256, and the restored installation
serves: the administrator signs in and downloads the very-high document, decrypted as before — the secret
key comes from HUIYI_SECRET_KEY, kept outside the data folder.

A key only generated into the data folder is lost with it, and the very-high documents with it: `backup
create` warns about that, and a restore under another key says so and exits non-zero (the drill's second
round) instead of reporting success over documents nobody can open.
"""

import json
import shutil

from huiyi.onsite.attendees.models import Attendee

from .harness import Server, sha256_tree, write_static_manifest

SECRET_TEXT = "绝密：会场布置方案\n".encode() * 500  # what seed.py filed as very high


def test_req_doc_07_backup_wipe_restore_gives_identical_rows_and_files(make_installation, seed, tmp_path):
    folders = [tmp_path / f"copy{n}" for n in (1, 2, 3)]
    installation = make_installation(HUIYI_BACKUP_DESTINATIONS=",".join(str(f) for f in folders))
    db = installation.db
    rows_before = db.row_counts()
    files_before = sha256_tree(installation.media)
    assert len(files_before) >= 6 and rows_before[Attendee._meta.db_table] > 2000

    created = installation.huiyi("backup", "create", timeout=600)
    assert created.returncode == 0, created.stderr[-3000:]
    assert "secret key generated" not in created.stderr  # the key is kept outside the data folder
    name = created.stdout.split()[1].rstrip(":")
    assert name.startswith("huiyi-backup-"), created.stdout

    shutil.rmtree(installation.data_dir)  # the disaster: the data folder is gone, database file and all
    db.recreate_empty()  # PostgreSQL: the database dropped, an empty one in its place
    installation.data_dir.mkdir()
    assert db.tables() == []

    restored = installation.huiyi("backup", "restore", name, "--into-empty", timeout=600)
    assert restored.returncode == 0, restored.stdout[-2000:] + restored.stderr[-3000:]

    rows_after = db.row_counts()
    assert rows_after == rows_before, {
        t: (n, rows_after.get(t)) for t, n in rows_before.items() if rows_after.get(t) != n
    }
    assert sha256_tree(installation.media) == files_before
    assert db.integrity_problems() == []

    write_static_manifest(installation.data_dir / "static")  # collectstatic's part of a reinstall
    server = Server(installation).start()
    try:
        web = server.web()
        web.sign_in(seed["admin"]["username"], seed["admin"]["password"])
        status, _headers, _body = web.get("/")
        assert status == 200
        api = server.web(token=seed["admin"]["token"])
        project = seed["documents"]["project"]
        status, _headers, body = api.get(f"/api/v1/documents/?project={project}")
        assert status == 200, body[:300]
        secret = next(d for d in json.loads(body)["results"] if d["confidentiality"] == "very_high")
        status, _headers, body = api.get(f"/api/v1/documents/{secret['id']}/download/")
        assert status == 200 and body == SECRET_TEXT
    finally:
        server.stop()

    # Second round: the same disaster, restored under another key (the generated one was in the data folder).
    shutil.rmtree(installation.data_dir)
    db.recreate_empty()
    installation.data_dir.mkdir()
    installation.extra_env["HUIYI_SECRET_KEY"] = "a-key-generated-on-the-new-machine-" + "x" * 20
    restored = installation.huiyi("backup", "restore", name, "--into-empty", timeout=600)
    assert restored.returncode != 0 and "HUIYI_SECRET_KEY" in restored.stderr, restored.stderr[-2000:]
    assert db.row_counts() == rows_before  # the data is back; only the key is missing
