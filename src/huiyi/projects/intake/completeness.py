"""The requirement completeness index I = Σ Wᵢ·Cᵢ / Σ Wᵢ (REQ-INT-05) and the list of what is missing."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from huiyi.quality import formulas

from .catalogue import FIVE_W_TWO_H, WEIGHT_RULE, item_label


@dataclass
class Completeness:
    index: Decimal
    recorded: int
    unclear: int
    total: int
    missing: list[str] = field(default_factory=list)

    @property
    def percent(self) -> Decimal:
        return formulas.percentage(self.index, places=0)


def weights(rulebook) -> dict[str, Decimal]:
    return {key: Decimal(str(rulebook.value(WEIGHT_RULE.format(key=key)))) for key in FIVE_W_TWO_H}


def evaluate(items: dict[str, dict], revision_values: dict, rulebook) -> Completeness:
    """Completeness of 5W2H `items` ({key: {"text", "completion", "unclear"}}) plus what else is missing.

    An item marked unclear counts with its completion but is listed as missing until it is clarified.
    """
    item_weights = weights(rulebook)
    pairs, missing, recorded, unclear = [], [], 0, 0
    for key in FIVE_W_TWO_H:
        item = items.get(key) or {}
        completion = Decimal(str(item.get("completion") or 0))
        pairs.append((item_weights[key], completion))
        label = item_label(key, rulebook)
        has_text = bool(str(item.get("text") or "").strip())
        recorded += has_text
        if item.get("unclear"):
            unclear += 1
            missing.append(_("%(item)s: marked unclear") % {"item": label})
        elif not has_text:
            missing.append(_("%(item)s: not recorded") % {"item": label})
        elif completion < 1:
            missing.append(_("%(item)s: incomplete") % {"item": label})
    if revision_values.get("budget") in (None, ""):
        missing.append(_("Fixed budget"))
    if not revision_values.get("payment_schedule"):
        missing.append(_("Payment schedule"))
    if not revision_values.get("payment_method"):
        missing.append(_("Payment method"))
    return Completeness(
        index=formulas.requirement_completeness(pairs),
        recorded=recorded,
        unclear=unclear,
        total=len(FIVE_W_TWO_H),
        missing=[str(m) for m in missing],
    )


def of_revision(revision, rulebook) -> Completeness:
    items = {
        item.key: {"text": item.text, "completion": item.completion, "unclear": item.unclear}
        for item in revision.items.all()
    }
    values = {
        "budget": revision.budget,
        "payment_schedule": revision.payment_schedule,
        "payment_method": revision.payment_method,
    }
    return evaluate(items, values, rulebook)
