"""Fixtures of the fault tests (issue 10): a seeded template installation per test session, and fresh copies
of it — each a database of its own (a SQLite file, or a PostgreSQL database ``huiyi_faults_<random>`` on the
suite's server) and a data folder of its own, dropped after the test.

The template starts as a copy of the suite's test database (already migrated: migrating again would cost a
minute and a half on a shared 2-core machine), seeded by ``seed.py`` in a process of its own. A copy of it is
cheap: the SQLite backup API, or PostgreSQL's CREATE DATABASE … TEMPLATE.
"""

import contextlib
import json
import resource
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from .harness import (
    HERE,
    PYTHON,
    Database,
    Installation,
    clone_database,
    new_postgres_name,
    postgres_admin_url,
    production_env,
    suite_vendor,
    write_static_manifest,
)

#: What a copy leaves out of the template's data folder (the database is copied on its own).
NOT_COPIED = shutil.ignore_patterns("huiyi.sqlite3*", "huey.sqlite3*", "*.log")


def pytest_collection_modifyitems(items):
    """pytest-django creates the suite's test database only for tests that ask for a database: these do (it is
    the template's starting point), though they never use it themselves."""
    for item in items:
        if Path(str(item.fspath)).parent == HERE:
            item.add_marker(pytest.mark.django_db)


@dataclass
class Template:
    db: Database
    data_dir: Path
    seed: dict


def _snapshot_test_database(data_dir: Path) -> Database:
    from django.db import connection, connections

    if suite_vendor() == "sqlite":
        connection.ensure_connection()
        target = data_dir / "huiyi.sqlite3"
        with contextlib.closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)
        return Database(f"sqlite:///{target}", "sqlite")
    import psycopg

    source = connection.settings_dict["NAME"]
    connections.close_all()
    admin = postgres_admin_url()
    name = new_postgres_name("tpl_")
    url = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as db:
        try:
            db.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
            return Database(url, "postgresql", admin)
        except psycopg.errors.ObjectInUse:
            db.execute(f'CREATE DATABASE "{name}"')  # another connection is open on it: copy by dump
    source_url = urlunsplit(urlsplit(admin)._replace(path=f"/{source}"))
    dump = subprocess.run(["pg_dump", "-Fc", source_url], capture_output=True, check=True, timeout=600)  # noqa: S607
    subprocess.run(  # noqa: S603
        ["pg_restore", "--no-owner", "-d", url],  # noqa: S607
        input=dump.stdout,
        capture_output=True,
        check=True,
        timeout=600,
    )
    return Database(url, "postgresql", admin)


@pytest.fixture(scope="session")
def fault_template(django_db_setup, django_db_blocker, tmp_path_factory):
    started, cpu = time.monotonic(), _cpu()
    data_dir = tmp_path_factory.mktemp("faults-template")
    with django_db_blocker.unblock():
        db = _snapshot_test_database(data_dir)
    write_static_manifest(data_dir / "static")
    done = subprocess.run(  # noqa: S603
        [PYTHON, str(HERE / "seed.py")],
        env=production_env(db.url, data_dir),
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        db.drop()
        raise AssertionError(f"seeding the fault tests' template failed:\n{done.stderr[-4000:]}")
    template = Template(db, data_dir, json.loads(done.stdout.strip().splitlines()[-1]))
    print(
        f"fault tests' template ({db.vendor}) ready in {time.monotonic() - started:.1f} s, "
        f"{_cpu() - cpu:.1f} s of CPU"
    )
    yield template
    if db.vendor == "postgresql":
        db.drop()


@pytest.fixture
def make_installation(fault_template, tmp_path):
    """Fresh copies of the template: `make_installation(**extra_env)` → Installation (dropped afterwards)."""
    made: list[Installation] = []

    def make(**extra_env) -> Installation:
        data_dir = tmp_path / f"installation-{len(made) + 1}"
        shutil.copytree(fault_template.data_dir, data_dir, ignore=NOT_COPIED)
        installation = Installation(clone_database(fault_template.db, data_dir), data_dir, dict(extra_env))
        made.append(installation)
        return installation

    yield make
    for installation in made:
        installation.db.drop()


@pytest.fixture(autouse=True)
def _cpu_seconds(request):
    """Prints the CPU time a fault test cost, its server and command processes included (the budget: CI runs
    these on two shared cores)."""
    before = _cpu()
    yield
    print(f"\n{request.node.name}: {_cpu() - before:.1f} s of CPU")


def _cpu() -> float:
    """CPU seconds of this process and of its finished child processes."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


@pytest.fixture
def seed(fault_template) -> dict:
    return fault_template.seed
