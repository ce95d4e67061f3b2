"""What a requirements list is made of: the service tiers of REQ-INT-04 and the 5W2H items of REQ-INT-05."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

WEIGHT_GROUP = "requirement_completeness_5w2h"
WEIGHT_RULE = "int.completeness.weight.{key}"


@dataclass(frozen=True)
class Tier:
    key: str
    label: str
    items: tuple[tuple[str, str], ...]


TIERS = (
    Tier(
        "basic",
        _("Basic services"),
        (("venue_setup", _("Venue set-up")), ("sign_in", _("Sign-in reception"))),
    ),
    Tier(
        "standard",
        _("Standard services"),
        (
            ("equipment_rental", _("Equipment rental")),
            ("projection", _("Projection")),
            ("tea_break", _("Tea break")),
        ),
    ),
    Tier(
        "custom",
        _("Custom services"),
        (
            ("special_decoration", _("Special decoration")),
            ("custom_gifts", _("Custom gifts")),
            ("special_flows", _("Special programme segments")),
        ),
    ),
)
SERVICE_LABELS = {key: label for tier in TIERS for key, label in tier.items}
SERVICE_TIER = {key: tier.key for tier in TIERS for key, _label in tier.items}
BASIC_SERVICES = [key for key, _label in TIERS[0].items]

FIVE_W_TWO_H = ("what", "when", "where", "who", "why", "how", "how_much")

# The yes/no question some items carry (REQ-INT-05); "why" carries a purpose instead.
ITEM_QUESTIONS = {
    "where": _("Alternative venue needed?"),
    "who": _("VIP protection needed?"),
    "how": _("Custom programme segments?"),
    "how_much": _("Budget can be adjusted?"),
}
ITEM_PROMPTS = {
    "what": _("Theme, content and main purpose of the meeting"),
    "when": _("Dates, time slots and special timing"),
    "where": _("Venue, city and flexibility"),
    "who": _("Attendees, guests and their particular needs"),
    "why": _("Why the meeting is held"),
    "how": _("Programme and special segments"),
    "how_much": _("Budget frame and its flexibility"),
}

# Parts of a confirmed list besides services and 5W2H items: each counts as one confirmed item (REQ-INT-07).
BASIC_INFORMATION = "basic_information"
BUDGET_AND_PAYMENT = "budget_and_payment"
CUSTOM_SERVICES = "custom_services"
PART_LABELS = {
    BASIC_INFORMATION: _("Basic information"),
    BUDGET_AND_PAYMENT: _("Budget and payment"),
    CUSTOM_SERVICES: _("Other custom services"),
}


def item_label(key: str, rulebook=None) -> str:
    """The label of a confirmed item key: a 5W2H item's rulebook name, a service or a part of the list."""
    from huiyi.core.translation import localize

    if key in FIVE_W_TWO_H:
        if rulebook is not None:
            rule_id = WEIGHT_RULE.format(key=key)
            if rule_id in rulebook:
                return localize(rulebook.rule(rule_id).name.as_dict())
        from .models import RequirementItem

        return str(RequirementItem.Key(key).label)
    return str(SERVICE_LABELS.get(key) or PART_LABELS.get(key) or key)


def confirmed_item_keys(revision) -> list[str]:
    """The items a client confirms in a revision: basic information, services, budget, 5W2H items."""
    keys = [BASIC_INFORMATION, *[s for s in revision.services if s in SERVICE_LABELS]]
    if revision.custom_services.strip():
        keys.append(CUSTOM_SERVICES)
    keys.append(BUDGET_AND_PAYMENT)
    keys.extend(FIVE_W_TWO_H)
    return keys
