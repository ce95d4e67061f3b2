"""QR codes of tickets (segno): PNG for the API, inline SVG for pages, dark runs for vector PDF badges.

The QR carries the ticket code only (22 URL-safe characters, 128 random bits): version 2, error
correction M, read by any standard reader (zbar, phone cameras, hardware scanners).
"""

from __future__ import annotations

import io

import segno

ERROR = "m"
#: Bulk badges use one fixed mask pattern: choosing the "best" of the eight costs ~1.5 ms per code (30 s
#: for 20,000 badges) and any mask is a valid QR code that every reader decodes (tests decode them).
BULK_MASK = 2


def make(code: str, *, bulk: bool = False) -> segno.QRCode:
    return segno.make(code, error=ERROR, micro=False, mask=BULK_MASK if bulk else None)


def png(code: str, *, scale: int = 10, border: int = 4) -> bytes:
    buffer = io.BytesIO()
    make(code).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def svg(code: str, *, scale: int = 8, border: int = 4) -> str:
    """An <svg> element (no XML prolog, no style attribute: allowed by the Content-Security-Policy)."""
    return make(code).svg_inline(scale=scale, border=border, title=None)


def dark_runs(code: str, *, bulk: bool = False) -> tuple[int, list[tuple[int, int, int]]]:
    """The module count and the horizontal runs of dark modules as (row, first column, length), row 0 at
    the top, without the quiet zone."""
    matrix = make(code, bulk=bulk).matrix
    runs = []
    for y, row in enumerate(matrix):
        x, size = 0, len(row)
        while x < size:
            if row[x] & 1:
                start = x
                while x < size and row[x] & 1:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return len(matrix), runs
