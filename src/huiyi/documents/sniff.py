"""Which files may be filed (an allow-list by extension) and whether their content is what the name says.

The extension alone is a claim; the first bytes are the evidence. A ``.pdf`` that does not start as a PDF
is refused, as is a ``.docx`` that is not a ZIP package, and a ``.txt`` holding binary data.
"""

from __future__ import annotations

import zipfile

PDF = (b"%PDF-",)
ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
PNG = (b"\x89PNG\r\n\x1a\n",)
JPEG = (b"\xff\xd8\xff",)
MP3 = (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")

#: extension → (MIME type, accepted signatures; None = text)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", PDF),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    "doc": ("application/msword", OLE),
    "xls": ("application/vnd.ms-excel", OLE),
    "ppt": ("application/vnd.ms-powerpoint", OLE),
    "png": ("image/png", PNG),
    "jpg": ("image/jpeg", JPEG),
    "jpeg": ("image/jpeg", JPEG),
    "mp3": ("audio/mpeg", MP3),
    "mp4": ("video/mp4", ()),  # checked by its "ftyp" box below
    "m4a": ("audio/mp4", ()),
    "txt": ("text/plain", None),
    "csv": ("text/csv", None),
}
OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def content_matches(ext: str, upload) -> bool:
    """Whether the upload's bytes are of the kind its extension claims (reads only the head; rewinds)."""
    mime, signatures = ALLOWED[ext]
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if signatures is None:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # a multi-byte character cut at the end of the head is still text
            if error.start < len(head) - 3:
                try:
                    head.decode("gb18030")
                except UnicodeDecodeError:
                    return False
        return True
    if ext in ("mp4", "m4a"):
        return head[4:8] == b"ftyp"
    if not any(head.startswith(s) for s in signatures):
        return False
    if ext in OOXML_PART:
        try:
            with zipfile.ZipFile(upload) as package:
                names = package.namelist()
        except zipfile.BadZipFile:
            return False
        finally:
            upload.seek(0)
        return "[Content_Types].xml" in names and any(n.startswith(OOXML_PART[ext]) for n in names)
    return True
