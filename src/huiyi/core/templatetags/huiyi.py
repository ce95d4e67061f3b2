"""Template helpers shared by every app."""

from auditlog.models import LogEntry
from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from huiyi.core.translation import localize

register = template.Library()

ACTION_LABELS = {
    LogEntry.Action.CREATE: _("Created"),
    LogEntry.Action.UPDATE: _("Changed"),
    LogEntry.Action.DELETE: _("Deleted"),
    LogEntry.Action.ACCESS: _("Read"),
}
NOISE_FIELDS = ("id", "created_at", "updated_at", "path")
EMPTY_VALUES = {"None", "", "[]", "{}"}


@register.filter
def audit_action(entry: LogEntry) -> str:
    return ACTION_LABELS.get(entry.action, entry.get_action_display())


@register.filter
def audit_changes(entry: LogEntry) -> list[dict]:
    """Changed fields with their verbose (translated) names; ids, timestamps and empty old values left out."""
    try:
        display = entry.changes_display_dict
    except Exception:  # a model that no longer exists: fall back to the raw record
        display = entry.changes_dict
    rows = []
    noise = _noise_labels(entry)
    for field, change in display.items():
        if str(field) in noise:
            continue
        if isinstance(change, list | tuple) and len(change) == 2:
            old, new = (str(value) for value in change)
        else:
            old, new = "", str(change)
        rows.append(
            {
                "field": field,
                "old": "" if old in EMPTY_VALUES else old,
                "new": "—" if new in EMPTY_VALUES else new,
            }
        )
    return rows


@register.filter
def tr(value) -> str:
    """A translated-text object ({"zh-hans": …, "en": …}) in the active language."""
    return localize(value)


def _noise_labels(entry: LogEntry) -> set[str]:
    model = entry.content_type.model_class()
    labels = set(NOISE_FIELDS)
    if model is not None:
        for name in NOISE_FIELDS:
            try:
                labels.add(str(model._meta.get_field(name).verbose_name))
            except Exception:  # noqa: S112 — the model simply lacks that field
                continue
    return labels


@register.filter
def duration(value) -> str:
    """A timedelta as people say it: "2 days 10 hours", "45 minutes"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes or not parts:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


@register.inclusion_tag("core/_delivery_status.html")
def delivery_status(notification) -> dict:
    """Per-channel status badges of one notification (in-app, e-mail, webhooks): sent, retrying, failed."""
    from huiyi.core import channels

    rows = [
        {"label": channels.label(d.channel, d.config), "delivery": d} for d in notification.deliveries.all()
    ]
    return {"rows": rows, "notification": notification}
