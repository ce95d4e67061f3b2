"""Uploaded import files kept between the steps of an import (upload → mapping → dry run → apply).

The file lies in a temporary folder under the data directory, named by a random token, beside a small
record of who uploaded it for which project; never in the session. It is deleted when the import is applied
or abandoned, and files older than a day are swept away on the next upload.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.http import Http404

MAX_AGE_SECONDS = 24 * 3600
TOKEN = re.compile(r"[0-9a-f]{32}")


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "tmp" / "attendee-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(data: bytes, *, filename: str, user, project) -> str:
    purge_stale()
    token = secrets.token_hex(16)
    folder = _folder()
    (folder / f"{token}.upload").write_bytes(data)
    meta = {"user": user.pk, "project": project.pk, "filename": filename[:200], "at": time.time()}
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load(token: str, *, user, project) -> tuple[bytes, str]:
    """The file and its name, for the same user and project only (else 404)."""
    if not TOKEN.fullmatch(token or ""):
        raise Http404
    folder = _folder()
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        data = (folder / f"{token}.upload").read_bytes()
    except (OSError, ValueError) as error:
        raise Http404 from error
    if meta.get("user") != user.pk or meta.get("project") != project.pk:
        raise Http404
    return data, meta.get("filename", "")


def discard(token: str) -> None:
    if not TOKEN.fullmatch(token or ""):
        return
    for suffix in (".upload", ".json"):
        (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def purge_stale() -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for path in _folder().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
