"""State changes of contracts, change requests and breaches (REQ-CON-01…05).

Each business action is one function in one transaction; every record is validated with full_clean and
lands in the audit trail (registered in apps.py; events the trail cannot see are recorded explicitly).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.calendar.services import due
from huiyi.core import links
from huiyi.core.audit import record_event
from huiyi.core.files import file_facts, safe_name, sniffed_type
from huiyi.core.notifications import notify
from huiyi.quality import formulas
from huiyi.rulebook.display import format_value
from huiyi.rulebook.services import rulebook_for

from .models import SCOPE_FIELDS, Breach, ChangeRequest, Contract, PaymentLine, QualityStandard, Stage

LEAD_TIME_RULE = "con.change_request.lead_time"
COST_COEFFICIENT_RULE = "con.change_cost_coefficient"
RETENTION_RULE = "con.retention.external_contract"
QUALITY_RULE_PREFIX = "con.quality."
BREACH_METRIC = "breach_class"
CLIENT_LINK_PURPOSE = "contracts.change_request"

CONTRACT_FIELDS = (
    "title",
    "client_representative",
    "scope_preparation",
    "scope_onsite",
    "scope_in_meeting",
    "scope_post_meeting",
    "acceptance_basis",
    "value",
)


def _require(user, permission: str, obj, message: str) -> None:
    if user is None or not user.has_perm(permission, obj):
        raise PermissionDenied(message)


# --------------------------------------------------------------------------------------------------
# Rulebook look-ups


def standards_from_rulebook(project) -> list[dict]:
    """The quality standards a new contract starts with: every con.quality.* rule with its value shown."""
    rulebook = rulebook_for(project)
    return [
        {
            "rule_id": rule.id,
            "name": rule.name.as_dict(),
            "target": {key: format_value(rule, key) for key in ("zh-hans", "en")},
            "acceptance_point": "",
        }
        for rule in rulebook.rules
        if rule.id.startswith(QUALITY_RULE_PREFIX)
    ]


def breach_classes(project) -> list:
    """The breach classes of the project's rulebook (con.breach.*), most severe first."""
    rules = rulebook_for(project).rules_where(metric=BREACH_METRIC, kind="level")
    return sorted(rules, key=lambda rule: rule.value)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def retention_until(project) -> date:
    """REQ-CON-05: kept for the rulebook's retention period from the meeting's end."""
    years = rulebook_for(project).value(RETENTION_RULE)
    return _add_years(timezone.localtime(project.end).date(), int(years))


def meeting_days(project) -> int:
    """Calendar days the meeting runs (local dates, both ends counted)."""
    start, end = timezone.localtime(project.start).date(), timezone.localtime(project.end).date()
    return (end - start).days + 1


# --------------------------------------------------------------------------------------------------
# Contracts


def _next_number(project) -> str:
    year = timezone.localtime(project.start).year
    return f"HT-{project.code}" if project.code else f"HT-{year}-{project.pk}"


def _save_payments(contract: Contract, payments: list[dict]) -> None:
    total = Decimal("0")
    errors = []
    lines = []
    for index, row in enumerate(payments, start=1):
        line = PaymentLine(contract=contract, position=index, **row)
        try:
            line.full_clean(exclude=["contract"])
        except ValidationError as error:
            messages = "; ".join(f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items())
            errors.append(_("Payment line %(n)s: %(messages)s") % {"n": index, "messages": messages})
            continue
        total += line.amount
        lines.append(line)
    if errors:
        raise ValidationError({"payments": errors})
    if not lines:
        raise ValidationError({"payments": _("Add at least one payment line.")})
    if total != contract.value:
        raise ValidationError(
            {
                "payments": _(
                    "The payment lines add up to %(total)s but the contract value is %(value)s; "
                    "they must be equal."
                )
                % {"total": f"{total:,.2f}", "value": f"{contract.value:,.2f}"}
            }
        )
    contract.payments.all().delete()
    PaymentLine.objects.bulk_create(lines)


def _save_standards(contract: Contract, standards: list[dict]) -> None:
    rows = []
    for index, row in enumerate(standards, start=1):
        standard = QualityStandard(contract=contract, position=index, **row)
        standard.full_clean(exclude=["contract"])
        rows.append(standard)
    contract.standards.all().delete()
    QualityStandard.objects.bulk_create(rows)


@transaction.atomic
def create_contract(
    project, *, by, payments: list[dict], standards: list[dict] | None = None, **fields
) -> Contract:
    """A draft v1 for the project, with its quality standards prefilled from the rulebook (REQ-CON-01)."""
    _require(by, "contracts.change_contract", project, _("You may not draw up contracts for this project."))
    if Contract.objects.filter(project=project, status__in=["draft", "signed"]).exists():
        raise ValidationError(
            {"number": _("This project already has a contract; amend it by a change request.")}
        )
    unknown = set(fields) - set(CONTRACT_FIELDS) - {"number"}
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    fields.setdefault("number", "")
    if not fields["number"]:
        fields["number"] = _next_number(project)
    if not fields.get("title"):
        fields["title"] = _("Meeting services contract — %(project)s") % {"project": project.display_name}
    contract = Contract(
        project=project,
        client=project.client,
        version=1,
        created_by=by,
        retention_until=retention_until(project),
        **fields,
    )
    contract.full_clean()
    contract.save()
    _save_payments(contract, payments)
    _save_standards(contract, standards if standards is not None else standards_from_rulebook(project))
    return contract


@transaction.atomic
def update_draft(
    contract: Contract,
    *,
    by,
    payments: list[dict] | None = None,
    standards: list[dict] | None = None,
    **changes,
) -> Contract:
    _require(by, "contracts.change_contract", contract, _("You may not change this contract."))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not contract.is_draft:
        raise ValidationError(_("Only a draft can be edited; a signed contract changes by a change request."))
    unknown = set(changes) - set(CONTRACT_FIELDS) - {"number"}
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    for name, value in changes.items():
        setattr(contract, name, value)
    contract.retention_until = retention_until(contract.project)
    contract.full_clean()
    contract.save()
    if payments is not None:
        _save_payments(contract, payments)
    elif "value" in changes:
        _save_payments(contract, list(contract.payments.values("name", "due_date", "amount")))
    if standards is not None:
        _save_standards(contract, standards)
    return contract


ALLOWED_COPY_TYPES = ("application/pdf", "image/jpeg", "image/png")


@transaction.atomic
def attach_signed_copy(contract: Contract, upload, *, by) -> Contract:
    """Store the scanned, signed contract with its SHA-256, size and MIME type."""
    _require(by, "contracts.change_contract", contract, _("You may not change this contract."))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not contract.is_current:
        raise ValidationError({"signed_copy": _("This version is no longer in force.")})
    if contract.signed_copy and contract.status == Contract.Status.SIGNED:
        raise ValidationError({"signed_copy": _("The signed copy of a signed contract is kept as it is.")})
    facts = file_facts(upload)
    sha256, size = facts.sha256, facts.size
    if size == 0:
        raise ValidationError({"signed_copy": _("The file is empty.")})
    # The type is what the bytes are, not what the sender declares: HTML named .pdf is refused (issue 10).
    kind = sniffed_type(upload)
    mime = kind[0] if kind else ""
    if mime not in ALLOWED_COPY_TYPES:
        raise ValidationError({"signed_copy": _("Upload a PDF, JPEG or PNG scan of the signed contract.")})
    old = contract.signed_copy_sha256
    contract.signed_copy.save(safe_name(upload, facts), upload, save=False)
    contract.signed_copy_name = upload.name[:200]
    contract.signed_copy_sha256, contract.signed_copy_size, contract.signed_copy_mime = sha256, size, mime
    contract.full_clean()
    contract.save()
    record_event(contract, by, {"signed_copy_sha256": [old, sha256]})
    return contract


@transaction.atomic
def sign_contract(contract: Contract, *, by, signed_at: datetime | None = None) -> Contract:
    """Draft → signed; needs the signed copy and payment lines that add up (REQ-CON-01)."""
    _require(by, "contracts.change_contract", contract, _("You may not sign this contract."))
    contract = Contract.objects.select_for_update().select_related("project").get(pk=contract.pk)
    if not contract.is_draft:
        raise ValidationError(_("Only a draft can be signed."))
    if not contract.signed_copy:
        raise ValidationError(
            {"signed_copy": _("Upload the signed copy before marking the contract signed.")}
        )
    _save_payments(contract, list(contract.payments.values("name", "due_date", "amount")))
    contract.status = Contract.Status.SIGNED
    contract.signed_at = signed_at or timezone.now()
    contract.signed_by = by
    contract.retention_until = retention_until(contract.project)
    contract.full_clean()
    contract.save()
    from huiyi.projects.intake.services import complete_key_step

    complete_key_step(contract.project, "service_agreement", at=contract.signed_at, by=by)
    return contract


@transaction.atomic
def close_contract(contract: Contract, *, by) -> Contract:
    _require(by, "contracts.change_contract", contract, _("You may not close this contract."))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != Contract.Status.SIGNED:
        raise ValidationError(_("Only a signed contract in force can be closed."))
    contract.status = Contract.Status.CLOSED
    contract.closed_at = timezone.now()
    contract.full_clean()
    contract.save()
    return contract


@transaction.atomic
def delete_contract(contract: Contract, *, by, today: date | None = None) -> None:
    """A draft may go; a signed contract is kept for its retention period (REQ-CON-05)."""
    _require(by, "contracts.delete_contract", contract, _("You may not delete this contract."))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    today = today or timezone.localdate()
    if not contract.is_draft:
        keep_until = contract.retention_until or retention_until(contract.project)
        if today <= keep_until:
            raise ValidationError(
                _("This contract must be kept until %(date)s (retention of external service contracts).")
                % {"date": keep_until.isoformat()}
            )
    if contract.change_requests.exists() or contract.breaches.exists():
        raise ValidationError(_("Change requests or breaches refer to this contract; it is kept."))
    record_event(contract, by, {"deleted": [str(contract), ""]})
    if contract.signed_copy:
        contract.signed_copy.delete(save=False)
    contract.delete()


# --------------------------------------------------------------------------------------------------
# Change requests (REQ-CON-02/03)


def lead_time_check(project, submitted_at: datetime, affected_at: datetime) -> tuple[Decimal, Decimal, bool]:
    """(lead hours, required hours, late?): late when the affected date is before submitted + lead time."""
    required = Decimal(str(rulebook_for(project).value(LEAD_TIME_RULE)))
    deadline = due(submitted_at, hours=required)
    lead = Decimal((affected_at - submitted_at).total_seconds()) / Decimal(3600)
    return lead.quantize(Decimal("0.01")), required, affected_at < deadline.due


def extension_cost(contract: Contract, extension_days: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """(ratio, coefficient, cost impact) for a meeting extended by `extension_days` (REQ-CON-03)."""
    days = Decimal(meeting_days(contract.project))
    ratio = (Decimal(extension_days) / days).quantize(Decimal("0.000001"))
    coefficient = Decimal(str(rulebook_for(contract.project).value(COST_COEFFICIENT_RULE)))
    impact = formulas.change_cost_impact(contract.value, Decimal(extension_days) / days, coefficient)
    return ratio, coefficient, impact


def _current(contract: Contract) -> Contract:
    if contract.status != Contract.Status.SIGNED:
        raise ValidationError(_("Changes are requested against the signed contract in force."))
    return contract


@transaction.atomic
def submit_change_request(
    contract: Contract,
    *,
    by,
    kind: str,
    description: str,
    affected_at: datetime | None,
    extension_days: Decimal | None = None,
    cost_impact: Decimal | None = None,
    scope_stage: str = "",
    scope_text: str = "",
    submitted_at: datetime | None = None,
) -> ChangeRequest:
    """Record a written change request; late flag and cost impact are computed, never typed."""
    _require(by, "contracts.change_contract", contract, _("You may not request changes to this contract."))
    contract = _current(Contract.objects.select_for_update().select_related("project").get(pk=contract.pk))
    submitted_at = submitted_at or timezone.now()
    errors = {}
    if affected_at is None:
        errors["affected_at"] = _("Give the date the change takes effect.")
    elif affected_at <= submitted_at:
        errors["affected_at"] = _("The affected date must be after the request is submitted.")
    if extension_days is not None and extension_days <= 0:
        errors["extension_days"] = _("An extension is more than zero days.")
    if extension_days is None and cost_impact is None:
        errors["cost_impact"] = _("Give the cost impact (0 when the change costs nothing).")
    if cost_impact is not None and cost_impact < 0:
        errors["cost_impact"] = _("The cost impact cannot be negative.")
    if bool(scope_stage) != bool(scope_text.strip()):
        errors["scope_text" if scope_stage else "scope_stage"] = _("Give both the stage and its new scope.")
    if errors:
        raise ValidationError(errors)
    lead, required, late = lead_time_check(contract.project, submitted_at, affected_at)
    ratio = coefficient = None
    if extension_days is not None:
        ratio, coefficient, cost_impact = extension_cost(contract, extension_days)
    sequence = (
        ChangeRequest.objects.filter(contract__project=contract.project).aggregate(n=Max("sequence"))["n"]
        or 0
    ) + 1
    change = ChangeRequest(
        contract=contract,
        sequence=sequence,
        kind=kind,
        description=description,
        affected_at=affected_at,
        submitted_at=submitted_at,
        lead_hours=lead,
        required_lead_hours=required,
        is_late=late,
        extension_days=extension_days,
        extension_ratio=ratio,
        cost_coefficient=coefficient,
        cost_impact=cost_impact,
        cost_from_formula=extension_days is not None,
        scope_stage=scope_stage,
        scope_text=scope_text.strip(),
        created_by=by,
    )
    change.full_clean()
    change.save()
    if late:
        for member in contract.project.members.filter(role__key__in=("project_director", "project_manager")):
            notify(
                member.user,
                _("Late change request %(code)s") % {"code": change.code},
                body=_(
                    "Submitted %(hours)s h before the affected date; the contract asks for %(required)s h."
                )
                % {"hours": lead, "required": required},
                url=reverse("contracts:detail", args=[contract.pk]),
                dedupe_key=f"contracts.late_change.{change.pk}.{member.user_id}",
            )
    return change


def _pending(change: ChangeRequest) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().select_related("contract__project").get(pk=change.pk)
    if change.status != ChangeRequest.Status.PENDING:
        raise ValidationError(
            _("This change request is already settled (%(status)s).")
            % {"status": change.get_status_display()}
        )
    return change


@transaction.atomic
def approve_change_request(change: ChangeRequest, *, by) -> ChangeRequest:
    """Our side confirms: the project director or manager (REQ-CON-02)."""
    _require(
        by,
        "contracts.approve_changerequest",
        change,
        _("Only the project director or manager approves changes."),
    )
    change = _pending(change)
    if change.approved_at is not None:
        raise ValidationError(_("Our side has already approved this change."))
    change.approved_at = timezone.now()
    change.approved_by = by
    change.full_clean()
    change.save()
    return _amend_if_confirmed(change, by=by)


def issue_client_link(change: ChangeRequest, *, by, lifetime: timedelta | None = None) -> str:
    """A signed, single-use link the client opens to confirm or decline the change; returns the token."""
    _require(by, "contracts.change_contract", change, _("You may not send this change to the client."))
    if change.status != ChangeRequest.Status.PENDING or change.client_confirmed_at is not None:
        raise ValidationError(_("The client has nothing left to confirm on this change."))
    _link, token = links.issue(CLIENT_LINK_PURPOSE, change, created_by=by, lifetime=lifetime)
    return token


def change_for_token(token: str) -> ChangeRequest:
    """The change request behind a client link (raises links.LinkError); changes nothing."""
    link = links.resolve(token, CLIENT_LINK_PURPOSE)
    return ChangeRequest.objects.select_related("contract__project", "contract__client").get(
        pk=link.object_id
    )


@transaction.atomic
def confirm_by_client_link(token: str, *, name: str, address: str = "") -> ChangeRequest:
    """The client confirms through the link: who, when and from where are kept (REQ-CON-02)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Type your name to confirm.")})
    link = links.resolve(token, CLIENT_LINK_PURPOSE, for_update=True)
    change = _pending(ChangeRequest.objects.get(pk=link.object_id))
    links.consume(token, CLIENT_LINK_PURPOSE, note=f"confirmed by {name}", address=address)
    return _client_confirms(change, name=name, channel=ChangeRequest.ClientChannel.LINK, recorded_by=None)


@transaction.atomic
def decline_by_client_link(token: str, *, name: str, reason: str, address: str = "") -> ChangeRequest:
    name, reason = (name or "").strip(), (reason or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Type your name.")
    if not reason:
        errors["reason"] = _("Tell us why you decline the change.")
    if errors:
        raise ValidationError(errors)
    link = links.resolve(token, CLIENT_LINK_PURPOSE, for_update=True)
    change = _pending(ChangeRequest.objects.get(pk=link.object_id))
    links.consume(token, CLIENT_LINK_PURPOSE, note=f"declined by {name}", address=address)
    change.status = ChangeRequest.Status.REJECTED
    change.rejected_at = timezone.now()
    change.rejection_reason = _("Declined by the client (%(name)s): %(reason)s") % {
        "name": name,
        "reason": reason,
    }
    change.full_clean()
    change.save()
    return change


@transaction.atomic
def record_client_confirmation(change: ChangeRequest, *, by, client_name: str) -> ChangeRequest:
    """Our staff record the client's confirmation given in writing or in person, with the client's name."""
    _require(by, "contracts.change_contract", change, _("You may not record the client's confirmation."))
    client_name = (client_name or "").strip()
    if not client_name:
        raise ValidationError({"client_name": _("Name the client's person who confirmed the change.")})
    change = _pending(change)
    return _client_confirms(
        change, name=client_name, channel=ChangeRequest.ClientChannel.RECORDED, recorded_by=by
    )


def _client_confirms(change: ChangeRequest, *, name: str, channel: str, recorded_by) -> ChangeRequest:
    if change.client_confirmed_at is not None:
        raise ValidationError(_("The client has already confirmed this change."))
    change.client_confirmed_at = timezone.now()
    change.client_confirmed_name = name[:100]
    change.client_channel = channel
    change.client_recorded_by = recorded_by
    change.full_clean()
    change.save()
    record_event(change, recorded_by, {"client_confirmed_by": ["", f"{name} ({channel})"]})
    return _amend_if_confirmed(change, by=recorded_by or change.approved_by)


@transaction.atomic
def reject_change_request(change: ChangeRequest, *, by, reason: str) -> ChangeRequest:
    _require(
        by,
        "contracts.approve_changerequest",
        change,
        _("Only the project director or manager rejects changes."),
    )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for rejecting the change.")})
    change = _pending(change)
    change.status = ChangeRequest.Status.REJECTED
    change.rejected_at = timezone.now()
    change.rejection_reason = reason.strip()
    change.full_clean()
    change.save()
    return change


def _amend_if_confirmed(change: ChangeRequest, *, by) -> ChangeRequest:
    if not change.both_confirmed:
        return change
    new_version = amend_contract(change, by=by)
    change.status = ChangeRequest.Status.APPLIED
    change.resulting_version = new_version
    change.full_clean()
    change.save()
    for member in change.contract.project.members.filter(
        role__key__in=("project_director", "project_manager")
    ):
        notify(
            member.user,
            _("Contract amended: %(contract)s") % {"contract": str(new_version)},
            body=change.description[:300],
            url=reverse("contracts:detail", args=[new_version.pk]),
            dedupe_key=f"contracts.amended.{new_version.pk}.{member.user_id}",
        )
    return change


def amend_contract(change: ChangeRequest, *, by) -> Contract:
    """A new version: a copy of the version in force with the change applied; the old one is kept."""
    old = Contract.objects.select_for_update().get(pk=change.contract_id)
    if old.status != Contract.Status.SIGNED:
        raise ValidationError(_("Only the signed contract in force can be amended."))
    new = Contract(
        project=old.project,
        number=old.number,
        version=old.version + 1,
        previous=old,
        client=old.client,
        created_by=by,
        status=Contract.Status.SIGNED,
        signed_at=timezone.now(),
        signed_by=change.approved_by,
        retention_until=retention_until(old.project),
        **{name: getattr(old, name) for name in CONTRACT_FIELDS},
    )
    new.value = old.value + change.cost_impact
    if change.scope_stage:
        setattr(new, SCOPE_FIELDS[Stage(change.scope_stage)], change.scope_text)
    note = _("%(code)s (%(kind)s): %(description)s") % {
        "code": change.code,
        "kind": change.get_kind_display(),
        "description": change.description,
    }
    new.amendment_note = "\n".join(filter(None, [old.amendment_note, note]))
    new.full_clean()
    old.status = Contract.Status.AMENDED
    old.save(update_fields=["status", "updated_at"])
    new.save()
    payments = list(old.payments.values("name", "due_date", "amount"))
    if change.cost_impact:
        payments.append(
            {
                "name": _("Additional payment for %(code)s") % {"code": change.code},
                "due_date": timezone.localtime(change.affected_at).date(),
                "amount": change.cost_impact,
            }
        )
    _save_payments(new, payments)
    _save_standards(new, list(old.standards.values("rule_id", "name", "target", "acceptance_point")))
    return new


# --------------------------------------------------------------------------------------------------
# Breaches (REQ-CON-04)


@transaction.atomic
def record_breach(
    contract: Contract,
    *,
    by,
    breach_class: str,
    description: str,
    occurred_at: datetime,
    responsibility: str,
    remedy_measures: str,
    remedy_deadline: date,
    refund_ratio: Decimal | None = None,
    remedy_amount: Decimal | None = None,
) -> Breach:
    """A breach with its class from the rulebook and the remedy agreed (measures, deadline, amount)."""
    _require(by, "contracts.change_contract", contract, _("You may not record breaches of this contract."))
    contract = Contract.objects.select_related("project").get(pk=contract.pk)
    if contract.is_draft:
        raise ValidationError(
            _("A draft is not yet binding; breaches are recorded against a signed contract.")
        )
    classes = {rule.level_code: rule for rule in breach_classes(contract.project)}
    errors = {}
    if breach_class not in classes:
        errors["breach_class"] = _("Choose a breach class of the rulebook.")
    if refund_ratio is not None and not (0 <= refund_ratio <= 1):
        errors["refund_ratio"] = _(
            "A proportional refund lies between 0 and 100 percent of the contract value."
        )
    if refund_ratio is None and remedy_amount is None:
        errors["remedy_amount"] = _("Give the refund proportion or the remedy amount.")
    if errors:
        raise ValidationError(errors)
    if refund_ratio is not None:
        remedy_amount = (contract.value * refund_ratio).quantize(Decimal("0.01"))
    if remedy_amount > contract.value:
        raise ValidationError({"remedy_amount": _("The remedy cannot exceed the contract value.")})
    breach = Breach(
        contract=contract,
        breach_class=breach_class,
        rule_id=classes[breach_class].id,
        description=description,
        occurred_at=occurred_at,
        responsibility=responsibility,
        refund_ratio=refund_ratio,
        remedy_amount=remedy_amount,
        remedy_measures=remedy_measures,
        remedy_deadline=remedy_deadline,
        created_by=by,
    )
    breach.full_clean()
    breach.save()
    return breach


@transaction.atomic
def update_remedy_status(breach: Breach, *, by, status: str) -> Breach:
    _require(by, "contracts.change_contract", breach, _("You may not change this remedy."))
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    if status not in Breach.RemedyStatus.values:
        raise ValidationError({"remedy_status": _("Unknown status.")})
    breach.remedy_status = status
    breach.remedy_completed_at = timezone.now() if status == Breach.RemedyStatus.COMPLETED else None
    breach.full_clean()
    breach.save()
    return breach
