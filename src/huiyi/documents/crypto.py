"""Encryption at rest of very-high documents (REQ-DOC-07) with Fernet (AES-128-CBC + HMAC-SHA256).

Keys: ``settings.HUIYI_DOCUMENT_KEYS`` (a list) or the environment variable ``HUIYI_DOCUMENT_KEYS``
(comma-separated), each a url-safe base64 32-byte Fernet key (``Fernet.generate_key()``). Without one, a key
is derived from SECRET_KEY (so a development install works); a production install sets its own.

Key rotation: put the NEW key first and keep the old ones after it (``new,old``). New files are encrypted with
the first key; every listed key can still decrypt (MultiFernet). To retire an old key, re-encrypt the stored
files with ``rotate_file`` (e.g. from a shell: every version with ``encrypted=True``), then drop the old key.

Files are encrypted in chunks so that neither upload nor download holds a whole file in memory: the stored
file is a sequence of records ``<4-byte big-endian length><Fernet token>``, each token one plaintext chunk.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from collections.abc import Iterable, Iterator

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage

CHUNK = 1024 * 1024
_HEADER = struct.Struct(">I")


def _keys() -> list[bytes]:
    keys = getattr(settings, "HUIYI_DOCUMENT_KEYS", None) or [
        k.strip() for k in os.environ.get("HUIYI_DOCUMENT_KEYS", "").split(",") if k.strip()
    ]
    if not keys:
        derived = hashlib.sha256(b"huiyi.documents:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(derived)]
    return [k.encode() if isinstance(k, str) else k for k in keys]


def fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in _keys()])


def encrypt_chunks(chunks: Iterable[bytes]) -> Iterator[bytes]:
    f = fernet()
    for chunk in chunks:
        if chunk:
            token = f.encrypt(chunk)
            yield _HEADER.pack(len(token)) + token


def decrypt_stream(handle) -> Iterator[bytes]:
    """Plaintext chunks of an encrypted file opened for reading (closes it at the end)."""
    f = fernet()
    try:
        while True:
            header = handle.read(_HEADER.size)
            if not header:
                return
            (length,) = _HEADER.unpack(header)
            yield f.decrypt(handle.read(length))
    finally:
        handle.close()


class _ChunkFile(File):
    """A file-like object over an iterator of byte chunks, for Storage.save without a temporary copy."""

    def __init__(self, chunks: Iterator[bytes], name: str):
        self._chunks = chunks
        self._buffer = b""
        super().__init__(None, name)

    def chunks(self, chunk_size=None):
        yield from self._chunks

    def read(self, size=-1):
        for chunk in self._chunks:
            self._buffer += chunk
            if 0 <= size <= len(self._buffer):
                break
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def __iter__(self):
        yield from self.chunks()

    def open(self, mode=None):
        return self

    def close(self):
        pass

    def seek(self, *args):
        pass


def save_encrypted(path: str, upload) -> str:
    return default_storage.save(path, _ChunkFile(encrypt_chunks(upload.chunks(CHUNK)), path))


def rotate_file(path: str) -> None:
    """Re-encrypt one stored file with the current first key (key rotation)."""
    f = fernet()
    with default_storage.open(path, "rb") as handle:
        records = []
        while header := handle.read(_HEADER.size):
            (length,) = _HEADER.unpack(header)
            records.append(f.rotate(handle.read(length)))
    default_storage.delete(path)
    default_storage.save(path, _ChunkFile(iter(_HEADER.pack(len(t)) + t for t in records), path))
