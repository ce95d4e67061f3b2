"""Create, verify, list and restore backups (see the package docstring for the design)."""

import contextlib
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, connections

from . import crypto
from . import destinations as places
from .destinations import BackupError, setting

FORMAT = 1
MANIFEST = "manifest.json"
DB_MEMBER = "database"
FILES_PREFIX = "files/"
NAME_RE = re.compile(r"^huiyi-backup-\d{8}T\d{6}Z(?:-\d+)?$")
READ_SIZE = 1024 * 1024
SHARED_DISK_WARNING = (
    "No HUIYI_BACKUP_DESTINATIONS configured: the three copies are written to {root}/{{1,2,3}}, "
    "which share one disk — a disk failure loses all three. Configure three folders on different "
    "disks or machines."
)


KEY_ONLY_IN_DATA_DIR = (
    "Very-high documents are encrypted with a key derived from the secret key generated into {path}, which "
    "backups do not hold: an installation restored elsewhere could not decrypt them. Set HUIYI_SECRET_KEY "
    "(or HUIYI_DOCUMENT_KEYS) in the environment and keep a copy off this machine."
)


@dataclass
class CopyReport:
    destination: str
    ok: bool
    reason: str = ""
    manifest: dict | None = None


@dataclass
class CreateResult:
    name: str
    copies: list[str]  # where each complete copy was written (a path or an s3:// URL)
    manifest: dict
    warnings: list[str] = field(default_factory=list)
    failed: list[CopyReport] = field(default_factory=list)  # destinations that got no copy, and why
    size: int = 0  # bytes of one archive

    @property
    def ok(self) -> bool:
        return not self.failed


# --- configuration -----------------------------------------------------------------------------------


_setting = setting


def backup_key() -> str:
    return _setting("HUIYI_BACKUP_KEY").strip()


def destinations(raw: str | None = None) -> tuple[list, list[str]]:
    """The three (or more) destinations (folders and s3:// buckets) and any warnings about them."""
    raw = _setting("HUIYI_BACKUP_DESTINATIONS") if raw is None else raw
    items = [item.strip() for item in raw.split(",") if item.strip()]
    warnings = []
    if not items:
        root = Path(settings.DATA_DIR) / "backups"
        warnings.append(SHARED_DISK_WARNING.format(root=root))
        return [places.FolderDestination(str(root / str(n)), root / str(n)) for n in (1, 2, 3)], warnings
    result = [places.parse(item) for item in items]
    if len({d.identity for d in result}) != len(result):
        raise BackupError("HUIYI_BACKUP_DESTINATIONS names the same folder or bucket prefix more than once.")
    if len(result) < 3:
        warnings.append(f"Only {len(result)} destination(s) configured: the standard asks for three copies.")
    return result, warnings


def document_key_fingerprints() -> list[str]:
    """Fingerprints — never the keys — of the keys that decrypt very-high documents, newest first."""
    from huiyi.documents import crypto as document_crypto

    return [hashlib.sha256(key).hexdigest()[:16] for key in document_crypto._keys()]


def _key_warnings() -> list[str]:
    """Warn when the documents' key lives only in the data folder (issue 10, the restore drill)."""
    if os.environ.get("HUIYI_SECRET_KEY") or os.environ.get("HUIYI_DOCUMENT_KEYS"):
        return []
    if getattr(settings, "HUIYI_DOCUMENT_KEYS", None):
        return []
    return [KEY_ONLY_IN_DATA_DIR.format(path=Path(settings.DATA_DIR) / "secret_key")]


def media_root() -> Path | None:
    location = getattr(default_storage, "location", None)
    return Path(location) if location else None


def huiyi_version() -> str:
    try:
        return metadata.version("huiyi")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- small helpers -----------------------------------------------------------------------------------


def _sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(READ_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


_fsync_dir = places._fsync_dir


class _HashingReader:
    """Reads a file for tarfile while hashing exactly what went into the archive."""

    def __init__(self, handle):
        self._handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self._handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class _Copies:
    """Writes every byte to the writer of every destination; one that fails is dropped and reported, the
    others carry on (a bucket that is down must not cost the two folder copies). None left: the run fails."""

    def __init__(self):
        self.live: list[tuple] = []  # (destination, writer)
        self.failed: list[CopyReport] = []

    def fail(self, dest, writer, error: Exception) -> None:
        if writer is not None:
            writer.abort()
        self.live = [(d, w) for d, w in self.live if d is not dest]
        reason = str(error) if isinstance(error, BackupError) else f"{error.__class__.__name__}: {error}"
        self.failed.append(CopyReport(dest.location, False, reason))

    def write(self, data):
        for dest, writer in list(self.live):
            try:
                writer.write(data)
            except Exception as error:  # any failure of one sink is that destination's, reported
                self.fail(dest, writer, error)
        if not self.live:
            raise BackupError(
                "Every destination failed: " + "; ".join(f"{r.destination}: {r.reason}" for r in self.failed)
            )
        return len(data)

    def flush(self):
        pass

    def abort_all(self):
        for _dest, writer in self.live:
            writer.abort()


WORK_PREFIX = "huiyi-backup-"


def _sweep_work_folders() -> None:
    """Remove the work folders (a database dump each) that killed runs left in the data dir. Called under the
    lock, so no other run on this installation is using one (issue 10: kill -9 during `backup create`)."""
    for path in Path(settings.DATA_DIR).glob(WORK_PREFIX + "*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _lock():
    """One backup at a time on this installation (a second run is refused, not interleaved)."""
    path = Path(settings.DATA_DIR) / "backup.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise BackupError("Another backup is running on this installation.") from error
        yield


# --- database snapshot -------------------------------------------------------------------------------


def _engine(alias="default") -> str:
    return connections[alias].vendor


def _sqlite_counts(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            t: db.execute(f'SELECT count(*) FROM "{t.replace(chr(34), chr(34) * 2)}"').fetchone()[0]  # noqa: S608
            for t in tables
        }


def _snapshot_sqlite(target: Path) -> dict[str, int]:
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db() or not Path(name).exists():
        # In-memory database (tests): copy through Django's own connection.
        if connection.in_atomic_block:
            raise BackupError("Cannot snapshot an in-memory database from inside a transaction.")
        connection.ensure_connection()
        source = connection.connection
        close = False
    else:
        source = sqlite3.connect(f"file:{name}?mode=ro", uri=True, timeout=30)
        close = True
    try:
        with contextlib.closing(sqlite3.connect(target)) as dest:
            source.backup(dest)  # one step: a consistent snapshot (WAL readers don't block writers)
    finally:
        if close:
            source.close()
    with contextlib.closing(sqlite3.connect(target)) as dest:
        dest.execute("PRAGMA journal_mode=DELETE")
        if dest.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The SQLite snapshot fails its integrity check.")
    return _sqlite_counts(target)


def _pg_params(settings_dict) -> tuple[dict, dict]:
    """(psycopg connect kwargs, environment for the libpq client tools)."""
    params = connections["default"].get_connection_params()
    params = {k: v for k, v in params.items() if k in {"dbname", "user", "password", "host", "port"} and v}
    env = dict(os.environ)
    mapping = {
        "dbname": "PGDATABASE",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "host": "PGHOST",
        "port": "PGPORT",
    }
    for key, var in mapping.items():
        if key in params:
            env[var] = str(params[key])
    return params, env


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        raise BackupError(
            f"{tool} is not installed: install the PostgreSQL client (Debian: apt-get install "
            f"postgresql-client, the same major version as the server) and retry."
        )
    return path


def _snapshot_postgresql(target: Path) -> dict[str, int]:
    import psycopg
    from psycopg import sql

    pg_dump = _require("pg_dump")
    params, env = _pg_params(connection.settings_dict)
    with psycopg.connect(**params) as db:
        db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        db.read_only = True
        with db.cursor() as cur:
            # One snapshot for pg_dump and the row counts: the manifest describes exactly the dump.
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            run = subprocess.run(  # noqa: S603 - fixed argv, no shell
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-owner", f"--file={target}"],
                env=env,
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                raise BackupError(f"pg_dump failed: {run.stderr.strip()[:500]}")
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
            tables = [row[0] for row in cur.fetchall()]
            counts = {}
            for table in tables:
                cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                counts[table] = cur.fetchone()[0]
        db.rollback()
    return counts


def snapshot_database(target: Path) -> dict[str, int]:
    """Write a consistent dump of the default database to `target`; return row counts per table."""
    engine = _engine()
    if engine == "sqlite":
        return _snapshot_sqlite(target)
    if engine == "postgresql":
        return _snapshot_postgresql(target)
    raise BackupError(f"Backups of a {engine} database are not supported (SQLite and PostgreSQL are).")


def live_row_counts() -> dict[str, int]:
    from django.db import connection as conn

    with conn.cursor() as cur:
        counts = {}
        for table in sorted(conn.introspection.table_names(cur)):
            cur.execute(f"SELECT count(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608 - quoted name
            counts[table] = cur.fetchone()[0]
    return counts


# --- create -----------------------------------------------------------------------------------------


def _new_name(now: datetime, dests: list) -> str:
    base = f"huiyi-backup-{now:%Y%m%dT%H%M%SZ}"
    name, n = base, 1
    while any(d.has_name(name) for d in dests):
        n += 1
        name = f"{base}-{n}"
    return name


def _iter_media(root: Path):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            if path.is_symlink() or not path.is_file():
                continue
            yield path, path.relative_to(root).as_posix()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(mtime), 0o600
    tar.addfile(info, io.BytesIO(data))


def _write_archive(
    out, dump: Path, counts: dict, name: str, now: datetime, key: str, fail_after=None
) -> dict:
    """Stream the tar (database, files, manifest last) into `out`; return the manifest."""
    sink = crypto.EncryptingWriter(out, key) if key else out
    manifest = {
        "format": FORMAT,
        "name": name,
        "created_at": now.isoformat(),
        "huiyi_version": huiyi_version(),
        "encrypted": bool(key),
        "database": {"engine": _engine(), "member": DB_MEMBER, "row_counts": counts},
        "document_keys": document_key_fingerprints(),
        "files": [],
    }
    with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT, bufsize=READ_SIZE) as tar:
        with open(dump, "rb") as handle:
            info = tar.gettarinfo(fileobj=handle, arcname=DB_MEMBER)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            reader = _HashingReader(handle)
            tar.addfile(info, reader)
        manifest["database"].update(sha256=reader.digest.hexdigest(), size=reader.size)
        root = media_root()
        for path, relative in _iter_media(root) if root and root.is_dir() else ():
            if fail_after is not None:
                fail_after()
            try:
                handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
            except FileNotFoundError:
                continue  # deleted while we walked: not part of this snapshot
            with handle:
                info = tar.gettarinfo(fileobj=handle, arcname=FILES_PREFIX + relative)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                reader = _HashingReader(handle)
                tar.addfile(info, reader)
            manifest["files"].append(
                {"path": relative, "size": reader.size, "sha256": reader.digest.hexdigest()}
            )
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        _add_bytes(tar, MANIFEST, data, now.timestamp())
    if key:
        sink.close()
    return manifest


def create_backup(
    *, destinations_raw: str | None = None, key: str | None = None, _fail_after=None
) -> CreateResult:
    """Snapshot the database and files into one archive written atomically to every destination."""
    dests, warnings = destinations(destinations_raw)
    warnings = [*warnings, *_key_warnings()]
    key = backup_key() if key is None else key
    if key:
        crypto.fernet(key)  # a bad key fails before any work
    with _lock():
        copies = _Copies()
        ready = []
        for dest in dests:
            try:
                dest.prepare()
                ready.append(dest)
            except Exception as error:  # unreachable bucket, unwritable folder: reported, not counted
                copies.fail(dest, None, error)
        if not ready:
            raise BackupError(
                "No destination can be written: "
                + "; ".join(f"{r.destination}: {r.reason}" for r in copies.failed)
            )
        now = datetime.now(UTC).replace(microsecond=0)
        name = _new_name(now, ready)
        filename = name + (".tar.enc" if key else ".tar")
        _sweep_work_folders()
        with tempfile.TemporaryDirectory(prefix=WORK_PREFIX, dir=settings.DATA_DIR) as work:
            dump = Path(work) / "database.dump"
            counts = snapshot_database(dump)
            for dest in ready:
                try:
                    copies.live.append((dest, dest.open_writer(filename)))
                except Exception as error:
                    copies.fail(dest, None, error)
            try:
                if not copies.live:
                    copies.write(b"")  # raises: every destination failed
                counter = _Counter(copies)
                manifest = _write_archive(counter, dump, counts, name, now, key, fail_after=_fail_after)
            except BaseException:
                copies.abort_all()
                raise
            finals = []
            for dest, writer in list(copies.live):
                try:
                    finals.append(writer.commit())
                except Exception as error:
                    copies.fail(dest, writer, error)
    if not finals:
        raise BackupError(
            "No copy was completed: " + "; ".join(f"{r.destination}: {r.reason}" for r in copies.failed)
        )
    return CreateResult(
        name=name,
        copies=finals,
        manifest=manifest,
        warnings=warnings,
        failed=copies.failed,
        size=counter.size,
    )


class _Counter:
    """Counts the bytes of the archive on their way to the copies."""

    def __init__(self, sink):
        self.sink = sink
        self.size = 0

    def write(self, data):
        self.sink.write(data)
        self.size += len(data)
        return len(data)

    def flush(self):
        pass


# --- read back: verify, list, restore ---------------------------------------------------------------


def list_backups(destinations_raw: str | None = None, errors: list | None = None) -> list[dict]:
    """Every backup name seen in any destination, newest first, with where its copies are.

    A destination that cannot be listed counts as holding nothing; `errors` (if given) receives
    (index, location, reason) for it."""
    dests, _warnings = destinations(destinations_raw)
    found: dict[str, dict] = {}
    for index, dest in enumerate(dests):
        try:
            held = dest.archives()
        except BackupError as error:
            if errors is not None:
                errors.append((index, dest.location, str(error)))
            continue
        for filename, size in held.items():
            stem = filename.removesuffix(".enc").removesuffix(".tar")
            if not NAME_RE.match(stem):
                continue
            entry = found.setdefault(
                stem, {"name": stem, "copies": [None] * len(dests), "encrypted": filename.endswith(".enc")}
            )
            entry["copies"][index] = size
    return sorted(found.values(), key=lambda e: e["name"], reverse=True)


@contextlib.contextmanager
def _open_plain(dest, filename: str, key: str):
    with dest.open_reader(filename) as raw:
        if filename.endswith(".enc"):
            if not key:
                raise BackupError("the copy is encrypted and HUIYI_BACKUP_KEY is not set")
            try:
                yield crypto.DecryptingReader(raw, key)
            except crypto.DecryptionError as error:
                raise BackupError(str(error)) from error
        else:
            yield raw


def _read_members(dest, filename: str, key: str, on_member=None) -> tuple[dict, dict]:
    """Stream the archive; return ({member: (sha256, size)}, manifest).

    `on_member(info)` may return a sink (write/close) that receives the member's bytes."""
    seen: dict[str, tuple[str, int]] = {}
    manifest = None
    try:
        with (
            _open_plain(dest, filename, key) as plain,
            tarfile.open(fileobj=plain, mode="r|", bufsize=READ_SIZE) as tar,
        ):
            for info in tar:
                if not info.isfile():
                    raise BackupError(f"unexpected member {info.name!r}")
                handle = tar.extractfile(info)
                if info.name == MANIFEST:
                    manifest = json.loads(handle.read().decode())
                    continue
                digest, size = hashlib.sha256(), 0
                sink = on_member(info) if on_member else None
                try:
                    while chunk := handle.read(READ_SIZE):
                        digest.update(chunk)
                        size += len(chunk)
                        if sink:
                            sink.write(chunk)
                finally:
                    if sink:
                        sink.close()
                seen[info.name] = (digest.hexdigest(), size)
    except crypto.DecryptionError as error:
        raise BackupError(str(error)) from error
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise BackupError(f"the archive is damaged: {error}") from error
    if manifest is None:
        raise BackupError("no manifest: the archive is incomplete")
    return seen, manifest


def _check(seen: dict, manifest: dict) -> str:
    """'' when the members match the manifest, else the first problem."""
    expected = {FILES_PREFIX + f["path"]: (f["sha256"], f["size"]) for f in manifest.get("files", [])}
    db = manifest.get("database", {})
    expected[db.get("member", DB_MEMBER)] = (db.get("sha256"), db.get("size"))
    for member, (sha, size) in expected.items():
        if member not in seen:
            return f"{member} is missing"
        if seen[member] != (sha, size):
            return f"{member} does not match its checksum"
    extra = sorted(set(seen) - set(expected))
    if extra:
        return f"{extra[0]} is not in the manifest"
    return ""


def verify_copy(dest, name: str, key: str) -> CopyReport:
    """Read the whole copy back (downloading it from a bucket) and check every checksum of its manifest."""
    try:
        filename = dest.find(name)
        if filename is None:
            return CopyReport(dest.location, False, "missing")
        seen, manifest = _read_members(dest, filename, key)
    except BackupError as error:
        return CopyReport(dest.location, False, str(error))
    if manifest.get("name") != name:
        return CopyReport(dest.location, False, "the manifest names another backup")
    problem = _check(seen, manifest)
    return CopyReport(dest.location, not problem, problem, manifest)


def latest_name(destinations_raw: str | None = None) -> str:
    backups = list_backups(destinations_raw)
    if not backups:
        raise BackupError("No backup found in any destination.")
    return backups[0]["name"]


def verify_backup(
    name: str | None = None, *, destinations_raw=None, key=None
) -> tuple[str, list[CopyReport]]:
    dests, _warnings = destinations(destinations_raw)
    name = name or latest_name(destinations_raw)
    key = backup_key() if key is None else key
    return name, [verify_copy(dest, name, key) for dest in dests]


def database_has_user_data() -> bool:
    from django.contrib.auth import get_user_model
    from django.db import connection as conn

    with conn.cursor() as cur:
        tables = set(conn.introspection.table_names(cur))
    model = get_user_model()
    return model._meta.db_table in tables and model.objects.exists()


def media_has_files() -> bool:
    root = media_root()
    return bool(root and root.is_dir() and next(_iter_media(root), None))


def _safe_relative(relative: str) -> Path:
    path = Path(relative)
    if path.is_absolute() or ".." in path.parts or not relative:
        raise BackupError(f"unsafe path in the archive: {relative!r}")
    return path


class _AtomicFile:
    def __init__(self, final: Path):
        self.final = final
        final.parent.mkdir(parents=True, exist_ok=True)
        self.temp = final.with_name(f".{final.name}.restoring")
        self.handle = open(self.temp, "wb")  # noqa: SIM115 - closed by close()

    def write(self, data):
        self.handle.write(data)

    def close(self):
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.temp, self.final)


def _restore_sqlite(dump: Path) -> None:
    name = Path(connection.settings_dict["NAME"])
    if connection.is_in_memory_db():
        raise BackupError("Cannot restore into an in-memory database.")
    connections.close_all()
    name.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(name) + suffix).unlink(missing_ok=True)
    os.replace(dump, name)
    _fsync_dir(name.parent)


def _restore_postgresql(dump: Path) -> None:
    pg_restore = _require("pg_restore")
    _params, env = _pg_params(connection.settings_dict)
    connections.close_all()
    run = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={env.get('PGDATABASE', '')}",
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise BackupError(f"pg_restore failed: {run.stderr.strip()[:500]}")


def restore_backup(name: str, *, force: bool = False, destinations_raw=None, key=None) -> dict:
    """Restore backup `name` (from the first copy that verifies) into this installation; return a report."""
    key = backup_key() if key is None else key
    dests, _warnings = destinations(destinations_raw)
    if not force and (database_has_user_data() or media_has_files()):
        raise BackupError(
            "This installation is not empty (the database has users or the media folder has files); "
            "restore into an empty installation, or pass --force to overwrite it."
        )
    reports, good = [], None
    for candidate in dests:  # the first intact copy in the configured order (a bucket read only if needed)
        reports.append(verify_copy(candidate, name, key))
        if reports[-1].ok:
            good = reports[-1]
            break
    if good is None:
        reasons = "; ".join(f"{r.destination}: {r.reason}" for r in reports)
        raise BackupError(f"No intact copy of {name}: {reasons}")
    dest = next(d for d in dests if d.location == good.destination)
    manifest = good.manifest
    engine = _engine()
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            f"The backup holds a {manifest['database']['engine']} database; this installation uses {engine}."
        )
    root = media_root()
    if root is None:
        raise BackupError("The file storage is not a local folder: files cannot be restored into it.")
    with tempfile.TemporaryDirectory(prefix="huiyi-restore-", dir=settings.DATA_DIR) as work:
        dump = Path(work) / "database.dump"

        def on_member(info):
            if info.name == DB_MEMBER:
                return open(dump, "wb")
            if info.name.startswith(FILES_PREFIX):
                return _AtomicFile(root / _safe_relative(info.name[len(FILES_PREFIX) :]))
            raise BackupError(f"unexpected member {info.name!r}")

        seen, _manifest = _read_members(dest, dest.find(name), key, on_member)
        problem = _check(seen, manifest)
        if problem:
            raise BackupError(f"The copy changed while restoring: {problem}")
        if engine == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)
    report = compare_with_manifest(manifest) | {"source": good.destination}
    return report | {"undecryptable": undecryptable_versions(manifest)}


def undecryptable_versions(manifest: dict) -> int:
    """Encrypted (very-high) document versions of the restored database that this installation's keys cannot
    open, as far as the manifest tells: none when the backup's newest document key is among them."""
    wanted = manifest.get("document_keys") or []
    if not wanted or wanted[0] in document_key_fingerprints():
        return 0
    from huiyi.documents.models import DocumentVersion

    return DocumentVersion.objects.filter(encrypted=True).count()


def compare_with_manifest(manifest: dict) -> dict:
    """Row counts and file checksums of this installation against the manifest."""
    live = live_row_counts()
    expected = manifest["database"]["row_counts"]
    rows = [(t, n, live.get(t)) for t, n in sorted(expected.items())]
    root = media_root()
    files = []
    for entry in manifest["files"]:
        path = root / entry["path"]
        actual = _sha256_file(path)[0] if path.is_file() else None
        files.append((entry["path"], entry["sha256"], actual))
    return {
        "rows": rows,
        "files": files,
        "ok": all(a == b for _t, a, b in rows) and all(a == b for _p, a, b in files),
    }
