"""Where backup copies go: a local folder or an ``s3://bucket/prefix`` of any S3-compatible store.

Both kinds offer the same few operations to ``core``: prepare for a run, say whether a name is taken, open a
writer (``write`` … then ``commit`` or ``abort``), list the archives they hold and open one for reading as a
stream. A copy only becomes visible when it is complete: a folder writes ``.<name>.partial`` and renames it;
a bucket uses a multipart upload, which S3 shows as an object only once ``CompleteMultipartUpload`` succeeds
(an aborted or crashed upload is never listed, and the next run aborts its leftover parts).

S3 settings (Django settings or environment variables of the same name; unset ones fall back to boto3's own
chain — ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, ``~/.aws``, an instance role):
``HUIYI_BACKUP_S3_ENDPOINT_URL`` (MinIO, Ceph, OSS, COS, OBS …; unset: AWS), ``HUIYI_BACKUP_S3_REGION``,
``HUIYI_BACKUP_S3_ACCESS_KEY_ID``, ``HUIYI_BACKUP_S3_SECRET_ACCESS_KEY``, ``HUIYI_BACKUP_S3_ADDRESSING_STYLE``
(``auto``, ``path`` or ``virtual``) and ``HUIYI_BACKUP_S3_PART_MB`` (multipart part size, default 16: memory
per bucket destination while writing; S3 allows 10,000 parts, so 16 MiB parts carry archives up to 160 GiB).
One destination may override the endpoint, region or profile in its URL's query:
``s3://bucket/prefix?endpoint_url=https://minio.example:9000&region=cn-east-1&profile=second-site`` (keys and
secrets never go into the URL: use a named profile of ``~/.aws/credentials`` for a second account).
"""

import contextlib
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

PREFIX = "huiyi-backup-"
SUFFIXES = (".tar", ".tar.enc")
S3_QUERY_KEYS = {"endpoint_url", "region", "profile", "addressing_style"}
S3_MIN_PART = 5 * 1024 * 1024  # S3's smallest part (all but the last)


class BackupError(Exception):
    """A backup cannot be made, read or restored; the message says why."""


class DestinationError(BackupError):
    """A destination cannot be configured, reached, written or read; the message says why."""


def setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    if isinstance(value, list | tuple):
        value = ",".join(str(item) for item in value)
    return str(value or "")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- a local folder ----------------------------------------------------------------------------------


class _FolderWriter:
    def __init__(self, folder: Path, filename: str):
        self.final = folder / filename
        self.temp = folder / f".{filename}.partial"
        self.handle = open(self.temp, "xb")  # noqa: SIM115 - closed by commit/abort

    def write(self, data) -> None:
        self.handle.write(data)

    def commit(self) -> str:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.temp, self.final)
        _fsync_dir(self.final.parent)
        return str(self.final)

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        self.temp.unlink(missing_ok=True)


class FolderDestination:
    kind = "folder"

    def __init__(self, location: str, path: Path):
        self.location = location
        self.path = path

    @property
    def identity(self) -> str:
        return "file:" + str(self.path.resolve())

    def prepare(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        for stale in self.path.glob(f".{PREFIX}*.partial"):
            stale.unlink(missing_ok=True)  # left by a crash: never complete, never listed

    def has_name(self, name: str) -> bool:
        return any(self.path.glob(name + ".tar*"))

    def open_writer(self, filename: str) -> _FolderWriter:
        return _FolderWriter(self.path, filename)

    def archives(self) -> dict[str, int]:
        if not self.path.is_dir():
            return {}
        return {
            p.name: p.stat().st_size
            for p in self.path.iterdir()
            if p.name.startswith(PREFIX) and p.name.endswith(SUFFIXES) and p.is_file()
        }

    def find(self, name: str) -> str | None:
        for suffix in SUFFIXES:
            if (self.path / (name + suffix)).is_file():
                return name + suffix
        return None

    @contextlib.contextmanager
    def open_reader(self, filename: str):
        with open(self.path / filename, "rb") as handle:
            yield handle

    def describe(self, filename: str) -> str:
        return str(self.path / filename)


# --- an S3-compatible bucket -------------------------------------------------------------------------


def _s3_error(error: Exception, what: str) -> DestinationError:
    from botocore.exceptions import ClientError

    if isinstance(error, ClientError):
        info = error.response.get("Error", {})
        detail = f"{info.get('Code', 'error')}: {info.get('Message', '')}".strip().rstrip(":")
    else:
        detail = f"{error.__class__.__name__}: {error}"
    return DestinationError(f"{what} failed ({detail})")


class _S3Writer:
    """Streams into a multipart upload: one part buffered at a time, whatever the archive's size."""

    def __init__(self, dest: "S3Destination", filename: str):
        self.dest = dest
        self.key = dest.key(filename)
        self.part_size = dest.part_size
        self.buffer = bytearray()
        self.parts: list[dict] = []
        try:
            upload = dest.client.create_multipart_upload(
                Bucket=dest.bucket, Key=self.key, ContentType="application/octet-stream"
            )
        except Exception as error:
            raise _s3_error(error, f"starting the upload to {dest.location}") from error
        self.upload_id = upload["UploadId"]

    def _send(self, data: bytes) -> None:
        number = len(self.parts) + 1
        try:
            answer = self.dest.client.upload_part(
                Bucket=self.dest.bucket, Key=self.key, UploadId=self.upload_id, PartNumber=number, Body=data
            )
        except Exception as error:
            raise _s3_error(error, f"uploading part {number} to {self.dest.location}") from error
        self.parts.append({"PartNumber": number, "ETag": answer["ETag"]})

    def write(self, data) -> None:
        self.buffer += data
        while len(self.buffer) >= self.part_size:
            self._send(bytes(self.buffer[: self.part_size]))
            del self.buffer[: self.part_size]

    def commit(self) -> str:
        if self.buffer or not self.parts:
            self._send(bytes(self.buffer))
            self.buffer.clear()
        try:
            self.dest.client.complete_multipart_upload(
                Bucket=self.dest.bucket,
                Key=self.key,
                UploadId=self.upload_id,
                MultipartUpload={"Parts": self.parts},
            )
        except Exception as error:
            raise _s3_error(error, f"completing the upload to {self.dest.location}") from error
        return self.dest.describe(self.key.rsplit("/", 1)[-1])

    def abort(self) -> None:
        self.buffer.clear()
        with contextlib.suppress(Exception):
            self.dest.client.abort_multipart_upload(
                Bucket=self.dest.bucket, Key=self.key, UploadId=self.upload_id
            )


class S3Destination:
    kind = "s3"

    def __init__(self, location: str):
        self.location = location
        parts = urlsplit(location)
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        if not self.bucket:
            raise DestinationError(
                f"Destination {location!r}: an s3:// URL needs a bucket (s3://bucket/prefix)."
            )
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        unknown = sorted(set(query) - S3_QUERY_KEYS)
        if unknown:
            raise DestinationError(
                f"Destination {location!r}: unknown option {unknown[0]!r} (allowed: "
                f"{', '.join(sorted(S3_QUERY_KEYS))}; keys and secrets belong in settings or a profile)."
            )
        self.endpoint_url = query.get("endpoint_url") or setting("HUIYI_BACKUP_S3_ENDPOINT_URL") or None
        self.region = query.get("region") or setting("HUIYI_BACKUP_S3_REGION") or None
        self.profile = query.get("profile") or None
        self.addressing_style = (
            query.get("addressing_style") or setting("HUIYI_BACKUP_S3_ADDRESSING_STYLE") or "auto"
        )
        if self.addressing_style not in {"auto", "path", "virtual"}:
            raise DestinationError(
                f"Destination {location!r}: addressing style {self.addressing_style!r} is not auto, path or "
                "virtual."
            )
        raw_part = setting("HUIYI_BACKUP_S3_PART_MB", "16")
        try:
            self.part_size = int(float(raw_part) * 1024 * 1024)
        except ValueError as error:
            raise DestinationError(f"HUIYI_BACKUP_S3_PART_MB={raw_part!r} is not a number.") from error
        if self.part_size < S3_MIN_PART:
            raise DestinationError("HUIYI_BACKUP_S3_PART_MB must be at least 5 (S3's smallest part).")
        self._client = None

    @property
    def identity(self) -> str:
        return f"s3:{self.endpoint_url or ''}/{self.bucket}/{self.prefix}"

    @property
    def client(self):
        if self._client is None:
            import boto3
            from botocore.config import Config

            session = boto3.session.Session(profile_name=self.profile or None)
            key_id = setting("HUIYI_BACKUP_S3_ACCESS_KEY_ID") or None
            secret = setting("HUIYI_BACKUP_S3_SECRET_ACCESS_KEY") or None
            self._client = session.client(
                "s3",
                endpoint_url=self.endpoint_url,
                region_name=self.region,
                aws_access_key_id=None if self.profile else key_id,
                aws_secret_access_key=None if self.profile else secret,
                config=Config(
                    retries={"max_attempts": 5, "mode": "standard"},
                    s3={"addressing_style": self.addressing_style},
                    connect_timeout=10,
                    read_timeout=120,
                ),
            )
        return self._client

    def key(self, filename: str) -> str:
        return f"{self.prefix}/{filename}" if self.prefix else filename

    def describe(self, filename: str) -> str:
        return f"s3://{self.bucket}/{self.key(filename)}"

    def prepare(self) -> None:
        """Check the bucket answers, and abort uploads a crashed run left (they hold parts, never objects)."""
        try:
            paginator = self.client.get_paginator("list_multipart_uploads")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.key(PREFIX)):
                for upload in page.get("Uploads", []):
                    self.client.abort_multipart_upload(
                        Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"]
                    )
        except Exception as error:
            raise _s3_error(error, f"reaching {self.location}") from error

    def archives(self) -> dict[str, int]:
        found = {}
        try:
            paginator = self.client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.key(PREFIX)):
                for item in page.get("Contents", []):
                    filename = item["Key"][len(self.key("")) :]
                    if "/" not in filename and filename.endswith(SUFFIXES):
                        found[filename] = item["Size"]
        except Exception as error:
            raise _s3_error(error, f"listing {self.location}") from error
        return found

    def has_name(self, name: str) -> bool:
        return any(filename.startswith(name + ".tar") for filename in self.archives())

    def find(self, name: str) -> str | None:
        held = self.archives()
        return next((name + suffix for suffix in SUFFIXES if name + suffix in held), None)

    def open_writer(self, filename: str) -> _S3Writer:
        return _S3Writer(self, filename)

    @contextlib.contextmanager
    def open_reader(self, filename: str):
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.key(filename))["Body"]
        except Exception as error:
            raise _s3_error(error, f"reading {self.describe(filename)}") from error
        try:
            yield _S3Reader(body, self.describe(filename))
        finally:
            body.close()


class _S3Reader:
    """The object's body as a plain stream; a dropped connection reads as a damaged copy, with the reason."""

    def __init__(self, body, where: str):
        self.body = body
        self.where = where

    def read(self, size=-1) -> bytes:
        try:
            return self.body.read(None if size is None or size < 0 else size)
        except Exception as error:
            raise OSError(f"reading {self.where}: {error.__class__.__name__}: {error}") from error


def parse(item: str):
    """One configured destination: an absolute folder, or an s3:// URL."""
    if item.startswith("s3://"):
        return S3Destination(item)
    if "://" in item:
        raise DestinationError(
            f"Destination {item!r}: only absolute folders and s3://bucket/prefix URLs are supported."
        )
    path = Path(item).expanduser()
    if not path.is_absolute():
        raise DestinationError(f"Destination {item!r} must be an absolute folder path.")
    return FolderDestination(item, path)
