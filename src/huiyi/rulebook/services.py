"""Rulebook versions as a service: which rules are in force, for the organisation and for each project."""

import contextlib
import contextvars
import copy
import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huiyi.core.audit import record_event
from huiyi.core.translation import LANGUAGE_KEYS

from .loader import DEFAULT_RULEBOOK_PATH, Rule, Rulebook, RulebookInvalid, load_rulebook, validate
from .models import RulebookVersion
from .upgrade import EDITABLE_FIELDS, rebase, record_shipped, shipped_digest, with_shipped_additions


@transaction.atomic
def ensure_default_version() -> RulebookVersion:
    """The shipped standard.yaml becomes version 1, active, the first time the database is set up."""
    existing = RulebookVersion.objects.order_by("number").first()
    if existing is not None:
        return existing
    rulebook = load_rulebook(DEFAULT_RULEBOOK_PATH)
    record_shipped()
    return RulebookVersion.objects.create(
        number=1,
        title=rulebook.title.as_dict()
        if rulebook.title
        else {"zh-hans": "默认规则库", "en": "Default rulebook"},
        data=rulebook.as_data(),
        digest=rulebook.digest,
        status=RulebookVersion.Status.ACTIVE,
        change_note="standard.yaml",
        shipped_digest=rulebook.digest,
        activated_at=timezone.now(),
    )


#: The active version read once per request (see ``middleware.OneRulebookPerRequest``): navigation, permission
#: rules and the page itself all ask for it, and a request should see one rulebook from start to end anyway.
_request_active: contextvars.ContextVar[dict | None] = contextvars.ContextVar("rulebook_active", default=None)


def active_version() -> RulebookVersion:
    memo = _request_active.get()
    if memo is not None and "version" in memo:
        return memo["version"]
    version = RulebookVersion.objects.filter(status=RulebookVersion.Status.ACTIVE).first()
    version = version or ensure_default_version()
    if memo is not None:
        memo["version"] = version
    return version


@contextlib.contextmanager
def one_active_version():
    """Within this block (a request) the active version is read once."""
    token = _request_active.set({})
    try:
        yield
    finally:
        _request_active.reset(token)


def forget_active_version() -> None:
    """After an activation, later calls in the same request read the new active version."""
    memo = _request_active.get()
    if memo is not None:
        memo.clear()


@functools.lru_cache(maxsize=32)
def _load(digest: str, version_pk: int) -> Rulebook:
    # Keyed by digest: a version's data never changes once active, and a draft's digest moves with every edit.
    return load_rulebook(RulebookVersion.objects.get(pk=version_pk).data)


def rulebook_of(version: RulebookVersion) -> Rulebook:
    return _load(version.digest, version.pk)


def active_rulebook() -> Rulebook:
    return with_shipped_additions(active_version())


def rulebook_for(project) -> Rulebook:
    """The rules a project is measured by: the version pinned when it was created (and the standard's rules
    added since, which that version predates)."""
    return with_shipped_additions(project.rulebook_version)


# --------------------------------------------------------------------------------------------------
# Versions: clone, edit a draft, activate; compare and trace (REQ-QLT-10, REQ-DOC-08)

CHANGE_PERMISSION = "rulebook.change_rulebookversion"

_UNSET: Any = object()


def _require_change_permission(by) -> None:
    if by is None or not by.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied(_("You may not change the rulebook."))


def _next_number() -> int:
    last = RulebookVersion.objects.aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


@transaction.atomic
def clone_version(source: RulebookVersion, *, by) -> RulebookVersion:
    """A new draft with the next number, holding a copy of ``source``'s rules (REQ-QLT-10)."""
    _require_change_permission(by)
    source = RulebookVersion.objects.get(pk=source.pk)  # its data as stored, not a caller's stale copy
    number = _next_number()
    data = copy.deepcopy(source.data)
    data["version"] = number
    rulebook = load_rulebook(data)
    version = RulebookVersion.objects.create(
        number=number,
        title=copy.deepcopy(source.title),
        data=data,
        digest=rulebook.digest,
        status=RulebookVersion.Status.DRAFT,
        based_on=source,
        shipped_digest=source.shipped_digest,
        created_by=by,
    )
    record_event(version, by, {"based_on": [None, f"v{source.number}"]}, action=LogEntry.Action.CREATE)
    return version


def _clean_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _normalise_value(value: Any) -> Any:
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, list):
        value = [float(v) if isinstance(v, Decimal) else v for v in value]
    return value


def _normalise_text(value: Any, field: str) -> dict[str, str] | None:
    if value is None and field == "description":
        return None
    if not isinstance(value, Mapping):
        raise ValidationError({field: _("Give the text in Chinese and in English.")})
    cleaned = {key: str(value.get(key) or "").strip() for key in LANGUAGE_KEYS}
    if field == "description" and not any(cleaned.values()):
        return None
    missing = [key for key, text in cleaned.items() if not text]
    if missing:
        raise ValidationError({field: _("Give the text in Chinese and in English.")})
    return cleaned


@transaction.atomic
def update_rule(
    version: RulebookVersion,
    rule_id: str,
    *,
    value: Any = _UNSET,
    name: Any = _UNSET,
    description: Any = _UNSET,
    by,
) -> RulebookVersion:
    """Change a rule's value, name or description in a draft; nothing else of a rule is editable.

    The whole rulebook is validated again: an edit that breaks it (a ``between`` without ``[min, max]``,
    weights no longer adding up to 1, a ratio above 100 %) raises ``ValidationError`` naming the rule and
    the reason, and the draft stays as it was.
    """
    _require_change_permission(by)
    given = version
    version = RulebookVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != RulebookVersion.Status.DRAFT:
        raise ValidationError(
            _("Version %(number)s is %(status)s: only a draft can be edited; clone it first."),
            code="not_draft",
            params={"number": version.number, "status": version.get_status_display()},
        )
    data = copy.deepcopy(version.data)
    rule = next((r for r in data["rules"] if r.get("id") == rule_id), None)
    if rule is None:
        raise ValidationError(
            _("There is no rule %(rule)s in version %(number)s."),
            code="unknown_rule",
            params={"rule": rule_id, "number": version.number},
        )
    before = {key: copy.deepcopy(rule.get(key)) for key in EDITABLE_FIELDS}
    if value is not _UNSET:
        value = _normalise_value(value)
        if rule.get("permanent") and value is not None:
            raise ValidationError(
                {"value": _("Rule %(rule)s keeps records permanently and has no value.") % {"rule": rule_id}}
            )
        if not (value is None or _clean_number(value) or isinstance(value, list)):
            raise ValidationError({"value": _("Rule %(rule)s: enter a number.") % {"rule": rule_id}})
        rule["value"] = value
    if name is not _UNSET:
        rule["name"] = _normalise_text(name, "name")
    if description is not _UNSET:
        cleaned = _normalise_text(description, "description")
        if cleaned is None:
            rule.pop("description", None)
        else:
            rule["description"] = cleaned
    after = {key: rule.get(key) for key in EDITABLE_FIELDS}
    changed = {key: [before[key], after[key]] for key in EDITABLE_FIELDS if before[key] != after[key]}
    if not changed:
        return version
    errors = validate(data)
    if errors:
        field = "value" if value is not _UNSET else ("name" if name is not _UNSET else "description")
        raise ValidationError(
            {
                field: [
                    _("Rule %(rule)s: %(reason)s") % {"rule": rule_id, "reason": e.message}
                    if e.rule_id in (None, rule_id)
                    else _("Rule %(rule)s breaks rule %(other)s: %(reason)s")
                    % {"rule": rule_id, "other": e.rule_id, "reason": e.message}
                    for e in errors
                ]
            },
            code="invalid_rulebook",
        )
    version.data = data
    version.digest = load_rulebook(data).digest
    version.save(update_fields=["data", "digest"])
    given.data, given.digest = version.data, version.digest  # the caller's instance is current too
    record_event(
        version,
        by,
        {f"{rule_id}.{key}": [_jsonish(old), _jsonish(new)] for key, (old, new) in changed.items()},
    )
    return version


def _jsonish(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value is not None else "null"


@transaction.atomic
def activate(version: RulebookVersion, *, note: str, by) -> RulebookVersion:
    """Put a draft in force with a change note; the version in force until now is retired (REQ-DOC-08).

    Projects keep the version they pinned when they started: activation never rewrites their rules.
    """
    _require_change_permission(by)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"change_note": _("Write a change note: what changed and why.")})
    given = version
    version = RulebookVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != RulebookVersion.Status.DRAFT:
        raise ValidationError(
            _("Version %(number)s is %(status)s: only a draft can be activated."),
            code="not_draft",
            params={"number": version.number, "status": version.get_status_display()},
        )
    rebased = rebase(version)
    if rebased is not None:
        # Drafted from an earlier release's standard: brought onto this release's before it is put in force.
        version.data, version.shipped_digest = rebased.data, shipped_digest()
    try:
        version.digest = load_rulebook(version.data).digest
    except RulebookInvalid as exc:
        raise ValidationError([str(e) for e in exc.errors], code="invalid_rulebook") from exc
    previous = list(RulebookVersion.objects.select_for_update().filter(status=RulebookVersion.Status.ACTIVE))
    for old in previous:
        old.status = RulebookVersion.Status.RETIRED
        old.save(update_fields=["status"])
    version.status = RulebookVersion.Status.ACTIVE
    version.change_note = note
    version.activated_at = timezone.now()
    version.activated_by = by
    fields = ["status", "change_note", "activated_at", "activated_by", "data", "digest", "shipped_digest"]
    version.save(update_fields=fields)
    forget_active_version()
    for key in fields:
        setattr(given, key, getattr(version, key))
    record_event(
        version,
        by,
        {
            "status": [RulebookVersion.Status.DRAFT, RulebookVersion.Status.ACTIVE],
            "change_note": ["", note],
            "replaces": ["", ", ".join(f"v{old.number}" for old in previous)],
            **({"rebased": ["", rebased.note()]} if rebased is not None else {}),
        },
    )
    return version


@dataclass(frozen=True)
class RuleChange:
    """One difference between two versions: a rule ``added``, ``removed`` or a field of it ``changed``."""

    rule_id: str
    change: str
    field: str | None = None
    old: Any = None
    new: Any = None
    rule: Rule | None = None  # the rule as it is in the newer version (in the older one when removed)


def diff(a: RulebookVersion, b: RulebookVersion) -> list[RuleChange]:
    """What changed from version ``a`` to version ``b``, rule by rule, in ``b``'s order."""
    old_book, new_book = rulebook_of(a), rulebook_of(b)
    old_rules = {r["id"]: r for r in old_book.as_data()["rules"]}
    new_rules = {r["id"]: r for r in new_book.as_data()["rules"]}
    changes: list[RuleChange] = []
    for rule_id, new in new_rules.items():
        old = old_rules.get(rule_id)
        if old is None:
            changes.append(RuleChange(rule_id, "added", new=new.get("value"), rule=new_book.rule(rule_id)))
            continue
        for key in dict.fromkeys([*old, *new]):
            if key in ("id",) or old.get(key) == new.get(key):
                continue
            changes.append(
                RuleChange(rule_id, "changed", key, old.get(key), new.get(key), rule=new_book.rule(rule_id))
            )
    for rule_id, old in old_rules.items():
        if rule_id not in new_rules:
            changes.append(RuleChange(rule_id, "removed", old=old.get("value"), rule=old_book.rule(rule_id)))
    return changes


def _history_versions(include_drafts: bool) -> list[RulebookVersion]:
    versions = RulebookVersion.objects.defer("data").order_by("number")
    if not include_drafts:
        versions = versions.exclude(status=RulebookVersion.Status.DRAFT)
    return list(versions)


def value_histories(*, include_drafts: bool = False) -> dict[str, list[tuple[RulebookVersion, Any]]]:
    """For every rule: the versions in which its value was set or changed, with that value.

    One query for the versions; each version's rules come from the per-digest cache.
    """
    histories: dict[str, list[tuple[RulebookVersion, Any]]] = {}
    for version in _history_versions(include_drafts):
        for rule in rulebook_of(version).rules:
            entries = histories.setdefault(rule.id, [])
            if not entries or entries[-1][1] != rule.value:
                entries.append((version, rule.value))
    return histories


def rule_history(rule_id: str, *, include_drafts: bool = False) -> list[tuple[RulebookVersion, Any]]:
    """``[(version, value), …]``: the version that introduced the rule, then each version changing its value.

    Drafts are left out unless ``include_drafts``: their values were never in force.
    """
    return value_histories(include_drafts=include_drafts).get(rule_id, [])
