"""State changes of intake: one function per business action, in a transaction, validated and audited."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.clients.services import create_client
from huiyi.core import links
from huiyi.core.notifications import notify
from huiyi.projects.services import create_project, update_project
from huiyi.rulebook.services import rulebook_for

from .catalogue import BASIC_SERVICES, FIVE_W_TWO_H, SERVICE_LABELS, confirmed_item_keys
from .clocks import KEY_STEP_RULES, rule_deadline
from .models import ClientComment, Discrepancy, Inquiry, KeyStep, RequirementItem, RequirementsRevision
from .queries import overdue_key_steps


def _first_contact(project) -> datetime:
    """The clock start of the key steps: the earliest inquiry of the project, else its creation."""
    received = project.inquiries.order_by("received_at").values_list("received_at", flat=True).first()
    return received or project.created_at


@transaction.atomic
def start_key_steps(project, *, started_at: datetime | None = None) -> list[KeyStep]:
    """Create the REQ-INT-02 clocks of a project (idempotent); due times from rules int.key_step.*."""
    rb = rulebook_for(project)
    start = started_at or _first_contact(project)
    steps = []
    for key, rule_id in KEY_STEP_RULES.items():
        deadline = rule_deadline(rb.rule(rule_id), start)
        step, created = KeyStep.objects.get_or_create(
            project=project,
            key=key,
            defaults={"started_at": start, "due_at": deadline.due, "due_confirmed": deadline.confirmed},
        )
        if not created and step.completed_at is None and step.started_at != start:
            # An inquiry attached later moves an open clock back to the real first contact.
            step.started_at, step.due_at, step.due_confirmed = start, deadline.due, deadline.confirmed
            step.full_clean()
            step.save()
        steps.append(step)
    return steps


@transaction.atomic
def complete_key_step(project, key: str, *, at: datetime | None = None, by=None) -> KeyStep:
    """Mark key step `key` of `project` done (idempotent: the first completion is kept).

    Keys: "initial_survey", "plan_recommendation", "service_agreement". Planning calls it when a plan
    version is first sent to the client, contracts when a contract is signed.
    """
    if key not in KEY_STEP_RULES:
        raise ValueError(f"unknown key step {key!r}")
    start_key_steps(project)
    step = KeyStep.objects.select_for_update().get(project=project, key=key)
    if step.completed_at is None:
        step.completed_at = at or timezone.now()
        step.completed_by = by
        step.full_clean()
        step.save()
    return step


# --- inquiries (REQ-INT-01) ---------------------------------------------------------------------------

CONTACT_STEPS = ("identify_client", "classify_request", "capability_match", "next_appointment")
STEP_FIELDS = {
    "identify_client": "client_identified_at",
    "classify_request": "request_classified_at",
    "capability_match": "capability_matched_at",
    "next_appointment": "next_appointment_agreed_at",
}


@transaction.atomic
def create_inquiry(
    *, by, client=None, new_client: dict | None = None, at: datetime | None = None, **fields
) -> Inquiry:
    """Record a first contact: an existing client, or a new one created through the clients app.

    The receipt time is now (`at` only for imports and the demo): the step durations are measured from it.
    """
    if client is None and new_client:
        values = {"org_unit": by.org_unit, **new_client}
        client = create_client(created_by=by, **values)
    if client is None:
        raise ValidationError({"client": _("Choose a client or enter a new one.")})
    inquiry = Inquiry(
        client=client,
        org_unit=fields.pop("org_unit", None) or by.org_unit or client.org_unit,
        account_manager=fields.pop("account_manager", None) or by,
        received_at=at or timezone.now(),
        created_by=by,
        **fields,
    )
    inquiry.full_clean()
    inquiry.save()
    return inquiry


def next_contact_step(inquiry: Inquiry) -> str | None:
    for step in CONTACT_STEPS:
        if getattr(inquiry, STEP_FIELDS[step]) is None:
            return step
    return None


@transaction.atomic
def record_contact_step(inquiry: Inquiry, step: str, *, by, at: datetime | None = None, **data) -> Inquiry:
    """Complete the next initial-contact step; its time is the moment of the click (`at` for the demo).

    identify_client: credentials_note · classify_request: classification · capability_match: capability_ok
    (and capability_note) · next_appointment: next_appointment (and next_appointment_note).
    """
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    expected = next_contact_step(inquiry)
    if step not in CONTACT_STEPS:
        raise ValidationError({"step": _("Unknown step.")})
    if expected is None or CONTACT_STEPS.index(step) < CONTACT_STEPS.index(expected):
        raise ValidationError({"step": _("This step has been recorded already.")})
    if step != expected:
        raise ValidationError({"step": _("Complete the earlier steps first.")})
    required = {
        "identify_client": ("credentials_note", _("Say how the client and its credentials were verified.")),
        "classify_request": ("classification", _("Classify the request.")),
        "capability_match": ("capability_ok", _("Say whether we can serve this request.")),
        "next_appointment": ("next_appointment", _("Give the date and time of the next appointment.")),
    }
    field, message = required[step]
    if data.get(field) in (None, ""):
        raise ValidationError({field: message})
    allowed = {
        "identify_client": {"credentials_note"},
        "classify_request": {"classification"},
        "capability_match": {"capability_ok", "capability_note"},
        "next_appointment": {"next_appointment", "next_appointment_note"},
    }[step]
    for name, value in data.items():
        if name in allowed:
            setattr(inquiry, name, value)
    moment = at or timezone.now()
    previous = (
        inquiry.received_at
        if step == CONTACT_STEPS[0]
        else getattr(inquiry, STEP_FIELDS[CONTACT_STEPS[CONTACT_STEPS.index(step) - 1]])
    )
    setattr(inquiry, STEP_FIELDS[step], max(moment, previous))
    inquiry.full_clean()
    inquiry.save()
    return inquiry


def _require_contact_done(inquiry: Inquiry) -> None:
    if next_contact_step(inquiry) is not None:
        raise ValidationError({"step": _("Finish the four initial-contact steps first.")})
    if inquiry.capability_ok is False:
        raise ValidationError(
            {"capability_ok": _("We cannot serve this request; it cannot become a project.")}
        )
    if inquiry.project_id:
        raise ValidationError({"project": _("This inquiry already belongs to a project.")})


@transaction.atomic
def convert_inquiry(inquiry: Inquiry, *, by, **project_fields):
    """Turn an inquiry into a meeting project; the inquiry keeps the link and starts the key-step clocks."""
    from huiyi.accounts.models import Role

    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    _require_contact_done(inquiry)
    project_fields.setdefault("org_unit", inquiry.org_unit)
    role = Role.objects.filter(key="account_manager").first()
    members = [(inquiry.account_manager, role)] if role else []
    project = create_project(created_by=by, client=inquiry.client, members=members, **project_fields)
    inquiry.project = project
    inquiry.save(update_fields=["project", "updated_at"])
    start_key_steps(project, started_at=inquiry.received_at)
    return project


@transaction.atomic
def attach_inquiry(inquiry: Inquiry, project, *, by) -> Inquiry:
    """Attach an inquiry to an existing project of the same client (a repeat contact)."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    _require_contact_done(inquiry)
    if project.client_id != inquiry.client_id:
        raise ValidationError({"project": _("The project belongs to another client.")})
    inquiry.project = project
    inquiry.full_clean()
    inquiry.save()
    start_key_steps(project)
    return inquiry


# --- requirements list (REQ-INT-03…07) ----------------------------------------------------------------

LINK_PURPOSE = "intake.requirements_confirmation"
REVISION_FIELDS = (
    "services",
    "custom_services",
    "budget",
    "payment_schedule",
    "advance_amount",
    "advance_due",
    "balance_amount",
    "balance_due",
    "payment_method",
    "refund_window_days",
    "refund_non_refundable_share",
    "refund_notes",
)
ITEM_FIELDS = ("text", "flag", "purpose", "completion", "unclear")
BASIC_FIELDS = ("name", "start", "end", "address", "venue_name", "venue_type", "expected_attendees")


def refund_defaults(project) -> dict:
    """The refund policy a new list starts with, from rules int.refund.* of the project's rulebook."""
    rb = rulebook_for(project)
    return {
        "refund_window_days": int(rb.value("int.refund.late_cancellation_window")),
        "refund_non_refundable_share": Decimal(str(rb.value("int.refund.late_cancellation_non_refundable"))),
    }


def _validate_payment(revision: RequirementsRevision) -> None:
    errors = {}
    if revision.payment_schedule == RequirementsRevision.PaymentSchedule.ADVANCE_BALANCE:
        for name in ("advance_amount", "advance_due", "balance_amount", "balance_due"):
            if getattr(revision, name) in (None, ""):
                errors[name] = _("Required for an advance and balance schedule.")
        if revision.advance_due and revision.balance_due and revision.balance_due < revision.advance_due:
            errors["balance_due"] = _("The balance cannot be due before the advance.")
        if (
            revision.budget is not None
            and revision.advance_amount is not None
            and revision.balance_amount is not None
            and revision.advance_amount + revision.balance_amount > revision.budget
        ):
            errors["balance_amount"] = _("Advance and balance together exceed the fixed budget.")
    unknown = [s for s in revision.services if s not in SERVICE_LABELS]
    if unknown:
        errors["services"] = _("Unknown service: %(keys)s") % {"keys": ", ".join(map(str, unknown))}
    if errors:
        raise ValidationError(errors)


def _revoke_open_links(revision: RequirementsRevision) -> None:
    from django.contrib.contenttypes.models import ContentType

    from huiyi.core.models import AccessLink

    AccessLink.objects.filter(
        purpose=LINK_PURPOSE,
        content_type=ContentType.objects.get_for_model(RequirementsRevision),
        object_id=str(revision.pk),
        used_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=timezone.now())


@transaction.atomic
def save_requirements(
    project, *, by, basic: dict | None = None, values: dict | None = None, items: dict | None = None
) -> RequirementsRevision:
    """Save the requirements list: a draft is edited in place; a confirmed one gets a new revision.

    `basic` changes the project's basic information (REQ-INT-03), `values` the services, budget and
    payment terms, `items` the 5W2H items ({key: {text, flag, purpose, completion, unclear}}). Editing a
    list that was sent withdraws its open links (the client must confirm what is current). The first save
    completes key step "initial_survey". Invalid input raises ValidationError and saves nothing.
    """
    values, items = dict(values or {}), dict(items or {})
    if basic:
        start, end = basic.get("start", project.start), basic.get("end", project.end)
        if start and end and end <= start:
            raise ValidationError({"end": _("The meeting must end after it starts.")})
        try:
            update_project(project, **{k: v for k, v in basic.items() if k in BASIC_FIELDS})
        except ValidationError as error:
            raise ValidationError(error.message_dict) from None
    current = (
        RequirementsRevision.objects.select_for_update().filter(project=project).order_by("-number").first()
    )
    first_save = current is None
    if current is None or current.is_confirmed:
        revision = _new_revision(project, current, by)
    else:
        revision = current
        if revision.status == RequirementsRevision.Status.SENT:
            _revoke_open_links(revision)
            revision.status = RequirementsRevision.Status.DRAFT
    for name in REVISION_FIELDS:
        if name in values:
            setattr(revision, name, values[name])
    if revision.payment_schedule == RequirementsRevision.PaymentSchedule.MONTHLY:
        revision.advance_amount = revision.advance_due = revision.balance_amount = revision.balance_due = None
    revision.full_clean(exclude=["project"])
    _validate_payment(revision)
    revision.save()
    existing = {item.key: item for item in revision.items.all()}
    item_errors = {}
    for key in FIVE_W_TWO_H:
        item = existing.get(key) or RequirementItem(revision=revision, key=key)
        for name in ITEM_FIELDS:
            if name in (items.get(key) or {}):
                setattr(item, name, items[key][name])
        try:
            item.full_clean(exclude=["revision"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                item_errors[f"{key}.{name}"] = messages
            continue
        item.save()
    if item_errors:
        raise ValidationError(item_errors)
    if first_save:
        complete_key_step(project, "initial_survey", by=by)
    return revision


def _new_revision(project, previous: RequirementsRevision | None, by) -> RequirementsRevision:
    if previous is None:
        revision = RequirementsRevision(
            project=project,
            number=1,
            created_by=by,
            services=list(BASIC_SERVICES),
            **refund_defaults(project),
        )
        revision.save()
        return revision
    revision = RequirementsRevision(project=project, number=previous.number + 1, created_by=by)
    for name in REVISION_FIELDS:
        setattr(revision, name, getattr(previous, name))
    revision.save()
    RequirementItem.objects.bulk_create(
        RequirementItem(revision=revision, key=item.key, **{n: getattr(item, n) for n in ITEM_FIELDS})
        for item in previous.items.all()
    )
    return revision


@transaction.atomic
def send_for_confirmation(revision: RequirementsRevision, *, by, recipient: str = "", lifetime=None):
    """Issue a signed, expiring, single-use link for the client; returns (link, token)."""
    revision = RequirementsRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.is_confirmed:
        raise ValidationError({"status": _("This revision is confirmed already.")})
    latest = RequirementsRevision.objects.filter(project=revision.project).order_by("-number").first()
    if latest.pk != revision.pk:
        raise ValidationError({"status": _("Only the current revision can be sent.")})
    _revoke_open_links(revision)
    link, token = links.issue(LINK_PURPOSE, revision, created_by=by, lifetime=lifetime, recipient=recipient)
    revision.status = RequirementsRevision.Status.SENT
    revision.save(update_fields=["status", "updated_at"])
    return link, token


def revision_for_token(token: str) -> RequirementsRevision:
    """The revision a live link points to (raises a LinkError otherwise). Changes nothing."""
    link = links.resolve(token, LINK_PURPOSE)
    return RequirementsRevision.objects.select_related("project", "project__client").get(pk=link.object_id)


def _tell_account_managers(project, title: str, body: str, dedupe_key: str) -> None:
    url = reverse("projects:detail", args=[project.pk])
    for user in account_managers(project):
        notify(user, title, body=body, url=url, kind="intake", dedupe_key=f"{dedupe_key}-{user.pk}")


def account_managers(project) -> list:
    """Who answers for the project's requirements: its account managers, else whoever took its inquiry."""
    from huiyi.accounts.models import User

    members = list(
        User.objects.filter(project_memberships__project=project)
        .filter(project_memberships__role__key="account_manager")
        .distinct()
    )
    if members:
        return members
    return list(User.objects.filter(inquiries__project=project).distinct())


@transaction.atomic
def confirm_requirements(token: str, *, name: str, address: str = "") -> RequirementsRevision:
    """The client confirms the list through the link, typing their name (REQ-INT-07)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Type your name to confirm.")})
    link = links.consume(token, LINK_PURPOSE, note=f"confirmed by {name}", address=address)
    revision = RequirementsRevision.objects.select_for_update().get(pk=link.object_id)
    revision.status = RequirementsRevision.Status.CONFIRMED
    revision.confirmed_at = link.used_at
    revision.confirmed_by_name = name[:100]
    revision.confirmed_address = address[:64]
    revision.confirmation_link = link
    revision.full_clean()
    revision.save()
    _tell_account_managers(
        revision.project,
        _("Requirements list confirmed by the client"),
        _("%(name)s confirmed revision %(number)s of the requirements list of %(project)s.")
        % {"name": name, "number": revision.number, "project": revision.project},
        f"intake-confirmed-{revision.pk}",
    )
    return revision


@transaction.atomic
def comment_requirements(token: str, *, name: str, text: str, address: str = "") -> ClientComment:
    """The client comments instead of confirming: the link is used, the list goes back to draft."""
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Type your name.")
    if not (text or "").strip():
        errors["text"] = _("Write your comment.")
    if errors:
        raise ValidationError(errors)
    link = links.consume(token, LINK_PURPOSE, note=f"comment by {name.strip()}", address=address)
    revision = RequirementsRevision.objects.select_for_update().get(pk=link.object_id)
    comment = ClientComment(
        revision=revision, name=name.strip()[:100], text=text.strip(), address=address[:64]
    )
    comment.link = link
    comment.full_clean()
    comment.save()
    revision.status = RequirementsRevision.Status.DRAFT
    revision.save(update_fields=["status", "updated_at"])
    _tell_account_managers(
        revision.project,
        _("The client commented on the requirements list"),
        comment.text,
        f"intake-comment-{comment.pk}",
    )
    return comment


@transaction.atomic
def record_discrepancy(project, *, item: str, description: str, by, found_at: datetime | None = None):
    """Record a difference found after confirmation against the confirmed revision (REQ-INT-07)."""
    revision = (
        RequirementsRevision.objects.filter(project=project, status=RequirementsRevision.Status.CONFIRMED)
        .order_by("-number")
        .first()
    )
    if revision is None:
        raise ValidationError({"item": _("The requirements list has not been confirmed yet.")})
    if item not in confirmed_item_keys(revision):
        raise ValidationError({"item": _("Choose an item of the confirmed list.")})
    found_at = found_at or timezone.now()
    if found_at < revision.confirmed_at:
        raise ValidationError({"found_at": _("A discrepancy is found after the confirmation.")})
    discrepancy = Discrepancy(
        revision=revision,
        item=item,
        description=(description or "").strip(),
        found_by=by,
        found_at=found_at,
        created_by=by,
    )
    discrepancy.full_clean()
    discrepancy.save()
    return discrepancy


# --- key-step overdue notices (REQ-INT-02) -------------------------------------------------------------


def notify_overdue_key_steps(now: datetime | None = None) -> int:
    """Tell each overdue key step's account managers once; returns how many steps were reported."""
    now = now or timezone.now()
    reported = 0
    for step in overdue_key_steps(now):
        with transaction.atomic():
            locked = KeyStep.objects.select_for_update().get(pk=step.pk)
            if locked.overdue_notified_at or locked.completed_at:
                continue
            _tell_account_managers(
                step.project,
                _("Key step overdue: %(step)s") % {"step": step.get_key_display()},
                _("%(project)s: %(step)s was due %(due)s.")
                % {
                    "project": step.project,
                    "step": step.get_key_display(),
                    "due": timezone.localtime(step.due_at).strftime("%Y-%m-%d %H:%M"),
                },
                f"intake-keystep-overdue-{step.pk}",
            )
            locked.overdue_notified_at = now
            locked.save(update_fields=["overdue_notified_at", "updated_at"])
            reported += 1
    return reported
