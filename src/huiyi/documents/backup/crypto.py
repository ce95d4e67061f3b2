"""Chunked, authenticated encryption of a byte stream with Fernet (AES-128-CBC + HMAC-SHA256).

The stream is cut into chunks of at most ``CHUNK`` bytes; each chunk becomes one Fernet token whose
plaintext starts with the chunk's index and a "last chunk" flag, so chunks cannot be reordered, dropped or the
stream cut short without decryption failing. Memory stays at about one chunk whatever the size of the stream.

Layout: ``MAGIC`` then, per chunk, a 4-byte big-endian token length and the token.
"""

import struct

from cryptography.fernet import Fernet, InvalidToken

MAGIC = b"HUIYI-BACKUP-FERNET-1\n"
CHUNK = 1024 * 1024
_HEADER = struct.Struct(">QB")  # chunk index, 1 when it is the last chunk
_LENGTH = struct.Struct(">I")


class DecryptionError(Exception):
    """The stream is not a Huiyi backup encrypted with this key, or it was altered."""


def fernet(key: str | bytes) -> Fernet:
    try:
        return Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError) as error:
        raise ValueError(
            "HUIYI_BACKUP_KEY is not a Fernet key (32 url-safe base64-encoded bytes); "
            "make one with `huiyi backup genkey`"
        ) from error


class EncryptingWriter:
    """A binary file-like sink: bytes written are encrypted chunk by chunk into ``sink``."""

    def __init__(self, sink, key):
        self._sink = sink
        self._fernet = fernet(key)
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        sink.write(MAGIC)

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, data: bytes, *, last: bool) -> None:
        token = self._fernet.encrypt(_HEADER.pack(self._index, 1 if last else 0) + data)
        self._sink.write(_LENGTH.pack(len(token)) + token)
        self._index += 1

    def flush(self) -> None:
        pass

    def close(self) -> None:
        """Write the last chunk (possibly empty). Does not close the sink."""
        if not self._closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True


class DecryptingReader:
    """A binary file-like source reading the plaintext of an encrypted stream."""

    def __init__(self, source, key):
        self._source = source
        self._fernet = fernet(key)
        self._buffer = b""
        self._offset = 0
        self._index = 0
        self._done = False
        if source.read(len(MAGIC)) != MAGIC:
            raise DecryptionError("not an encrypted Huiyi backup (header missing)")

    def _next_chunk(self) -> None:
        raw = self._source.read(_LENGTH.size)
        if len(raw) < _LENGTH.size:
            raise DecryptionError(f"truncated after chunk {self._index}")
        (length,) = _LENGTH.unpack(raw)
        if length > 2 * CHUNK + 1024:
            raise DecryptionError(f"chunk {self._index} has an impossible length")
        token = self._source.read(length)
        if len(token) < length:
            raise DecryptionError(f"chunk {self._index} is truncated")
        try:
            plain = self._fernet.decrypt(token)
        except InvalidToken as error:
            raise DecryptionError(f"chunk {self._index} does not decrypt (wrong key or altered)") from error
        index, last = _HEADER.unpack_from(plain)
        if index != self._index:
            raise DecryptionError(f"chunk {self._index} is out of order")
        self._index += 1
        self._buffer, self._offset = plain[_HEADER.size :], 0
        if last:
            self._done = True
            if self._source.read(1):
                raise DecryptionError("data after the last chunk")

    def read(self, size: int = -1) -> bytes:
        parts = []
        wanted = size if size is not None and size >= 0 else None
        while wanted is None or wanted > 0:
            if self._offset >= len(self._buffer):
                if self._done:
                    break
                self._next_chunk()
                continue
            end = len(self._buffer) if wanted is None else min(len(self._buffer), self._offset + wanted)
            part = self._buffer[self._offset : end]
            self._offset = end
            parts.append(part)
            if wanted is not None:
                wanted -= len(part)
        return b"".join(parts)
