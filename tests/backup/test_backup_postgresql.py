"""Backups on PostgreSQL (§3.1(3)): pg_dump from an exported snapshot, then verify every copy."""

import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL pointing to PostgreSQL"),
]


def test_backup_postgresql_create_and_verify_with_pg_dump(media, three, make_user):
    make_user(username="alice")
    call_command("backup", "create", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("backup", "verify", stdout=out)
    assert out.getvalue().count("OK") == 3
    archive = next(p for p in three[0].iterdir() if p.name.endswith(".tar"))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert tar.extractfile("database").read(5) == b"PGDMP"  # pg_dump custom format
    assert manifest["database"]["engine"] == "postgresql"
    assert manifest["database"]["row_counts"]["accounts_user"] == 1
