"""What the fault tests (issue 10) drive: real installations — a database of their own and a data folder — and
real processes on them (gunicorn, the `huiyi` command), killed for real with SIGKILL.

* :class:`Database`: a fresh SQLite file or a fresh PostgreSQL database ``huiyi_faults_<random>`` on the
  server the suite uses, queried with the plain driver (the test process's Django talks to the suite's test
  database, not to these), with the integrity checks the crash tests need;
* :class:`Installation`: a database + a data folder + the environment of a production process (no test
  settings: huey really queues, the secret key is fixed so documents encrypted under it stay readable);
* :class:`Server`: gunicorn with Huiyi's WSGI app (``--preload``: workers are forked from a master that has
  loaded Django once, so a killed worker is replaced in milliseconds) in a session of its own, so the whole
  server can be SIGKILLed at once;
* :class:`Web`: a tiny HTTP client over http.client (cookies, CSRF, token), never following redirects.

Static files: ``collectstatic`` takes minutes on a shared 2-core machine, so an installation gets a manifest
that names every static file as itself. Pages render exactly as in production; their CSS is not served,
which no fault test looks at.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
SECRET_KEY = "faults-" + uuid.uuid4().hex


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def sha256_tree(root: Path) -> dict[str, str]:
    """SHA-256 of every file under `root`, by relative path."""
    sums = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            sums[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


# -- databases ----------------------------------------------------------------------------------------------


def suite_vendor() -> str:
    """The database the suite runs on: PostgreSQL when DATABASE_URL says so, else SQLite."""
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def postgres_admin_url(url: str | None = None) -> str:
    """The maintenance database of the server the suite's DATABASE_URL points at."""
    parts = urlsplit(url or os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/postgres"))


def new_postgres_name(kind: str = "") -> str:
    return f"huiyi_faults_{kind}{uuid.uuid4().hex[:10]}"


@dataclass
class Database:
    url: str
    vendor: str
    admin_url: str | None = None  # PostgreSQL: where to drop it from

    @property
    def path(self) -> Path:
        return Path(urlsplit(self.url).path)

    @property
    def name(self) -> str:
        return urlsplit(self.url).path.lstrip("/")

    # plain-driver access ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def connect(self):
        if self.vendor == "sqlite":
            db = sqlite3.connect(self.path, timeout=30)
            try:
                yield db
            finally:
                db.close()
        else:
            import psycopg

            with psycopg.connect(self.url, autocommit=True, connect_timeout=10) as db:
                yield db

    def query(self, sql: str, params=()) -> list[tuple]:
        """Rows of `sql` (written with %s placeholders, whatever the database)."""
        with self.connect() as db:
            if self.vendor == "sqlite":
                return db.execute(sql.replace("%s", "?"), params).fetchall()
            return db.execute(sql, params).fetchall()

    def scalar(self, sql: str, params=()):
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def count(self, table: str, where: str = "1 = 1", params=()) -> int:
        """Rows of `table` (a model's db_table) matching `where` (with %s placeholders)."""
        return self.scalar(f'SELECT count(*) FROM "{table}" WHERE {where}', params)  # noqa: S608

    def tables(self) -> list[str]:
        if self.vendor == "sqlite":
            sql = (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
            )
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        return [row[0] for row in self.query(sql)]

    def row_counts(self) -> dict[str, int]:
        with self.connect() as db:
            return {
                table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608 - catalog names
                for table in self.tables()
            }

    def integrity_problems(self) -> list[str]:
        """SQLite: PRAGMA integrity_check and foreign_key_check. PostgreSQL: every foreign key of the catalog
        checked row by row (Django's are deferred constraints: this proves what a crash left, not what the
        next commit would refuse). An empty list means the database is sound."""
        if self.vendor == "sqlite":
            with self.connect() as db:
                integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
                problems = [] if integrity == ["ok"] else [f"integrity_check: {integrity[:5]}"]
                dangling = db.execute("PRAGMA foreign_key_check").fetchall()
                problems += [f"foreign_key_check: {row}" for row in dangling[:20]]
            return problems
        keys = self.query(
            """
            SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
                   array_agg(a.attname ORDER BY k.n), array_agg(fa.attname ORDER BY k.n)
            FROM pg_constraint c
            CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(child, parent, n)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.child
            JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.parent
            WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
            GROUP BY c.conname, c.conrelid, c.confrelid
            """
        )
        problems = []
        with self.connect() as db:
            for name, child, parent, child_columns, parent_columns in keys:
                pairs = zip(child_columns, parent_columns, strict=True)
                joined = " AND ".join(f'p."{pc}" = c."{cc}"' for cc, pc in pairs)
                present = " AND ".join(f'c."{cc}" IS NOT NULL' for cc in child_columns)
                sql = (
                    f"SELECT count(*) FROM {child} c WHERE {present} "  # noqa: S608 - catalog names
                    f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {joined})"
                )
                dangling = db.execute(sql).fetchone()[0]
                if dangling:
                    problems.append(f"{name}: {dangling} row(s) of {child} point at no {parent}")
            if not keys:
                problems.append("no foreign keys found in the catalog: the check checked nothing")
        return problems

    # lifecycle -------------------------------------------------------------------------------------------

    def drop(self) -> None:
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            return
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def recreate_empty(self) -> None:
        """Wipe: the database is gone and an empty one of the same name takes its place."""
        self.drop()
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as db:
                db.execute(f'CREATE DATABASE "{self.name}"')


def clone_database(source: Database, target_dir: Path) -> Database:
    """A copy of `source` (SQLite: the file; PostgreSQL: CREATE DATABASE … TEMPLATE, no one connected)."""
    if source.vendor == "sqlite":
        target = target_dir / "huiyi.sqlite3"
        with (
            contextlib.closing(sqlite3.connect(source.path)) as src,
            contextlib.closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)
        return Database(f"sqlite:///{target}", "sqlite")
    import psycopg

    name = new_postgres_name()
    with psycopg.connect(source.admin_url, autocommit=True) as db:
        for attempt in range(20):
            try:
                db.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source.name}"')
                break
            except psycopg.errors.ObjectInUse:  # a process that used the template is still closing
                time.sleep(0.25 * (attempt + 1))
        else:
            raise AssertionError(f"{source.name} stays in use: cannot copy it")
    parts = urlsplit(source.url)
    return Database(urlunsplit(parts._replace(path=f"/{name}")), "postgresql", source.admin_url)


# -- installations and processes ---------------------------------------------------------------------------


def production_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a Huiyi process as deployed: none of the test run's settings leak into it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "HUIYI_", "DJANGO_", "COV_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "PGDATABASE"}
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "HUIYI_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "huiyi.settings",
            "HUIYI_SECRET_KEY": SECRET_KEY,
            "HUIYI_HTTPS": "0",
            "HUIYI_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "HUIYI_LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    env.update(extra)
    return env


@dataclass
class Installation:
    db: Database
    data_dir: Path
    extra_env: dict = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        return production_env(self.db.url, self.data_dir, **self.extra_env)

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    def huiyi(self, *args: str, timeout: float = 300, check: bool = False) -> subprocess.CompletedProcess:
        """Run the `huiyi` command as an operator would, in its own process."""
        done = subprocess.run(  # noqa: S603 - our own interpreter, fixed argv
            [PYTHON, "-m", "huiyi.cli", *args],
            env=self.env,
            cwd=self.data_dir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"huiyi {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done


def write_static_manifest(static_root: Path) -> None:
    """A staticfiles manifest naming every static file as itself (see the module docstring)."""
    from django.contrib.staticfiles.finders import get_finders

    paths = {}
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            prefix = getattr(storage, "prefix", None)
            name = (f"{prefix}/{path}" if prefix else path).replace(os.sep, "/")
            paths[name] = name
    static_root.mkdir(parents=True, exist_ok=True)
    manifest = {"paths": paths, "version": "1.1", "hash": "faults"}
    (static_root / "staticfiles.json").write_text(json.dumps(manifest))


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(item) for item in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Server:
    """gunicorn serving Huiyi on a free port, in a process group of its own."""

    def __init__(
        self, installation: Installation, *, workers: int = 1, threads: int = 4, env: dict | None = None
    ):
        self.installation = installation
        self.workers = workers
        self.threads = threads
        self.env = env or installation.env
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = installation.data_dir / f"gunicorn-{self.port}.log"

    def start(self, timeout: float = 180) -> Server:
        command = [
            PYTHON,
            "-m",
            "gunicorn",
            "huiyi.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--worker-class",
            "gthread",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--preload",
            "--timeout",
            "300",
            "--graceful-timeout",
            "5",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ]
        log = open(self.log, "ab")  # noqa: SIM115 - handed to the child
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            command,
            cwd=self.installation.data_dir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_for(self._ready, timeout=timeout, interval=0.2, what=f"gunicorn on port {self.port}")
        return self

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
        if len(self.worker_pids()) < self.workers:
            return False
        try:
            status, _headers, _body = Web(self.port, timeout=5).request("GET", "/healthz")
        except OSError:
            return False
        return status == 200

    def tail(self, size: int = 4000) -> str:
        try:
            return self.log.read_bytes()[-size:].decode(errors="replace")
        except OSError:
            return ""

    @property
    def pid(self) -> int:
        return self.process.pid

    def worker_pids(self) -> list[int]:
        return [pid for pid in _children(self.pid) if _alive(pid)]

    def kill(self) -> None:
        """SIGKILL the whole server: master and workers at once, no clean-up of any kind."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        wait_for(lambda: not any(_alive(pid) for pid in self._group()), timeout=30, what="the server to die")

    def _group(self) -> list[int]:
        members = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    if int(fields[2]) == self.pid:  # process group id
                        members.append(int(entry.name))
        return members

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)

    def web(self, **kwargs) -> Web:
        return Web(self.port, **kwargs)


# -- HTTP ---------------------------------------------------------------------------------------------------


class Web:
    """One client of a server: keeps cookies (session, CSRF), optionally sends a token; no redirects."""

    def __init__(self, port: int, *, token: str | None = None, timeout: float = 60, language: str = "en"):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.language = language
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            sent = {"Host": "127.0.0.1", "Accept-Language": self.language, **(headers or {})}
            if self.token:
                sent["Authorization"] = f"Token {self.token}"
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _sep, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            connection.close()

    def get(self, path: str, **headers) -> tuple[int, dict, bytes]:
        return self.request("GET", path, headers=headers)

    def post_json(self, path: str, data, **headers) -> tuple[int, dict, bytes]:
        return self.request(
            "POST", path, json.dumps(data).encode(), {"Content-Type": "application/json", **headers}
        )

    def post_multipart(self, path: str, fields: dict, files: dict) -> tuple[int, dict, bytes]:
        """`files`: name → (filename, bytes, content type)."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, data, kind) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {kind}\r\n\r\n"
            )
            parts.append(head.encode() + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def sign_in(self, username: str, password: str) -> None:
        status, _headers, body = self.get("/accounts/login/")
        assert status == 200, (status, body[:300])
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
        status, headers, body = self.request(
            "POST",
            "/accounts/login/",
            form,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/",
            },
        )
        assert status == 302 and "sessionid" in self.cookies, (status, headers, body[:500])
