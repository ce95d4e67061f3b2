"""Upload attacks (issue 10, REQ-DOC-07): every place that takes a file — documents (page and API), the
attendee import (page and API), complaint attachments (the public form without an account, and staff),
incident photos (API), signed contracts (page), the client's signed plan, booking letters and drawings, SOP
files, the working calendar's schedule import (admin only; its own section at the end) — against:

* path traversal and hostile names (``../../``, ``..\\``, absolute paths, NUL bytes, 1,000 characters):
  nothing is ever written outside the storage root, and a stored file's name is one of ours;
* polyglots (HTML named .pdf, a PDF that is also an HTML page, a PNG carrying a script, SVG, a PDF with
  JavaScript): refused with a clear message, or stored under a generated name and served as an attachment
  (or inline only as a proven image) with a harmless Content-Type and ``nosniff``;
* zip bombs (a 2 MB .xlsx/.docx whose part inflates to 2 GiB): refused before anything inflates them, with a
  message naming the file, and nothing saved;
* a "decompression bomb" photo (a PNG declaring 100,000 × 100,000 pixels): refused, never a 500.

Names are sent in raw multipart bodies: Django's test client would strip a path from a file name itself, and
an attacker's client does not.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

pytestmark = pytest.mark.django_db

# -- hostile files ---------------------------------------------------------------------------------------

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"
PDF_HTML = b"%PDF-1.4\n" + HTML + b"1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF_JS = (
    b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>endobj\n"
    b"2 0 obj<< /Type /Pages /Kids [] /Count 0 >>endobj\n"
    b"3 0 obj<< /S /JavaScript /JS (app.alert('issue 10')) >>endobj\n"
    b"4 0 obj<< /S /Launch /F (calc.exe) >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def png(text: bytes = b"") -> bytes:
    """A real 2×2 PNG; `text` goes into a tEXt chunk (a PNG that a sniffing browser takes for HTML)."""
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, "PNG")
    data = buffer.getvalue()
    if text:
        body = b"tEXt" + b"Comment\x00" + text
        chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
        data = data[:33] + chunk + data[33:]  # after IHDR
    return data


def png_bomb() -> bytes:
    """A PNG header declaring 100,000 × 100,000 pixels: 10 gigapixels if anything decoded it."""
    ihdr = b"IHDR" + struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr))
    idat = b"IDAT" + zlib.compress(b"\x00" * 64)
    end = b"IEND"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk
        + struct.pack(">I", len(idat) - 4)
        + idat
        + struct.pack(">I", zlib.crc32(idat))
        + struct.pack(">I", 0)
        + end
        + struct.pack(">I", zlib.crc32(end))
    )


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP written by hand from pre-deflated members (name, deflated bytes, CRC-32, inflated size)."""
    out, central = io.BytesIO(), []
    for name, deflated, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(deflated), size, len(encoded), 0
        )
        out.write(header + encoded + deflated)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(deflated),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0)
    )
    return out.getvalue()


def _member(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def _bomb_member(name: str, mebibytes: int) -> tuple[str, bytes, int, int]:
    """`mebibytes` MiB of spaces, deflated once per MiB and repeated (a full flush makes it repeatable)."""
    chunk = b" " * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    return name, block * mebibytes + packer.flush(), crc, mebibytes << 20


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


@pytest.fixture(scope="module")
def xlsx_bomb() -> bytes:
    """An .xlsx of about 2 MB whose shared strings inflate to 2 GiB (openpyxl would read them whole)."""
    return _zip(
        [
            _member("[Content_Types].xml", CONTENT_TYPES),
            _member("xl/workbook.xml", b"<workbook/>"),
            _member("xl/worksheets/sheet1.xml", b"<worksheet/>"),
            _bomb_member("xl/sharedStrings.xml", 2048),
        ]
    )


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    return _zip(
        [
            _member("[Content_Types].xml", CONTENT_TYPES),
            _bomb_member("word/document.xml", 2048),
        ]
    )


def test_the_bombs_are_real(xlsx_bomb):
    """The test's zip bomb is what it claims: small, valid, and inflating to 2 GiB (checked on a prefix)."""
    import zipfile

    assert len(xlsx_bomb) < 3 * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(xlsx_bomb)) as package:
        info = package.getinfo("xl/sharedStrings.xml")
        assert info.file_size == 2 << 30
        with package.open(info) as member:
            assert member.read(5 << 20) == b" " * (5 << 20)


# -- multipart with names a browser would never send ----------------------------------------------------

TRAVERSAL_NAMES = [
    "../../../../../../tmp/issue10-evil.pdf",
    "..\\..\\..\\..\\issue10-evil.pdf",
    "/etc/issue10-passwd.pdf",
    "C:\\Windows\\System32\\issue10.pdf",
    "issue10\x00.html",
    "issue10.pdf\x00.html",
    "a" * 1000 + ".pdf",
    "....//....//issue10-evil.pdf",
    "%2e%2e%2fissue10-evil.pdf",
    "\u202eissue10lmth.pdf",
]


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    boundary = "issue10boundary7MA4YWxkTrZu0gW"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode()
        )
    for field, filename, content, content_type in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="'.encode()
            + filename.encode("utf-8", "surrogateescape")
            + f'"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        parts.append(head + content)
    body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def post_files(client, url, fields, files, **extra):
    body, content_type = multipart(fields, files)
    return client.generic("POST", url, body, content_type=content_type, **extra)


# -- the storage root and what lies in it ----------------------------------------------------------------

ACTIVE_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/javascript",
    "application/javascript",
    "application/x-shockwave-flash",
}
OUR_NAME = re.compile(r"^[A-Za-z0-9_-]{8,64}(\.(pdf|png|jpg|gif|webp|bin))?$")


@pytest.fixture
def storage(settings, tmp_path):
    """MEDIA_ROOT and DATA_DIR inside a sandbox; `outside()` lists files written anywhere else in it."""
    sandbox = tmp_path / "sandbox"
    media = sandbox / "deep" / "er" / "media"
    data = sandbox / "deep" / "er" / "data"
    media.mkdir(parents=True)
    data.mkdir(parents=True)
    settings.MEDIA_ROOT = media
    settings.DATA_DIR = data

    class Storage:
        root = media

        @staticmethod
        def files() -> list[Path]:
            return [p for p in media.rglob("*") if p.is_file()]

        @staticmethod
        def outside() -> list[Path]:
            return [
                p
                for p in sandbox.rglob("*")
                if p.is_file() and media not in p.parents and data not in p.parents
            ]

    yield Storage
    assert not Path("/tmp/issue10-evil.pdf").exists()
    assert not Storage.outside(), Storage.outside()


def assert_stored_safely(storage, before: set[Path]) -> list[Path]:
    new = [p for p in storage.files() if p not in before]
    for path in new:
        assert storage.root in path.resolve().parents, path
        assert OUR_NAME.match(path.name), f"stored under a name the sender chose: {path.name!r}"
    assert not storage.outside()
    return new


def assert_safe_download(response, *, content: bytes | None = None) -> None:
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content is not None:
        assert body == content
    content_type = response["Content-Type"].split(";")[0].strip().lower()
    assert content_type not in ACTIVE_TYPES, content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response.get("Content-Disposition", "")
    proven = {
        "application/pdf": b"%PDF-",
        "image/png": b"\x89PNG",
        "image/jpeg": b"\xff\xd8\xff",
        "image/gif": b"GIF8",
    }
    if not disposition.startswith("attachment"):
        # inline only as an image (or PDF) the bytes prove
        assert content_type in proven and body.startswith(proven[content_type]), (content_type, disposition)
    if content_type in proven:
        assert body.startswith(proven[content_type]), f"served as {content_type} but is not"
    assert "\n" not in disposition and "\r" not in disposition


# -- people and records ------------------------------------------------------------------------------------


@pytest.fixture
def team(org, make_user, make_project, storage):
    unit = org["north_events"]
    pm = make_user("project_manager", unit, username="pm")
    onsite = make_user("on_site_director", unit, username="onsite")
    officer = make_user("quality_officer", org["company"], username="officer")
    project = make_project(
        phase=2,
        start_in_days=-1,
        members=[(pm, "project_manager"), (onsite, "on_site_director")],
    )
    return {"pm": pm, "onsite": onsite, "officer": officer, "project": project}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def document(team):
    from huiyi.documents import services

    return services.create_document(project=team["project"], doc_type="agenda", title="议程", by=team["pm"])


# -- documents ---------------------------------------------------------------------------------------------


def _document_versions(document):
    document.refresh_from_db()
    return list(document.versions.order_by("number"))


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
def test_issue_10_document_upload_names_cannot_escape_the_store(team, document, storage, name):
    """REQ-DOC-07: on the page and over the API, a hostile name never becomes a path: the file is stored under
    a generated name inside the root (or refused with a message), the sender's name is kept only as text."""
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    before = set(storage.files())
    client = signed_in(team["pm"])
    page = post_files(
        client,
        reverse("documents:version_add", args=[document.pk]),
        {"change_note": "x"},
        [("file", name, pdf, "application/pdf")],
    )
    # back to the document with a message; a 1,000-character name is a bad request for Django's parser
    assert page.status_code in (302, 400)
    api = post_files(
        client,
        reverse("api:documents-versions", args=[document.pk]),
        {"change_note": "x"},
        [("file", name, pdf, "application/pdf")],
    )
    assert api.status_code in (201, 400), api.content
    new = assert_stored_safely(storage, before)
    for version in _document_versions(document):
        assert "/" not in version.original_filename and "\\" not in version.original_filename
        assert "\x00" not in version.original_filename and len(version.original_filename) <= 300
        assert version.file.name.startswith("documents/") and ".." not in version.file.name
    assert len(new) == len(_document_versions(document))


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("scan.pdf", HTML, "application/pdf"),  # HTML named .pdf
        ("page.html", HTML, "text/html"),
        ("scan.pdf", PDF_HTML, "application/pdf"),  # a PDF that is also an HTML page
        ("scan.pdf", PDF_JS, "application/pdf"),  # a PDF with JavaScript and a Launch action
        ("photo.png", png(HTML), "image/png"),  # a PNG carrying a script
        ("drawing.svg", SVG, "image/svg+xml"),
        ("list.txt", HTML, "text/plain"),  # text that is HTML
    ],
)
def test_issue_10_document_polyglots_are_refused_or_served_inert(
    team, document, storage, name, content, content_type
):
    before = set(storage.files())
    client = signed_in(team["pm"])
    response = post_files(
        client,
        reverse("api:documents-versions", args=[document.pk]),
        {},
        [("file", name, content, content_type)],
    )
    if response.status_code == 400:
        assert response.json()["error"]["fields"]["file"], response.content  # a message naming the field
        assert not _document_versions(document)
        return
    assert response.status_code == 201, response.content
    assert_stored_safely(storage, before)
    version = _document_versions(document)[-1]
    assert_safe_download(client.get(reverse("documents:download", args=[version.pk])), content=content)
    assert_safe_download(client.get(reverse("api:documents-download", args=[document.pk])), content=content)


def test_issue_10_html_named_pdf_is_refused_with_a_clear_message(team, document, storage):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(team["pm"])
    response = post_files(
        client,
        reverse("api:documents-versions", args=[document.pk]),
        {},
        [("file", "scan.pdf", HTML, "application/pdf")],
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["file"] == ["The content of the file is not a pdf file."]


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_issue_10_document_zip_bomb_is_refused_before_it_inflates(
    team, document, storage, xlsx_bomb, docx_bomb, kind
):
    bomb = xlsx_bomb if kind == "xlsx" else docx_bomb
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(team["pm"])
    before = set(storage.files())
    api = post_files(
        client,
        reverse("api:documents-versions", args=[document.pk]),
        {},
        [("file", f"report.{kind}", bomb, "application/octet-stream")],
    )
    assert api.status_code == 400, api.content
    message = api.json()["error"]["fields"]["file"][0]
    assert message.startswith(f"The {kind} file would inflate to 20") and "refused" in message, message
    page = post_files(
        client,
        reverse("documents:version_add", args=[document.pk]),
        {"change_note": "quarterly"},
        [("file", f"report.{kind}", bomb, "application/octet-stream")],
    )
    assert page.status_code == 302
    shown = client.get(page.url).content.decode()
    assert "would inflate to" in shown
    assert not _document_versions(document)
    assert set(storage.files()) == before


# -- the attendee import -----------------------------------------------------------------------------------


def test_issue_10_attendee_import_zip_bomb_is_refused_on_the_page_and_the_api(team, storage, xlsx_bomb):
    """openpyxl reads an .xlsx's shared strings whole: 2 GiB of them would exhaust the worker. The package is
    refused from the sizes it declares, with a message, before anything inflates; nothing is kept."""
    from huiyi.onsite.attendees.models import Attendee

    project = team["project"]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(team["pm"])
    page = post_files(
        client, reverse("attendees:import", args=[project.pk]), {}, [("file", "名单.xlsx", xlsx_bomb, "x")]
    )
    assert page.status_code == 400
    assert "would inflate to 2048 MB" in page.content.decode()
    api = post_files(
        client,
        reverse("api:attendee-import", args=[project.pk]),
        {"dry_run": "true"},
        [("file", "名单.xlsx", xlsx_bomb, "application/octet-stream")],
    )
    assert api.status_code == 400, api.content
    assert "would inflate to 2048 MB" in str(api.json()["error"])
    assert not Attendee.objects.filter(project=project).exists()
    assert not list((Path(storage.root).parent / "data").rglob("*.upload"))


@pytest.mark.parametrize("name", TRAVERSAL_NAMES[:5])
def test_issue_10_attendee_import_names_stay_text(team, storage, name):
    """The import keeps the upload under a random token in the data folder; the name is only shown."""
    project = team["project"]
    client = signed_in(team["pm"])
    csv = "姓名,单位,手机\n张三,浦江科技,13800000000\n".encode()
    response = post_files(
        client, reverse("attendees:import", args=[project.pk]), {}, [("file", name, csv, "text/csv")]
    )
    assert response.status_code in (302, 400)
    uploads = list((Path(storage.root).parent / "data").rglob("*"))
    assert all(re.fullmatch(r"[0-9a-f]{32}\.(upload|json)", p.name) for p in uploads if p.is_file())


# -- complaints: the public form takes files from anyone ---------------------------------------------------


@pytest.fixture
def complaint_link(team):
    from django.core.cache import cache

    from huiyi.feedback.complaints import services

    cache.clear()  # the public form's rate limit counts per address in the cache
    _link, token = services.issue_public_link(team["project"], by=team["pm"], days=30)
    return token


def public_complaint(token, files, **extra):
    client = Client(**extra)
    return post_files(
        client,
        reverse("complaints:public", args=[token]),
        {
            "complainant_name": "王女士",
            "complainant_contact": "13800000001",
            "severity": "normal",
            "content": "返程大巴迟到",
            "website": "",
        },
        files,
    )


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("../../../../../../tmp/issue10-evil.pdf", b"%PDF-1.4 scan", "application/pdf"),
        ("scan.pdf", HTML, "application/pdf"),
        ("photo.png", png(HTML), "image/png"),
        ("evil.html", PDF_HTML, "text/html"),
        ("drawing.svg", SVG, "image/svg+xml"),
        ("scan.pdf\x00.html", PDF_JS, "application/pdf"),
    ],
)
def test_issue_10_public_complaint_attachments(team, storage, complaint_link, name, content, content_type):
    """Anyone holding the link may attach files: a non-PDF/JPEG/PNG is refused with a message naming it; an
    accepted one is stored under its checksum and served to staff as an attachment with nosniff."""
    from huiyi.feedback.complaints.models import Complaint

    before = set(storage.files())
    response = public_complaint(complaint_link, [("attachments", name, content, content_type)])
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert "PDF, JPEG or PNG" in response.content.decode() or "PDF、JPEG" in response.content.decode()
        assert not Complaint.objects.exists()
        assert set(storage.files()) == before
        return
    assert_stored_safely(storage, before)
    attachment = Complaint.objects.get().attachments.get()
    assert "/" not in attachment.name and "\x00" not in attachment.name
    staff = signed_in(team["pm"])
    assert_safe_download(staff.get(reverse("complaints:attachment", args=[attachment.pk])), content=content)


# -- incident photos -----------------------------------------------------------------------------------------


def report_with_photo(team, name, content, content_type):
    return post_files(
        signed_in(team["onsite"]),
        reverse("api:incident-list"),
        {
            "project": str(team["project"].pk),
            "type": "other",
            "place": "主会场",
            "impact": "有人晕倒",
            "occurred_at": timezone.now().isoformat(),
        },
        [("photo", name, content, content_type)],
    )


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("photo.html", png(HTML), "text/html"),  # a real PNG named .html, carrying a script
        ("../../../../../../tmp/issue10-evil.png", png(), "image/png"),
        ("photo.svg", SVG, "image/svg+xml"),
        ("photo.png", HTML, "image/png"),
        ("bomb.png", png_bomb(), "image/png"),
    ],
)
def test_issue_10_incident_photos(team, storage, name, content, content_type):
    """A photo is proven by decoding its header (a 10-gigapixel "decompression bomb" is refused, never a 500);
    it is stored under a name of ours with the extension its bytes prove and shown inline only as an image —
    a PNG named .html used to be served as text/html."""
    from huiyi.incidents.models import Incident

    before = set(storage.files())
    response = report_with_photo(team, name, content, content_type)
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert response.json()["error"]["fields"]["photo"]
        assert not Incident.objects.exists() and set(storage.files()) == before
        return
    assert_stored_safely(storage, before)
    incident = Incident.objects.get()
    served = signed_in(team["onsite"]).get(reverse("incidents:photo", args=[incident.pk]))
    assert_safe_download(served, content=content)
    assert served["Content-Type"] == "image/png"


def test_issue_10_decompression_bomb_photo_is_refused_by_the_service(team, storage):
    """The service checks a photo itself (callers other than the form and API exist): a bomb is a
    ValidationError naming the photo, not an unhandled DecompressionBombError."""
    from huiyi.incidents import services

    with pytest.raises(ValidationError) as error:
        services.report_incident(
            team["project"],
            by=team["onsite"],
            type="other",
            place="主会场",
            impact="x",
            photo=SimpleUploadedFile("bomb.png", png_bomb(), content_type="image/png"),
        )
    assert "photo" in error.value.message_dict


# -- signed contracts, signed plans, booking letters, SOP files ------------------------------------------

HOSTILE = [
    ("../../../../../../tmp/issue10-evil.pdf", b"%PDF-1.4 scan"),
    ("scan.pdf", HTML),
    ("scan.html", PDF_HTML),
    ("photo.html", png(HTML)),
    ("drawing.svg", SVG),
]


@pytest.fixture
def contract(team):
    from huiyi.contracts import services

    today = timezone.localdate()
    return services.create_contract(
        team["project"],
        by=team["pm"],
        value=Decimal("1000.00"),
        payments=[{"name": "全款", "due_date": today + dt.timedelta(days=5), "amount": Decimal("1000.00")}],
        scope_preparation="会前",
        scope_onsite="现场",
        scope_in_meeting="会中",
        scope_post_meeting="会后",
    )


@pytest.mark.parametrize("name, content", HOSTILE)
def test_issue_10_signed_contract_copy(team, storage, contract, name, content):
    """A signed copy is a PDF, JPEG or PNG by its bytes (the declared type is the sender's claim: HTML sent
    as application/pdf used to be accepted), stored under a generated name and served as an attachment."""
    before = set(storage.files())
    client = signed_in(team["pm"])
    response = post_files(
        client,
        reverse("contracts:signed_copy_upload", args=[contract.pk]),
        {},
        [("signed_copy", name, content, "application/pdf")],
    )
    assert response.status_code in (200, 302, 400), response.status_code
    contract.refresh_from_db()
    if not content.startswith((b"%PDF-", b"\x89PNG", b"\xff\xd8\xff")):
        assert not contract.signed_copy, f"{name} was accepted as a signed copy"
        assert set(storage.files()) == before
        return
    assert contract.signed_copy, response.content[:500]
    assert_stored_safely(storage, before)
    assert "/" not in contract.signed_copy_name
    assert_safe_download(client.get(reverse("contracts:signed_copy", args=[contract.pk])), content=content)


@pytest.mark.parametrize("name, content", HOSTILE)
def test_issue_10_client_signed_plan_copy(team, storage, name, content):
    from huiyi.projects.planning import services
    from huiyi.projects.planning.models import PlanStatus, PlanVersion

    planner = team["pm"]
    version = services.create_version(team["project"], by=planner)
    PlanVersion.objects.filter(pk=version.pk).update(status=PlanStatus.CONFIRMED)
    version.refresh_from_db()
    before = set(storage.files())
    copy = services.archive_signed_copy(version, ContentFile(content, name=name), by=planner)
    assert_stored_safely(storage, before)
    served = signed_in(planner).get(reverse("planning:signed_copy", args=[copy.pk]))
    assert_safe_download(served, content=content)


@pytest.mark.parametrize("name, content", HOSTILE)
def test_issue_10_booking_letters_and_drawings(team, storage, name, content):
    from huiyi.resources import services

    project = team["project"]
    before = set(storage.files())
    booking = services.book(
        project,
        by=team["pm"],
        kind="material",
        material="胸卡",
        starts_at=project.start,
        ends_at=project.end,
        confirmation_document=ContentFile(content, name=name),
    )
    assert_stored_safely(storage, before)
    served = signed_in(team["pm"]).get(reverse("resources:booking_file", args=[booking.pk, "confirmation"]))
    assert_safe_download(served, content=content)


@pytest.mark.parametrize("name, content", HOSTILE)
def test_issue_10_sop_files(team, storage, name, content):
    from huiyi.quality.sop import services

    officer = team["officer"]
    procedure = services.create_procedure(
        code="SOP-DOC-01",
        title={"zh-hans": "归档", "en": "Archiving"},
        rule_ids=["doc.archive_deadline"],
        by=officer,
    )
    before = set(storage.files())
    version = services.add_version(
        procedure,
        change_note="first",
        effective_from=timezone.localdate(),
        approved_by=officer,
        by=officer,
        file=ContentFile(content, name=name),
    )
    assert_stored_safely(storage, before)
    assert_safe_download(
        signed_in(officer).get(reverse("sop:version_file", args=[version.pk])), content=content
    )


# -- the calendar import (admin only) ----------------------------------------------------------------------

ICS_HEAD = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//issue 10//EN\r\n"


def ics(*events: bytes) -> bytes:
    return (
        ICS_HEAD
        + b"".join(b"BEGIN:VEVENT\r\n" + e + b"END:VEVENT\r\n" for e in events)
        + b"END:VCALENDAR\r\n"
    )


@pytest.fixture
def calendar_admin(django_user_model):
    return django_user_model.objects.create_superuser("caladmin", "caladmin@example.com", "x" * 20)


def import_calendar(client, name: str, content: bytes):
    """Post a schedule file to the import page and open the page it leads to (with its messages)."""
    answer = post_files(client, reverse("calendar:import"), {}, [("file", name, content, "text/csv")])
    assert answer.status_code == 302, answer.status_code
    return answer, client.get(answer.url).content.decode()


def english(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_issue_10_calendar_import_refuses_a_huge_file_before_reading_it(calendar_admin, xlsx_bomb):
    """Issue 10: a schedule is a few kilobytes; a file over HUIYI_CALENDAR_IMPORT_MAX_BYTES (1 MiB) is refused
    from its size with a message naming it, and nothing is imported."""
    from huiyi.calendar.models import CalendarDay

    client = english(calendar_admin)
    huge = b"date,kind,name\n" + b"2027-01-01,holiday,x\n" * 100_000  # 2 MB
    for name, content in (("2027.csv", huge), ("2027.xlsx", xlsx_bomb)):
        _answer, page = import_calendar(client, name, content)
        assert "Nothing was imported" in page
        assert f"“{name}” is too large" in page and "at most 1,024 KB" in page
    assert not CalendarDay.objects.exists()


def test_issue_10_calendar_import_size_limit_is_a_setting(calendar_admin, settings):
    from huiyi.calendar.models import CalendarDay

    settings.HUIYI_CALENDAR_IMPORT_MAX_BYTES = 10 * 1024
    csv_text = b"date,kind,name\n" + b"2027-01-01,holiday,x\n" * 600  # 12 KB
    _answer, page = import_calendar(english(calendar_admin), "2027.csv", csv_text)
    assert "at most 10 KB" in page
    assert not CalendarDay.objects.exists()


def _small_zip_bomb() -> bytes:
    """An .xlsx-shaped ZIP of ~0.5 MB inflating to 512 MiB: under the size limit, so its content is judged."""
    return _zip(
        [
            _member("[Content_Types].xml", CONTENT_TYPES),
            _member("xl/workbook.xml", b"<workbook/>"),
            _bomb_member("xl/sharedStrings.xml", 512),
        ]
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("2027.csv", "zip-bomb", "“2027.csv” is a ZIP (.xlsx, .docx, .zip) file, not a schedule"),
        ("2027.xlsx", "zip-bomb", "“2027.xlsx”: only .csv and .ics files can be imported"),
        ("2027.csv", HTML, "“2027.csv” is a web page or XML document, not a schedule"),
        ("2027.ics", PDF_JS, "“2027.ics” is a PDF file, not a schedule"),
        ("2027.csv", "png", "“2027.csv” is a PNG file, not a schedule"),
        ("2027.csv", SVG, "web page or XML document"),
        ("2027.csv", ics(b"SUMMARY:\xe4\xbc\x91\r\nDTSTART;VALUE=DATE:20270101\r\n"), "name it .ics"),
        ("2027.ics", b"date,kind,name\n2027-01-01,holiday,x\n", "does not begin with BEGIN:VCALENDAR"),
        (
            "2027.csv",
            "date,kind,name\n2027-01-01,holiday,元旦\n".encode("utf-16"),
            "The file is not UTF-8 text",
        ),
        ("2027.csv", "date,kind,name\n2027-01-01,holiday,元旦\n".encode("gbk"), "The file is not UTF-8 text"),
        ("2027.html", b"date,kind,name\n2027-01-01,holiday,x\n", "only .csv and .ics files"),
    ],
)
def test_issue_10_calendar_import_refuses_a_file_that_is_not_what_its_name_says(
    calendar_admin, name, content, message
):
    """Issue 10: a binary file (a ZIP such as an .xlsx is never opened, so it cannot inflate), a web page, an
    iCalendar file named .csv or a CSV named .ics is refused with a message saying what it is."""
    from huiyi.calendar.models import CalendarDay

    content = {"zip-bomb": _small_zip_bomb, "png": lambda: png(HTML)}.get(content, lambda: content)()
    _answer, page = import_calendar(english(calendar_admin), name, content)
    assert "Nothing was imported" in page and message in page
    assert "<script>alert" not in page
    assert not CalendarDay.objects.exists()


LONG_EVENT = b"SUMMARY:\xe6\x98\xa5\xe8\x8a\x82\xe6\x94\xbe\xe5\x81\x87\xe4\xbc\x91\r\n"  # 春节放假休


@pytest.mark.parametrize(
    "name, content, message",
    [
        (  # one event from year 1 to 9999: 3.6 million days, if anything expanded it
            "cn.ics",
            ics(LONG_EVENT + b"DTSTART;VALUE=DATE:00010101\r\nDTEND;VALUE=DATE:99991231\r\n"),
            "the event lasts 3,652,058 days; one event may cover at most 31 days",
        ),
        (
            "cn.ics",
            ics(
                *(
                    LONG_EVENT + b"DTSTART;VALUE=DATE:%04d0101\r\nDTEND;VALUE=DATE:%04d0131\r\n" % (y, y)
                    for y in range(1800, 2100)
                )
            ),
            "one file may list at most 5,000",
        ),
        ("cn.ics", ics(LONG_EVENT + b"DTSTART;VALUE=DATE:2027xx01\r\n"), "its dates cannot be read"),
        (
            "cn.ics",
            ics(LONG_EVENT + b"DTSTART;VALUE=DATE:20270101\r\nDTEND:garbage\r\n"),
            "dates cannot be read",
        ),
        (
            "cn.ics",
            ics(LONG_EVENT + b"DTSTART;VALUE=DATE:20270101\r\nDURATION:P99999999D\r\n"),
            "its dates cannot be read",
        ),
        (
            "cn.csv",
            b"date,kind,name\n2027-01-01,holiday,\xe5\x85\x83\x00\xe6\x97\xa6\n",
            "is not a text file",
        ),
        (
            "cn.csv",
            b"date,kind,name\n2027-01-01,holiday,\x1b[31m\xe5\x85\x83\xe6\x97\xa6\n",
            "control characters",
        ),
        (
            "cn.csv",
            b'date,kind,name\n2027-01-01,holiday,"a\nb"\n',
            "name contains control characters",
        ),
        ("cn.csv", b"date,kind,name\n2027-01-01,holiday," + b"x" * 200_000 + b"\n", "line 2: not valid CSV"),
        ("cn.csv", b"date,kind,name\n2027-01-01,holiday," + b"x" * 101 + b"\n", "name is longer than 100"),
        (
            "cn.csv",
            b"date,kind,name,note\n2027-01-01,holiday,x," + b"y" * 501 + b"\n",
            "note is longer than 500",
        ),
        (
            "cn.csv",
            b"date,<script>alert(1)</script>,name\n",
            "unknown column(s): &lt;script&gt;alert(1)&lt;/script&gt;",
        ),
    ],
)
def test_issue_10_calendar_import_refuses_hostile_content_with_a_message(
    calendar_admin, name, content, message
):
    """Issue 10: content made to hurt — an event spanning millennia, more days than any schedule, dates no
    reader can parse, NUL and escape characters (a NUL cannot even be stored in PostgreSQL), a value beyond
    the CSV reader's field limit, over-long names — is refused with a message naming the row; never a 500,
    nothing imported. Quoted content is shown escaped."""
    from huiyi.calendar.models import CalendarDay

    _answer, page = import_calendar(english(calendar_admin), name, content)
    assert "Nothing was imported" in page and message in page, page[page.find("alert") - 200 :][:600]
    assert "<script>alert" not in page
    assert not CalendarDay.objects.exists()


def test_issue_10_calendar_import_refusals_are_in_chinese(calendar_admin):
    client = Client()
    client.force_login(calendar_admin)
    _answer, page = import_calendar(client, "2027.csv", _small_zip_bomb())
    assert "未导入任何内容" in page
    assert "“2027.csv”是 ZIP (.xlsx, .docx, .zip) 文件，不是日程文件" in page


def test_issue_10_calendar_import_keeps_html_and_formulas_as_inert_text(calendar_admin):
    """Issue 10: a name with markup or a spreadsheet formula is a name: stored as written, shown escaped on
    the year page (no script, no link); calendar days are exported nowhere as a spreadsheet."""
    from huiyi.calendar.models import CalendarDay

    content = (
        "date,kind,name,name_en,note\n"
        '2027-01-01,holiday,<img src=x onerror=alert(1)>元旦,"=HYPERLINK(""http://evil.example"",""x"")",'
        "@SUM(1+1)\n"
    ).encode()
    answer, page = import_calendar(english(calendar_admin), "2027.csv", content)
    assert answer.url.endswith("?year=2027")
    day = CalendarDay.objects.get(date=dt.date(2027, 1, 1))
    assert day.name == {
        "zh-hans": "<img src=x onerror=alert(1)>元旦",
        "en": '=HYPERLINK("http://evil.example","x")',
    }
    assert day.note == "@SUM(1+1)"
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)" in page  # the English name, as text
    client = Client()
    client.force_login(calendar_admin)
    chinese = client.get(answer.url).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;元旦" in chinese
    for body in (page, chinese):
        assert "<img src=x onerror" not in body
        assert 'href="http://evil.example' not in body


@pytest.mark.parametrize("role", ["planner", "quality_officer", "project_director"])
def test_issue_10_calendar_import_is_refused_to_non_admins(make_user, org, role):
    """Issue 10: only who may add calendar days (an administrator) imports; anyone else gets 403 and nothing
    is imported; without signing in, the sign-in page."""
    from huiyi.calendar.models import CalendarDay, LoadedYear

    content = b"date,kind,name\n2027-01-01,holiday,x\n"
    user = make_user(role, org["north"])
    client = Client()
    client.force_login(user)
    files = [("file", "2027.csv", content, "text/csv")]
    assert post_files(client, reverse("calendar:import"), {"confirm_year": "2027"}, files).status_code == 403
    anonymous = post_files(Client(), reverse("calendar:import"), {}, files)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous.url
    assert not CalendarDay.objects.exists() and not LoadedYear.objects.exists()
