"""Display helpers of people: percentages, measures by unit, certificate states, stored texts translated."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

register = template.Library()

STATES = {
    "expired": ("text-bg-danger", _("expired")),
    "expiring": ("text-bg-warning", _("expiring soon")),
    "valid": ("text-bg-success", _("valid")),
    "permanent": ("text-bg-secondary", _("no expiry")),
}


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def percent(value) -> str:
    """A fraction as a percentage with one decimal (0.9333 → 93.3%); "—" when there is no value."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{number_format(number * 100, decimal_pos=1)}%"


@register.filter
def measure(data) -> str:
    """A measure (object or stored dict) in its unit: 93.3%, 86.50 / 100, 2, 4.33 / 5, 1.5 h."""
    value = _decimal(data.get("value") if isinstance(data, dict) else data.value)
    unit = data.get("unit") if isinstance(data, dict) else data.unit
    if value is None:
        return gettext("no data")
    if unit == "ratio":
        return percent(value)
    if unit == "score_100":
        return f"{number_format(value, decimal_pos=1)} / 100"
    if unit == "score_5":
        return f"{number_format(value, decimal_pos=2)} / 5"
    if unit == "hours":
        return gettext("%(n)s h") % {"n": number_format(value, decimal_pos=1)}
    if unit == "count":
        return gettext("%(n)s delay(s)") % {"n": int(value)}
    return str(value)


@register.filter
def translate_text(value) -> str:
    """A string stored untranslated (gettext_noop) shown in the active language."""
    return gettext(value) if value else ""


@register.inclusion_tag("people/_cert_state.html")
def cert_state(state):
    css, label = STATES.get(state, ("text-bg-light", state))
    return {"css": css, "label": label, "state": state}


@register.filter
def listing(items) -> str:
    """Items joined the way the active language lists them: 甲、乙、丙 / a, b, c."""
    language = (get_language() or "zh-hans").lower()
    return ("、" if language.startswith("zh") else ", ").join(str(i) for i in items)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def evidence_items(data) -> list[tuple[str, object]]:
    """The counts a measure was computed from, with readable names."""
    evidence = data.get("evidence", {}) if isinstance(data, dict) else data.evidence
    names = {
        "passed": pgettext_lazy("assessment", "passed"),
        "taken": _("assessments taken"),
        "plan_passed": _("plan sessions passed"),
        "plan_taken": _("plan sessions assessed"),
        "meeting_passed": _("pre-meeting passed"),
        "meeting_taken": _("pre-meeting assessed"),
        "responses": _("survey responses"),
        "meetings": _("meetings"),
        "mean_on_scale": _("mean score"),
        "scale_max": _("scale maximum"),
        "tasks": _("tasks due"),
        "done_late": _("done late"),
        "open_past_due": _("open past due"),
        "feedback": _("feedback entries"),
        "colleagues": _("colleagues"),
        "incidents": _("incidents"),
        "resolved": _("incidents resolved"),
        "unresolved": _("incidents unresolved"),
    }
    return [(names.get(k, k), v) for k, v in evidence.items() if v is not None]
