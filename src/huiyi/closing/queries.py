"""Reads of the closing records, and the figures measured from them (one function per figure).

The metrics (``metrics.py``), the pages, the API and the summary report all read the figures here, so a
number is computed in one place. Thresholds come from the project's pinned rulebook.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from huiyi.calendar import services as calendar
from huiyi.contracts.models import Contract
from huiyi.quality import formulas
from huiyi.rulebook.loader import Rule, Rulebook
from huiyi.rulebook.services import rulebook_for

from . import checklist
from .models import ArchiveItem, LostItem, ServiceEvaluation, Settlement, SiteCheck, SummaryReport

EVALUATION_GROUP = "service_evaluation_items"
EVALUATION_SCALE_METRIC = "evaluation_item_score"
GOAL_METRIC = "goal_attainment_score"
ARCHIVE_DEADLINE_METRIC = "archive_time"

# The metric keys of CCP 10 (settlement) as the rulebook names them.
SETTLEMENT_DEVIATION = "settlement_deviation"
INVOICE_ACCURACY = "invoice_accuracy_rate"
PAYMENT_ON_TIME = "payment_on_time_rate"
FEE_DISPUTES = "fee_dispute_count"


def first_rule(rulebook: Rulebook, metric: str) -> Rule | None:
    found = rulebook.rules_where(metric=metric)
    return found[0] if found else None


def verdict(rule: Rule | None, value: Decimal | None) -> str:
    """ "pass", "fail" or "" (not measured / no rule)."""
    if rule is None or value is None or rule.value is None:
        return ""
    return "pass" if rule.passes(value) else "fail"


# -- settlement --------------------------------------------------------------------------------------------


def settlement_contract(project) -> Contract | None:
    """The signed contract in force: its latest signed (or closed) version, amendments included."""
    return (
        Contract.objects.filter(project=project, status__in=[Contract.Status.SIGNED, Contract.Status.CLOSED])
        .prefetch_related("payments")
        .order_by("-version")
        .first()
    )


def settlement_of(project) -> Settlement | None:
    return (
        Settlement.objects.filter(project=project)
        .prefetch_related("invoices", "payments", "disputes")
        .first()
    )


@dataclass
class SettlementFigures:
    settlement: Settlement | None
    contract: Contract | None
    value: Decimal | None
    value_source: str  # "contract", "agreed" or ""
    final_amount: Decimal | None
    deviation: Decimal | None
    invoices: list = field(default_factory=list)
    invoices_correct: int = 0
    invoice_accuracy: Decimal | None = None
    payments: list = field(default_factory=list)
    payments_counted: int = 0
    payments_on_time: int = 0
    on_time_rate: Decimal | None = None
    disputes: list = field(default_factory=list)
    open_disputes: int = 0
    rules: dict[str, Rule | None] = field(default_factory=dict)

    def verdict(self, metric: str) -> str:
        values = {
            SETTLEMENT_DEVIATION: self.deviation,
            INVOICE_ACCURACY: self.invoice_accuracy,
            PAYMENT_ON_TIME: self.on_time_rate,
            FEE_DISPUTES: Decimal(len(self.disputes)) if self.settlement else None,
        }
        return verdict(self.rules.get(metric), values.get(metric))


def payment_counts(payment, today: dt.date) -> bool:
    """A payment counts for the on-time rate once it is paid or its due date has passed."""
    return payment.is_paid or payment.due_date < today


def settlement_figures(
    project, rulebook: Rulebook | None = None, today: dt.date | None = None
) -> SettlementFigures:
    rulebook = rulebook or rulebook_for(project)
    today = today or timezone.localdate()
    settlement = settlement_of(project)
    contract = settlement_contract(project)
    if contract is not None:
        value, source = contract.value, "contract"
    elif settlement is not None and settlement.agreed_value is not None:
        value, source = settlement.agreed_value, "agreed"
    else:
        value, source = None, ""
    final = settlement.final_amount if settlement else None
    deviation = abs(final - value) / value if final is not None and value else None
    invoices = list(settlement.invoices.all()) if settlement else []
    payments = list(settlement.payments.all()) if settlement else []
    disputes = list(settlement.disputes.all()) if settlement else []
    correct = sum(1 for i in invoices if i.correct)
    counted = [p for p in payments if payment_counts(p, today)]
    on_time = sum(1 for p in counted if p.on_time)
    return SettlementFigures(
        settlement=settlement,
        contract=contract,
        value=value,
        value_source=source,
        final_amount=final,
        deviation=deviation,
        invoices=invoices,
        invoices_correct=correct,
        invoice_accuracy=formulas.ratio(correct, len(invoices), empty=None),
        payments=payments,
        payments_counted=len(counted),
        payments_on_time=on_time,
        on_time_rate=formulas.on_time_rate(on_time, len(counted), empty=None),
        disputes=disputes,
        open_disputes=sum(1 for d in disputes if d.resolved_at is None),
        rules={
            key: first_rule(rulebook, key)
            for key in (SETTLEMENT_DEVIATION, INVOICE_ACCURACY, PAYMENT_ON_TIME, FEE_DISPUTES)
        },
    )


# -- lost and found, site check ----------------------------------------------------------------------------


def lost_items(project):
    return LostItem.objects.filter(project=project).select_related("found_by").order_by("found_at", "pk")


def latest_site_check(project) -> SiteCheck | None:
    return SiteCheck.objects.filter(project=project).select_related("checked_by").first()


def site_check_rows(check: SiteCheck | None) -> list[tuple[str, Any, bool | None]]:
    answers = {i["key"]: i["ok"] for i in (check.items if check else [])}
    return [(key, label, answers.get(key)) for key, label in checklist.SITE_CHECK_ITEMS]


def sweep_done(check: SiteCheck | None) -> bool:
    return bool(check) and any(i["key"] == checklist.SWEEP_ITEM and i["ok"] for i in check.items)


# -- archive (REQ-DOC-03) ----------------------------------------------------------------------------------


@dataclass
class ArchiveStatus:
    """CCP 11 archive completeness (REQ-DOC-03), read from both places a record can be archived: the archive
    checklist (paper records ticked with their time) and the document register (a document of the record's
    type with a version, at the time of its first version). Each required phase output of the rulebook that
    no checklist record stands for is a row of its own (``outputs``), present only as a filed document."""

    items: list[ArchiveItem]
    rule: Rule | None
    deadline: dt.datetime | None
    deadline_confirmed: bool
    on_time: int
    archived: int
    required: int
    window_open: bool
    outputs: list = field(default_factory=list)
    filed: dict[str, dt.datetime] = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        return formulas.ratio(self.on_time, self.required, empty=None)

    def label(self, item: ArchiveItem) -> Any:
        return checklist.ARCHIVE_LABELS.get(item.key, item.key)

    def archived_at(self, item: ArchiveItem) -> dt.datetime | None:
        """The earlier of the tick and the first filed document of the record's types."""
        times = [t for t in (item.archived_at, self.filed.get(item.key)) if t is not None]
        return min(times) if times else None

    def late(self, item: ArchiveItem) -> bool:
        at = self.archived_at(item)
        return bool(at and self.deadline and at > self.deadline)

    @property
    def missing_outputs(self) -> list:
        return [row for row in self.outputs if not row.present]

    @property
    def last_archived_at(self) -> dt.datetime | None:
        times = [self.archived_at(i) for i in self.items] + [row.filed_at for row in self.outputs]
        times = [t for t in times if t is not None]
        return max(times) if times else None


def archive_status(
    project, rulebook: Rulebook | None = None, now: dt.datetime | None = None
) -> ArchiveStatus:
    from huiyi.documents import filing

    rulebook = rulebook or rulebook_for(project)
    now = now or timezone.now()
    rule = first_rule(rulebook, ARCHIVE_DEADLINE_METRIC)
    deadline, confirmed = None, True
    if rule is not None and rule.value is not None:
        due = calendar.due(project.end, working_days=int(rule.value))
        deadline, confirmed = due.due, due.confirmed
    stored = {i.key: i for i in ArchiveItem.objects.filter(project=project).select_related("archived_by")}
    items = [
        stored.get(key) or ArchiveItem(project=project, key=key, position=position)
        for position, key in enumerate(checklist.ARCHIVE_KEYS)
    ]
    items += [i for k, i in stored.items() if k not in checklist.ARCHIVE_KEYS]
    by_type = filing.first_filed(
        project, {t for types in checklist.ARCHIVE_DOCUMENT_TYPES.values() for t in types}
    )
    filed = {}
    for item in items:
        times = [by_type[t] for t in checklist.ARCHIVE_DOCUMENT_TYPES.get(item.key, ()) if t in by_type]
        if times:
            filed[item.key] = item.filed_at = min(times)
        else:
            item.filed_at = None
    covered = {t for types in checklist.ARCHIVE_DOCUMENT_TYPES.values() for t in types}
    outputs = [
        row for row in filing.output_rows(project, rulebook) if row.required and row.doc_type not in covered
    ]
    times = [
        min(t for t in (i.archived_at, filed.get(i.key)) if t)
        for i in items
        if i.archived_at or i.key in filed
    ]
    times += [row.filed_at for row in outputs if row.present]
    on_time = [t for t in times if deadline is None or t <= deadline]
    return ArchiveStatus(
        items=items,
        rule=rule,
        deadline=deadline,
        deadline_confirmed=confirmed,
        on_time=len(on_time),
        archived=len(times),
        required=len(items) + len(outputs),
        window_open=deadline is not None and now <= deadline,
        outputs=outputs,
        filed=filed,
    )


# -- service evaluation form (REQ-QLT-04) ------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationItem:
    key: str
    name: dict
    weight: Decimal
    rule_id: str


@dataclass
class EvaluationForm:
    items: list[EvaluationItem]
    scale: tuple[Decimal, Decimal]
    goal_rule: Rule | None
    formula: str


def evaluation_items(project, rulebook: Rulebook | None = None) -> EvaluationForm:
    rulebook = rulebook or rulebook_for(project)
    items = [
        EvaluationItem(
            key=rule.applies_to["item"],
            name=rule.name.as_dict(),
            weight=Decimal(str(rule.value)),
            rule_id=rule.id,
        )
        for rule in rulebook.rules
        if rule.kind == "weight" and rule.group == EVALUATION_GROUP and rule.applies_to.get("item")
    ]
    scale_rule = first_rule(rulebook, EVALUATION_SCALE_METRIC)
    low, high = scale_rule.value if scale_rule is not None and isinstance(scale_rule.value, tuple) else (0, 0)
    formula = rulebook.formulas.get("service_quality_index")
    return EvaluationForm(
        items=items,
        scale=(Decimal(str(low)), Decimal(str(high))),
        goal_rule=first_rule(rulebook, GOAL_METRIC),
        formula=formula.expression if formula else "Σ / n",
    )


def evaluation_of(project) -> ServiceEvaluation | None:
    return (
        ServiceEvaluation.objects.filter(project=project)
        .select_related("evaluated_by")
        .prefetch_related("scores")
        .first()
    )


def evaluation_index(evaluation: ServiceEvaluation | None, form: EvaluationForm) -> Decimal | None:
    """Service quality index = Σ scores / number of items (REQ-QLT-04), the rulebook's item weights applied
    (they are equal in the standard, so this is the plain mean)."""
    if evaluation is None:
        return None
    weights = {item.key: item.weight for item in form.items}
    pairs = [(weights[s.item], s.score) for s in evaluation.scores.all() if s.item in weights]
    if not pairs or len(pairs) != len(form.items):
        return None
    if len(set(weights.values())) == 1:
        return formulas.service_quality_index([score for _w, score in pairs], max_score=form.scale[1])
    return formulas.composite_score(pairs)


# -- reports ------------------------------------------------------------------------------------------------


def reports_of(project):
    return SummaryReport.objects.filter(project=project).select_related("generated_by").order_by("-version")
