"""Uploaded files: the facts records keep (SHA-256, size, MIME type), safe stored names, safe downloads and
ZIP packages that would inflate beyond reason (issue 10).

An upload's name and declared Content-Type are claims of the sender. What Huiyi stores and serves is decided
from the bytes: a stored name is generated (no part of the sender's name, so no path, no NUL, no ``.html``),
its extension comes from the content's signature, and a download's Content-Type comes from the same
signature — anything else is ``application/octet-stream``, sent as an attachment with ``nosniff``.
"""

from __future__ import annotations

import hashlib
import mimetypes
import secrets
import zipfile
from dataclasses import dataclass

from django.http import FileResponse


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    size: int
    mime: str


def file_facts(upload) -> FileFacts:
    """Read the upload once in chunks (large files stay out of memory) and rewind it for saving."""
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    mime = getattr(upload, "content_type", "") or mimetypes.guess_type(upload.name or "")[0] or ""
    return FileFacts(digest.hexdigest(), size, mime)


#: content signature → (MIME type, extension) of the kinds Huiyi serves as what they are
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
)
OCTET_STREAM = "application/octet-stream"


def _head(file, size: int = 16) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(size)
    file.seek(position)
    return head


def sniffed_type(file) -> tuple[str, str] | None:
    """(MIME type, extension) from the first bytes of `file` (rewound), or None for an unknown kind.

    WebP is a RIFF container: checked by its form type, not only by "RIFF"."""
    head = _head(file)
    for signature, mime, extension in SIGNATURES:
        if head.startswith(signature):
            return mime, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def safe_name(file, facts: FileFacts | None = None) -> str:
    """A stored name of our own: a random token (the SHA-256's head when known) and the extension the content
    proves (``.bin`` otherwise). Nothing of the sender's name survives."""
    kind = sniffed_type(file)
    stem = f"{facts.sha256[:16]}-{secrets.token_hex(4)}" if facts else secrets.token_urlsafe(16)
    return stem + (kind[1] if kind else ".bin")


def download(file, filename: str, *, inline: bool = False) -> FileResponse:
    """A stored upload as a response: Content-Type from the content's signature (octet-stream for any other
    kind), ``inline`` only for a PDF or an image proven by its bytes, ``nosniff`` and no caching."""
    handle = file.open("rb") if hasattr(file, "open") else file
    kind = sniffed_type(handle)
    content_type = kind[0] if kind else OCTET_STREAM
    response = FileResponse(
        handle,
        as_attachment=not (inline and kind),
        filename=filename or "file",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# -- ZIP packages (docx, xlsx, pptx) ----------------------------------------------------------------------


class PackageError(ValueError):
    """A ZIP package that cannot be opened safely: not a ZIP (``readable`` false), too many entries, or
    inflating too much. ``entries`` and ``unzipped`` (declared bytes) are for the caller's message."""

    def __init__(self, reason: str, *, readable: bool = True, entries: int = 0, unzipped: int = 0):
        super().__init__(reason)
        self.readable, self.entries, self.unzipped = readable, entries, unzipped

    @property
    def unzipped_mb(self) -> int:
        return self.unzipped // (1024 * 1024)


@dataclass(frozen=True)
class PackageLimits:
    entries: int = 10_000
    unzipped: int = 1024 * 1024 * 1024  # declared uncompressed bytes of all entries
    ratio: int = 200  # declared uncompressed / compressed bytes of the package


def check_package(file, limits: PackageLimits | None = None) -> None:
    """Refuse a ZIP bomb before anything inflates it, from the sizes the package declares.

    Python's ``zipfile`` never inflates an entry past its declared size (it stops and fails the CRC), so the
    declarations bound what any reader of ours (openpyxl, python-docx) can be made to inflate."""
    limits = limits or PackageLimits()
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise PackageError("not a readable ZIP package", readable=False) from error
    finally:
        file.seek(position)
    unzipped = sum(info.file_size for info in infos)
    packed = max(sum(info.compress_size for info in infos), 1)
    facts = {"entries": len(infos), "unzipped": unzipped}
    if len(infos) > limits.entries:
        raise PackageError(f"{len(infos)} entries", **facts)
    if unzipped > limits.unzipped:
        raise PackageError(f"inflates to {unzipped} bytes", **facts)
    if unzipped / packed > limits.ratio:
        raise PackageError(f"inflates {unzipped // packed} times", **facts)
