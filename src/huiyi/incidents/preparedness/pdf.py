"""The emergency contact sheet for the venue wall (REQ-ONS-09): A4, big type, Chinese and English."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle

from huiyi.reports.pdf import PdfDocument

from . import queries

PRINTED = gettext_noop("Printed %(at)s")
NONE_YET = gettext_noop("No emergency contact has been entered.")
HOTLINE = gettext_noop("Technical support hotline")
FIRST_CALL = gettext_noop("In a fire or medical emergency call 119 / 120 first, then the on-site director.")
# Type sizes in points (role, name, phone): readable on a wall from a few steps away.
ROLE_SIZE, ROLE_LEADING = 13, 18
NAME_SIZE, NAME_LEADING = 22, 28
PHONE_SIZE, PHONE_LEADING = 30, 36


def _both(message: str, **params) -> str:
    """The same words in Chinese and English, one line each (a wall sheet is read by everyone)."""
    lines = []
    for language in ("zh-hans", "en"):
        with override(language):
            lines.append(_(message) % params if params else _(message))
    return "\n".join(dict.fromkeys(lines))


def render(project) -> bytes:
    with override("zh-hans"):
        title_zh = _("Emergency contacts")
    with override("en"):
        title_en = _("Emergency contacts")
    document = PdfDocument(
        title=f"{title_zh} · {title_en}",
        subtitle=f"{project.code} · {project.name} · {project.name_en or ''}".rstrip(" ·"),
        footer=_both(PRINTED, at=timezone.localtime().strftime("%Y-%m-%d %H:%M")).replace("\n", " · "),
    )
    base = document.styles["body"]
    document.styles["role"] = ParagraphStyle(
        "role", parent=base, fontSize=ROLE_SIZE, leading=ROLE_LEADING, textColor=colors.HexColor("#555555")
    )
    document.styles["name"] = ParagraphStyle("name", parent=base, fontSize=NAME_SIZE, leading=NAME_LEADING)
    document.styles["phone"] = ParagraphStyle(
        "phone", parent=base, fontSize=PHONE_SIZE, leading=PHONE_LEADING, textColor=colors.HexColor("#7a1420")
    )
    contacts = list(queries.contacts(project))
    if not contacts:
        document.paragraph(_both(NONE_YET), "role")
    for contact in contacts:
        document.paragraph(contact.role, "role")
        document.paragraph(contact.name, "name")
        document.paragraph(contact.phone, "phone")
        if contact.note:
            document.paragraph(contact.note, "small")
        document.spacer(5)
    desk = queries.support_desk()["desk"]
    if desk is not None and desk.hotline:
        document.heading(_both(HOTLINE))
        document.paragraph(desk.hotline, "phone")
    document.spacer(4)
    document.paragraph(_both(FIRST_CALL), "body")
    return document.render()
