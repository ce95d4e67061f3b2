"""The audit trail (django-auditlog): one place that registers models and records sensitive reads."""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType


def register(model, **options):
    """Record every create, update and delete of `model` with who, when and what changed."""
    if not auditlog.contains(model):
        # Reverse relations are not the record's own data (they show up as "app.Model.None").
        reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
        options["exclude_fields"] = [*options.get("exclude_fields", []), *reverse]
        auditlog.register(model, **options)
    return model


#: Models deliberately outside the audit trail, with why: derived data a recount rebuilds from audited
#: records (never a record of what somebody did).
NOT_AUDITED: dict[type, str] = {}


def derived(model, why: str):
    """Declare ``model`` derived data, kept out of the audit trail (``why`` says what it is derived from)."""
    if not why:
        raise ValueError("say why a model is not audited")
    NOT_AUDITED[model] = why
    return model


def record_access(instance, actor=None, note: str = "") -> LogEntry:
    """Log that `actor` read `instance` (used for very-high confidentiality records, REQ-DOC-07)."""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance.__class__),
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=str(instance)[:200],
        action=LogEntry.Action.ACCESS,
        changes={"note": note} if note else {},
        actor=actor if actor is not None and actor.is_authenticated else None,
    )


def record_event(instance, actor, changes: dict, action=LogEntry.Action.UPDATE) -> LogEntry:
    """Log a change the automatic trail cannot see (e.g. a password change, whose value is never stored)."""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance.__class__),
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=str(instance)[:200],
        action=action,
        changes={field: [str(value) for value in pair] for field, pair in changes.items()},
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
