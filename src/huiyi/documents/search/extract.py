"""Plain text of a stored file, for search: PDF (pypdf), DOCX (python-docx), XLSX (openpyxl), TXT and CSV.

Extraction reads untrusted uploads, so every path is bounded:

* the caller passes at most ``Limits.max_bytes`` of file (larger files are not extracted: title only);
* ZIP packages (DOCX, XLSX) are checked before they are opened: a bounded number of entries, a bounded total
  *declared* uncompressed size and compression ratio. Python's ``zipfile`` never inflates an entry past its
  declared size (it stops and fails the CRC), so a zip bomb that lies in its header is cut off as well;
* PDF pages, spreadsheet cells and the text collected are capped; a deadline is checked between pages,
  paragraphs and rows;
* ``extract_isolated`` runs the extraction in a child process with a hard wall-clock timeout and an
  address-space limit, so that a malicious file that makes a parser loop or allocate cannot hurt the worker.

This module imports nothing of Django: the child process starts without the project's settings.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import time
import zipfile
from dataclasses import dataclass

TEXT_EXTENSIONS = ("txt", "csv")
EXTENSIONS = ("pdf", "docx", "xlsx", *TEXT_EXTENSIONS)


class ExtractionError(Exception):
    """The file could not be read within the limits (the document stays searchable by its title)."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024  # files larger than this are not opened
    max_chars: int = 200_000  # text kept per version
    max_pages: int = 500  # PDF pages read
    max_cells: int = 200_000  # spreadsheet cells read
    max_zip_entries: int = 2_000
    max_unzipped: int = 200 * 1024 * 1024  # declared uncompressed size of a DOCX/XLSX package
    max_ratio: int = 200  # declared uncompressed / compressed size of a package
    seconds: float = 30.0  # wall clock per file
    grace: float = 10.0  # start-up of the isolated child, on top of `seconds`
    memory: int = 1024 * 1024 * 1024  # address space of the isolated child


class _Collector:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.parts: list[str] = []
        self.size = 0
        self.deadline = time.monotonic() + limits.seconds

    @property
    def full(self) -> bool:
        return self.size >= self.limits.max_chars

    def add(self, text: str | None) -> None:
        if not text or self.full:
            return
        text = text[: self.limits.max_chars - self.size]
        self.parts.append(text)
        self.size += len(text) + 1

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise ExtractionError("time limit")

    def text(self) -> str:
        return "\n".join(self.parts)[: self.limits.max_chars]


def _check_package(data: bytes, limits: Limits) -> zipfile.ZipFile:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ExtractionError("not a ZIP package") from error
    infos = package.infolist()
    if len(infos) > limits.max_zip_entries:
        raise ExtractionError("too many entries")
    unzipped = sum(info.file_size for info in infos)
    packed = max(sum(info.compress_size for info in infos), 1)
    if unzipped > limits.max_unzipped or unzipped / packed > limits.max_ratio:
        raise ExtractionError("package inflates beyond the limits")
    return package


def _pdf(data: bytes, out: _Collector) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionError("encrypted PDF")
        for number, page in enumerate(reader.pages):
            if number >= out.limits.max_pages or out.full:
                break
            out.tick()
            out.add(page.extract_text())
    except PyPdfError as error:
        raise ExtractionError(f"unreadable PDF: {error}") from error


def _docx(data: bytes, out: _Collector) -> None:
    import docx

    _check_package(data, out.limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a broken package
        raise ExtractionError(f"unreadable DOCX: {error}") from error
    for paragraph in document.paragraphs:
        if out.full:
            return
        out.tick()
        out.add(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            if out.full:
                return
            out.tick()
            out.add(" ".join(cell.text for cell in row.cells))


def _xlsx(data: bytes, out: _Collector) -> None:
    from openpyxl import load_workbook

    _check_package(data, out.limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ExtractionError(f"unreadable XLSX: {error}") from error
    cells = 0
    try:
        for sheet in workbook.worksheets:
            out.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if out.full or cells > out.limits.max_cells:
                    return
                out.tick()
                values = [str(value) for value in row if value is not None and str(value).strip()]
                if values:
                    out.add(" ".join(values))
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _text(data: bytes, out: _Collector, *, is_csv: bool) -> None:
    text = _decode(data[: out.limits.max_chars * 4])
    if not is_csv:
        out.add(text)
        return
    for row in csv.reader(io.StringIO(text)):
        if out.full:
            return
        out.add(" ".join(cell for cell in row if cell.strip()))


def extract(data: bytes, extension: str, limits: Limits | None = None) -> str:
    """The text of `data` (a file with `extension`), bounded by `limits`; '' for a kind without text."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise ExtractionError("file too large to extract")
    out = _Collector(limits)
    if extension == "pdf":
        _pdf(data, out)
    elif extension == "docx":
        _docx(data, out)
    elif extension == "xlsx":
        _xlsx(data, out)
    elif extension in TEXT_EXTENSIONS:
        _text(data, out, is_csv=extension == "csv")
    else:
        return ""
    return out.text()


def _child(connection, data: bytes, extension: str, limits: Limits) -> None:
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken file is reported once, by the parent
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not POSIX, or a lower hard limit
        pass
    try:
        connection.send(("ok", extract(data, extension, limits)))
    except ExtractionError as error:
        connection.send(("error", str(error)))
    except MemoryError:
        connection.send(("error", "memory limit"))
    except Exception as error:  # a parser's own bug on a hostile file: report, never crash the worker
        connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


def extract_isolated(data: bytes, extension: str, limits: Limits | None = None) -> str:
    """``extract`` in a child process killed after ``limits.seconds`` (plus start-up) and capped in memory."""
    limits = limits or Limits()
    if extension not in EXTENSIONS:
        return ""
    if len(data) > limits.max_bytes:
        raise ExtractionError("file too large to extract")
    context = multiprocessing.get_context("forkserver")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, data, extension, limits), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(max(limits.seconds + limits.grace, 0)):
            raise ExtractionError("time limit")
        status, payload = receiver.recv()
    except EOFError as error:
        raise ExtractionError("the extraction process died") from error
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status != "ok":
        raise ExtractionError(payload)
    return payload
