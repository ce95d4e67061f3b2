"""Facts about an uploaded file that records keep: its SHA-256, size and MIME type."""

import hashlib
import mimetypes
from dataclasses import dataclass


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
