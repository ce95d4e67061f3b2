"""Every change of emergency preparedness: one function per business action, in a transaction, audited.

Emergency resources (REQ-INC-08): a line is checked with the quantity in place and where it is; the rulebook
lists the items (rules of ``emergency_resource_present``), the team may add more. Contacts (REQ-ONS-09): kept
per project, posted at the venue and sent to every staff member; any change makes the posted and sent copies
out of date until done again. Risks (REQ-INC-10, REQ-PLN-04): likelihood × impact gives the rulebook's level;
the confirmed plan's risk table is imported once. The support desk (REQ-TEC-01) is one row.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from huiyi.core import channels
from huiyi.core.audit import record_event
from huiyi.core.models import ChannelConfig, Delivery, Notification
from huiyi.core.notifications import notify
from huiyi.projects.models import MeetingProject
from huiyi.rulebook.services import active_rulebook, rulebook_for

from . import matrix as risk_matrix
from .models import ContactSheet, EmergencyContact, EmergencyResource, Risk, SupportDesk

RESOURCE_METRIC = "emergency_resource_present"
CONTACTS_KIND = "emergency_contacts"
PHONE = re.compile(r"^\+?[0-9][0-9 \-()]*$")
MIN_PHONE_DIGITS = 3  # 110, 119, 120 are numbers too


@contextmanager
def _actor(user):
    if user is not None and getattr(user, "is_authenticated", False):
        with set_actor(user):
            yield
    else:
        yield


def _text(value, field: str, *, required: bool, max_length: int) -> str:
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError({field: _("Keep it to %(n)s characters at most.") % {"n": max_length}})
    return value


def _phone(value, field: str = "phone", *, required: bool = True) -> str:
    value = _text(value, field, required=required, max_length=30)
    if value and (not PHONE.match(value) or sum(c.isdigit() for c in value) < MIN_PHONE_DIGITS):
        raise ValidationError({field: _("Enter a phone number: digits, spaces, “-”, brackets, a leading +.")})
    return value


# -- emergency resources (REQ-INC-08) -----------------------------------------------------------------------


def resource_rules(rulebook) -> dict:
    """The rulebook's emergency-resource items: {resource key: rule}, in rulebook order."""
    return {
        rule.applies_to["resource"]: rule
        for rule in rulebook.rules_where(metric=RESOURCE_METRIC)
        if rule.applies_to.get("resource")
    }


def _quantity(value) -> int:
    try:
        number = int(str(value).strip())
        if str(number) != str(value).strip():
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationError({"quantity": _("Give how many are in place, as a whole number.")}) from None
    if number < 1:
        raise ValidationError({"quantity": _("At least one must be in place to tick this item.")})
    return number


@transaction.atomic
def check_resource(
    project: MeetingProject,
    *,
    quantity,
    location,
    by,
    resource: str = "",
    item: EmergencyResource | None = None,
    note: str = "",
) -> EmergencyResource:
    """Tick a checklist line: ``quantity`` in place at ``location``, checked by ``by`` now.

    Either ``resource`` (a rulebook item's key) or ``item`` (an existing line, e.g. one the team added)."""
    number = _quantity(quantity)
    location = _text(location, "location", required=True, max_length=200)
    note = _text(note, "note", required=False, max_length=300)
    if item is None:
        if resource not in resource_rules(rulebook_for(project)):
            raise ValidationError({"resource": _("Unknown emergency resource: %(key)s.") % {"key": resource}})
        item = (
            EmergencyResource.objects.select_for_update().filter(project=project, resource=resource).first()
        )
        if item is None:
            item = EmergencyResource(project=project, resource=resource, created_by=by)
    else:
        if item.project_id != project.pk:
            raise ValidationError({"item": _("This line belongs to another project.")})
        item = EmergencyResource.objects.select_for_update().get(pk=item.pk)
    now = timezone.now()
    item.quantity, item.location, item.note = number, location, note
    item.checked_at, item.checked_by = now, by
    item.first_checked_at = item.first_checked_at or now
    with _actor(by):
        item.save()
    return item


@transaction.atomic
def add_resource(project: MeetingProject, *, name, by) -> EmergencyResource:
    """A line beyond the rulebook's (an AED, a wheelchair …); it must be checked like the others."""
    name = _text(name, "name", required=True, max_length=100)
    if EmergencyResource.objects.filter(project=project, resource="", name__iexact=name).exists():
        raise ValidationError({"name": _("This item is already on the checklist.")})
    names = {
        str(rule.name.get(lang)).lower()
        for rule in resource_rules(rulebook_for(project)).values()
        for lang in ("zh-hans", "en")
    }
    if name.lower() in names:
        raise ValidationError({"name": _("This item is already on the checklist.")})
    with _actor(by):
        return EmergencyResource.objects.create(project=project, name=name, created_by=by)


@transaction.atomic
def clear_resource(item: EmergencyResource, *, reason, by) -> EmergencyResource:
    """The item is no longer in place (used, removed, found faulty): untick it, with the reason kept."""
    reason = _text(reason, "reason", required=True, max_length=300)
    item = EmergencyResource.objects.select_for_update().get(pk=item.pk)
    if item.checked_at is None:
        raise ValidationError({"checked_at": _("This item is not ticked.")})
    item.checked_at = None
    item.checked_by = None
    with _actor(by):
        item.save()
        record_event(item, by, {"reason": ["", reason]})
    return item


# -- emergency contacts (REQ-ONS-09) ------------------------------------------------------------------------


def _touch_sheet(project) -> None:
    sheet, created = ContactSheet.objects.get_or_create(project=project)
    if not created:
        sheet.changed_at = timezone.now()
        sheet.save(update_fields=["changed_at"])


def _contact_fields(name, role, phone, note) -> dict:
    return {
        "name": _text(name, "name", required=True, max_length=100),
        "role": _text(role, "role", required=True, max_length=100),
        "phone": _phone(phone),
        "note": _text(note, "note", required=False, max_length=200),
    }


@transaction.atomic
def add_contact(project: MeetingProject, *, name, role, phone, note: str = "", by) -> EmergencyContact:
    fields = _contact_fields(name, role, phone, note)
    last = EmergencyContact.objects.filter(project=project).order_by("-position").first()
    with _actor(by):
        contact = EmergencyContact.objects.create(
            project=project, position=(last.position + 1) if last else 0, created_by=by, **fields
        )
        _touch_sheet(project)
    return contact


@transaction.atomic
def update_contact(contact: EmergencyContact, *, by, **changes) -> EmergencyContact:
    unknown = set(changes) - {"name", "role", "phone", "note"}
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    contact = EmergencyContact.objects.select_for_update().get(pk=contact.pk)
    current = {name: getattr(contact, name) for name in ("name", "role", "phone", "note")}
    fields = _contact_fields(**{**current, **changes})
    if fields == current:
        return contact
    for name, value in fields.items():
        setattr(contact, name, value)
    with _actor(by):
        contact.save()
        _touch_sheet(contact.project)
    return contact


@transaction.atomic
def delete_contact(contact: EmergencyContact, *, by) -> None:
    project = contact.project
    with _actor(by):
        contact.delete()
        _touch_sheet(project)


@transaction.atomic
def mark_contacts_posted(project: MeetingProject, *, by) -> ContactSheet:
    """The printed sheet hangs at the venue (REQ-ONS-09 "posted")."""
    if not EmergencyContact.objects.filter(project=project).exists():
        raise ValidationError({"contacts": _("Add at least one emergency contact first.")})
    sheet, _created = ContactSheet.objects.select_for_update().get_or_create(project=project)
    sheet.posted_at, sheet.posted_by = timezone.now(), by
    with _actor(by):
        sheet.save()
    return sheet


def contacts_text(project: MeetingProject) -> str:
    lines = [f"{c.role}  {c.name}  {c.phone}" for c in EmergencyContact.objects.filter(project=project)]
    return "\n".join(lines)


def staff_of(project: MeetingProject) -> list:
    """Every project member once (a member may hold several roles)."""
    users = {}
    for member in project.members.select_related("user").order_by("pk"):
        if member.user.is_active:
            users.setdefault(member.user.pk, member.user)
    return list(users.values())


@transaction.atomic
def send_contacts_to_staff(project: MeetingProject, *, by) -> ContactSheet:
    """Send the contacts to every staff member of the project (in-app, e-mail, and any webhook channel that
    receives emergency contacts, e.g. an SMS gateway). Safe to repeat: the same version is sent once."""
    if not EmergencyContact.objects.filter(project=project).exists():
        raise ValidationError({"contacts": _("Add at least one emergency contact first.")})
    staff = staff_of(project)
    if not staff:
        raise ValidationError({"staff": _("The project has no staff members to send the contacts to.")})
    sheet, _created = ContactSheet.objects.select_for_update().get_or_create(project=project)
    url = reverse("preparedness:project", args=[project.pk]) + "#contacts"
    body = contacts_text(project)
    version = sheet.changed_at.isoformat()
    for user in staff:
        with override(user.language or settings.LANGUAGE_CODE):
            title = _("Emergency contacts: %(project)s") % {"project": project.display_name}
        notify(
            user,
            title,
            body=body,
            url=url,
            kind=CONTACTS_KIND,
            dedupe_key=f"preparedness.contacts.{project.pk}.{version}",
        )
    sheet.sent_at, sheet.sent_by, sheet.sent_to = timezone.now(), by, len(staff)
    with _actor(by):
        sheet.save()
    return sheet


# -- risk register (REQ-INC-10, REQ-PLN-04) -----------------------------------------------------------------


def _rulebook(project):
    return rulebook_for(project) if project is not None else active_rulebook()


def _assessment(project, likelihood, impact) -> dict:
    blank = [value in (None, "") for value in (likelihood, impact)]
    if all(blank):
        return {"likelihood": None, "impact": None, "level": None}
    if any(blank):
        field = "impact" if blank[1] else "likelihood"
        raise ValidationError({field: _("Give both likelihood and impact, or neither.")})
    grid = risk_matrix.matrix_for(_rulebook(project))
    likelihood, impact = grid.check(likelihood, impact)
    return {"likelihood": likelihood, "impact": impact, "level": grid.level_number(likelihood, impact)}


def _risk_fields(values: dict) -> dict:
    cleaned = {}
    if "title" in values:
        cleaned["title"] = _text(values["title"], "title", required=True, max_length=200)
    if "type" in values:
        if values["type"] not in Risk.Type.values:
            raise ValidationError({"type": _("Unknown risk type: %(type)s.") % {"type": values["type"]}})
        cleaned["type"] = values["type"]
    for name in ("description", "prevention", "trigger"):
        if name in values:
            cleaned[name] = _text(values[name], name, required=False, max_length=4000)
    if "owner_name" in values:
        cleaned["owner_name"] = _text(values["owner_name"], "owner_name", required=False, max_length=100)
    if "owner" in values:
        owner = values["owner"]
        if owner is not None and not owner.is_active:
            raise ValidationError({"owner": _("This person can no longer sign in.")})
        cleaned["owner"] = owner
    if "review_date" in values:
        review = values["review_date"]
        if review is not None and not isinstance(review, date):
            raise ValidationError({"review_date": _("Enter a valid date.")})
        cleaned["review_date"] = review
    return cleaned


@transaction.atomic
def create_risk(
    *,
    title,
    by,
    project: MeetingProject | None = None,
    type: str = Risk.Type.OTHER,
    likelihood=None,
    impact=None,
    description: str = "",
    prevention: str = "",
    trigger: str = "",
    owner=None,
    owner_name: str = "",
    review_date: date | None = None,
) -> Risk:
    """A risk of ``project`` (or organisation-wide); its level comes from likelihood × impact."""
    fields = _risk_fields(
        {
            "title": title,
            "type": type,
            "description": description,
            "prevention": prevention,
            "trigger": trigger,
            "owner": owner,
            "owner_name": owner_name,
            "review_date": review_date,
        }
    )
    fields.update(_assessment(project, likelihood, impact))
    with _actor(by):
        return Risk.objects.create(project=project, created_by=by, **fields)


RISK_EDITABLE = (
    "title",
    "type",
    "description",
    "prevention",
    "trigger",
    "owner",
    "owner_name",
    "review_date",
    "likelihood",
    "impact",
)


@transaction.atomic
def update_risk(risk: Risk, *, by, **changes) -> Risk:
    unknown = set(changes) - set(RISK_EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    fields = _risk_fields(changes)
    if "likelihood" in changes or "impact" in changes:
        fields.update(
            _assessment(
                risk.project,
                changes.get("likelihood", risk.likelihood),
                changes.get("impact", risk.impact),
            )
        )
    for name, value in fields.items():
        setattr(risk, name, value)
    with _actor(by):
        risk.save()
    return risk


@transaction.atomic
def review_risk(risk: Risk, *, next_review: date | None, by, note: str = "") -> Risk:
    """The owner looked at the risk again: record when, and set the next review date."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    today = timezone.localdate()
    if next_review is not None and next_review <= today:
        raise ValidationError({"review_date": _("The next review must be after today.")})
    risk.reviewed_at, risk.review_date = timezone.now(), next_review
    with _actor(by):
        risk.save()
        if note:
            record_event(risk, by, {"review_note": ["", _text(note, "note", required=False, max_length=500)]})
    return risk


@transaction.atomic
def set_risk_status(risk: Risk, *, status: str, by) -> Risk:
    if status not in Risk.Status.values:
        raise ValidationError({"status": _("Unknown status: %(status)s.") % {"status": status}})
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    risk.status = status
    with _actor(by):
        risk.save()
    return risk


#: Words of a plan's risk that tell its type (the plan's risk table has no type).
TYPE_WORDS = (
    (
        Risk.Type.EQUIPMENT,
        ("设备", "音响", "投影", "网络", "断电", "equipment", "device", "network", "power"),
    ),
    (Risk.Type.ATTENDANCE, ("迟到", "缺席", "航班", "交通", "late", "absent", "flight", "traffic")),
    (Risk.Type.WEATHER, ("天气", "暴雨", "台风", "高温", "weather", "storm", "typhoon", "heat")),
    (Risk.Type.FIRE, ("火", "fire")),
    (Risk.Type.HEALTH, ("急病", "受伤", "医疗", "食物", "health", "injur", "medical", "food")),
    (Risk.Type.SECURITY, ("安保", "冲突", "拥挤", "踩踏", "security", "conflict", "crowd")),
    (Risk.Type.SUPPLIER, ("供应商", "场地", "酒店", "supplier", "venue", "hotel")),
    (Risk.Type.INFORMATION, ("舆情", "泄露", "媒体", "leak", "media", "press")),
)


def guess_type(title: str) -> str:
    lowered = title.lower()
    for kind, words in TYPE_WORDS:
        if any(word in lowered for word in words):
            return kind
    return Risk.Type.OTHER


def _owner_by_role(project: MeetingProject, owner_text: str):
    """The project member whose role is named as the owner (“技术支持”, “Technical support”), if any."""
    wanted = owner_text.strip().lower()
    if not wanted:
        return None
    for member in project.members.select_related("user", "role").order_by("pk"):
        names = {str(v).strip().lower() for v in (member.role.name or {}).values()}
        if wanted in names or wanted in {str(member.user).lower(), member.user.get_username().lower()}:
            return member.user if member.user.is_active else None
    return None


@transaction.atomic
def import_plan_risks(project: MeetingProject, *, by) -> tuple[list[Risk], int]:
    """Copy the risk table of the client-confirmed plan version into the register (REQ-PLN-04 → REQ-INC-10).

    Idempotent: a plan line imported before, or a risk of the project with the same name, is skipped; the
    imported risks still need their likelihood and impact. Returns (risks created, lines skipped)."""
    from huiyi.projects.planning import queries as planning

    version = planning.confirmed_version(project)
    if version is None:
        raise ValidationError({"plan": _("The project has no client-confirmed plan to import risks from.")})
    MeetingProject.objects.select_for_update().filter(pk=project.pk).first()  # two clicks: one import
    existing = {
        title.strip().lower()
        for title in Risk.objects.filter(project=project).values_list("title", flat=True)
    }
    imported = set(
        Risk.objects.filter(plan_item__version__project=project).values_list("plan_item", flat=True)
    )
    created, skipped = [], 0
    for line in version.risks.order_by("position", "pk"):
        key = line.risk.strip().lower()
        if line.pk in imported or key in existing:
            skipped += 1
            continue
        owner = _owner_by_role(project, line.owner)
        with _actor(by):
            try:
                with transaction.atomic():
                    risk = Risk.objects.create(
                        project=project,
                        title=line.risk[:200],
                        type=guess_type(f"{line.risk} {line.description}"),
                        description=line.description,
                        prevention=line.response,
                        owner=owner,
                        owner_name=line.owner[:100],
                        plan_item=line,
                        created_by=by,
                    )
            except IntegrityError:
                skipped += 1
                continue
        existing.add(key)
        created.append(risk)
    return created, skipped


# -- support desk (REQ-TEC-01) ------------------------------------------------------------------------------


@transaction.atomic
def update_support_desk(*, hotline, after_hours_phone="", email="", note="", by) -> SupportDesk:
    hotline = _phone(hotline, "hotline", required=False)
    after_hours_phone = _phone(after_hours_phone, "after_hours_phone", required=False)
    email = _text(email, "email", required=False, max_length=254)
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    desk = SupportDesk.objects.select_for_update().filter(pk=1).first() or SupportDesk(pk=1)
    desk.hotline, desk.after_hours_phone, desk.email = hotline, after_hours_phone, email
    desk.note = _text(note, "note", required=False, max_length=200)
    desk.updated_by = by
    with _actor(by):
        desk.save()
    return desk


# -- notification channels (administration) -----------------------------------------------------------------


KIND_PATTERN = re.compile(r"^[a-z0-9_.\-]+$")


def _kinds(value) -> list[str]:
    if isinstance(value, str):
        value = [part for part in re.split(r"[\s,，;；]+", value) if part]
    kinds = []
    for kind in value or []:
        kind = str(kind).strip()
        if not KIND_PATTERN.match(kind) or len(kind) > 40:
            raise ValidationError(
                {
                    "kinds": _("“%(kind)s” is not a notification kind (lower-case letters, digits, _ . -).")
                    % {"kind": kind}
                }
            )
        kinds.append(kind)
    return list(dict.fromkeys(kinds))


@transaction.atomic
def save_channel(
    config: ChannelConfig | None = None,
    *,
    name,
    url,
    by,
    secret: str | None = None,
    payload_format: str = ChannelConfig.Format.GENERIC,
    kinds=(),
    timeout_seconds=5,
    active: bool = True,
) -> ChannelConfig:
    """Create or change a webhook channel. ``secret=None`` keeps the stored secret."""
    name = _text(name, "name", required=True, max_length=100)
    url = _text(url, "url", required=True, max_length=500)
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"url": _("Enter an http:// or https:// address.")}) from None
    if payload_format not in ChannelConfig.Format.values:
        raise ValidationError({"payload_format": _("Unknown payload format.")})
    try:
        timeout = int(timeout_seconds)
    except (TypeError, ValueError):
        timeout = 0
    if not 1 <= timeout <= 30:  # noqa: PLR2004 — a sane bound for an HTTP call, not a rule of the standard
        raise ValidationError({"timeout_seconds": _("Give a timeout from 1 to 30 seconds.")})
    clash = ChannelConfig.objects.filter(name__iexact=name)
    if config is not None:
        clash = clash.exclude(pk=config.pk)
    if clash.exists():
        raise ValidationError({"name": _("Another channel has this name.")})
    config = config or ChannelConfig(created_by=by)
    config.name, config.url, config.payload_format = name, url, payload_format
    config.kinds, config.timeout_seconds, config.active = _kinds(kinds), timeout, bool(active)
    if secret is not None and secret.strip():
        config.secret = secret.strip()[:200]
    with _actor(by):
        config.save()
    return config


@transaction.atomic
def send_test(config: ChannelConfig, *, by) -> Delivery:
    """Send a test message to ``by`` through this one channel (active or not), in the background."""
    with _actor(by):
        notification = Notification.objects.create(
            recipient=by,
            title=_("Test message from Huiyi"),
            body=_("Channel “%(name)s” works.") % {"name": config.name},
            url=reverse("preparedness:channels"),
            kind="channel_test",
        )
        delivery = Delivery.objects.create(
            notification=notification,
            channel=config.channel_key,
            config=config,
            next_attempt_at=timezone.now(),
        )
    transaction.on_commit(lambda: channels._enqueue([delivery.pk]))
    return delivery


def retry_delivery(delivery: Delivery, *, by) -> Delivery:
    with transaction.atomic(), _actor(by):
        return channels.retry(delivery, by=by)
