"""Reads of the attendee app: filtered lists, counts per category, and masking of personal data.

Phone numbers and e-mail addresses are personal data: whoever lacks `attendees.view_contact` on the project
sees them masked (138****5678, z***@example.com) in lists, exports and the API.
"""

from __future__ import annotations

import re

from django.db.models import Count, Q

from .models import Attendee, Category

CONTACT_PERMISSION = "attendees.view_contact"


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits of a mobile number; shorter numbers keep less."""
    if not phone:
        return ""
    if len(phone) >= 8:
        return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
    return f"{phone[:1]}{'*' * (len(phone) - 3)}{phone[-2:]}" if len(phone) > 3 else "*" * len(phone)


def mask_email(email: str) -> str:
    """z***@example.com: the first letter of the mailbox, and the domain."""
    if not email or "@" not in email:
        return "*" * len(email)
    local, domain = email.rsplit("@", 1)
    return f"{local[:1]}***@{domain}"


def may_see_contact(user, project) -> bool:
    return user.has_perm(CONTACT_PERMISSION, project)


def shown_contact(attendee: Attendee, full: bool) -> tuple[str, str]:
    if full:
        return attendee.phone, attendee.email
    return mask_phone(attendee.phone), mask_email(attendee.email)


def shown_key(attendee: Attendee, full: bool) -> str:
    """The import key; one derived from the phone or e-mail (tel:…, mail:…) is masked like them."""
    key = attendee.external_key
    if full:
        return key
    if key.startswith("tel:"):
        return "tel:" + mask_phone(key[4:])
    if key.startswith("mail:"):
        return "mail:" + mask_email(key[5:])
    return key


def attendees(project, *, q: str = "", category: str = "", status: str = "", full_phone_search: bool = True):
    """The project's attendees with their tickets, filtered. `q` matches a fragment of the name or the
    organisation, or of the phone number; without the contact permission only the last digits of a phone
    (尾号) match, so that a masked number cannot be found out digit by digit."""
    rows = Attendee.objects.filter(project=project).select_related("ticket")
    q = q.strip()
    if q:
        condition = Q(name__icontains=q) | Q(organisation__icontains=q)
        digits = re.sub(r"[\s\-]", "", q)
        if digits.isdigit() and len(digits) >= 3:
            condition |= Q(phone__contains=digits) if full_phone_search else Q(phone__endswith=digits)
        rows = rows.filter(condition)
    if category in Category.values:
        rows = rows.filter(category=category)
    if status in Attendee.Status.values:
        rows = rows.filter(status=status)
    return rows.order_by("name", "pk")


def counts(project) -> dict:
    """Active attendees per category (every category listed, in order), their total and the cancelled."""
    by = {
        (row["category"], row["status"]): row["n"]
        for row in Attendee.objects.filter(project=project)
        .values("category", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    active = Attendee.Status.ACTIVE
    per_category = [
        {"key": value, "label": label, "count": by.get((value, active), 0)}
        for value, label in Category.choices
    ]
    return {
        "categories": per_category,
        "active": sum(row["count"] for row in per_category),
        "cancelled": sum(n for (_, status), n in by.items() if status != active),
        "expected": project.expected_attendees,
    }
