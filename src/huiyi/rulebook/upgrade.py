"""A new Huiyi release may ship a changed standard.yaml: bring it into an installation without losing the
organisation's own values.

Three sides, rule by rule: the standard the active version was made from (``base``), the active version
(``ours``: the organisation's edits) and the standard shipped now (``theirs``). A field the organisation
left at the old default takes the new default; a field it changed keeps its value. A rule whose definition
changed (its kind, operator, unit, metric …) is taken as shipped, since the old value may no longer mean the
same thing. New rules are added, rules the standard no longer has are dropped — from the new version only:
versions and the projects that pinned them keep their rules.

On ``migrate`` the shipped standard is recorded; if it is new, the merged rulebook becomes the next version
and is put in force with a change note listing every rule it touched. Meetings already started keep their
pinned version; rules they lack (added since) are read from the shipped standard (``with_shipped_additions``).
"""

from __future__ import annotations

import copy
import functools
import logging
from dataclasses import dataclass, field
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huiyi.core.audit import record_event

from .loader import DEFAULT_RULEBOOK_PATH, Rulebook, RulebookInvalid, load_rulebook, validate
from .models import RulebookVersion, ShippedRulebook

logger = logging.getLogger(__name__)

#: Keys of a rule a person may edit in a draft. Everything else (id, req, kind, metric, op, unit …) is
#: the rule's identity: changing it would be a different rule.
EDITABLE_FIELDS = ("value", "name", "description")


@functools.cache
def shipped_standard() -> Rulebook:
    """The standard.yaml of this release, loaded and validated once per process."""
    return load_rulebook(DEFAULT_RULEBOOK_PATH)


@functools.cache
def shipped_digest() -> str:
    return shipped_standard().digest


def record_shipped() -> tuple[ShippedRulebook, bool]:
    return ShippedRulebook.objects.get_or_create(
        digest=shipped_digest(), defaults={"data": shipped_standard().as_data()}
    )


@dataclass
class Merge:
    """A merged rulebook and what it did to each rule."""

    data: dict
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: took the new default (the organisation had not changed it)
    updated: list[str] = field(default_factory=list)
    #: the organisation's value stays although the default moved
    kept: list[str] = field(default_factory=list)
    #: redefined in the standard (kind, operator, unit …): the organisation's edit could not be kept
    replaced: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.updated or self.replaced)

    def note(self) -> str:
        parts = []
        for label, ids in (
            (_("added"), self.added),
            (_("new default"), self.updated),
            (_("organisation's value kept"), self.kept),
            (_("redefined, organisation's value replaced"), self.replaced),
            (_("removed"), self.removed),
        ):
            if ids:
                parts.append(_("%(what)s: %(rules)s") % {"what": label, "rules": ", ".join(ids)})
        return _("; ").join(parts) or _("no rule changed")


def _identity(rule: dict) -> dict:
    return {key: value for key, value in rule.items() if key not in EDITABLE_FIELDS}


def _set(rule: dict, key: str, value: Any) -> None:
    if value is None and key == "description":
        rule.pop(key, None)
    else:
        rule[key] = copy.deepcopy(value)


def merge(base: dict, ours: dict, theirs: dict) -> Merge:
    """``theirs`` with the organisation's edits of ``ours`` (relative to ``base``) carried over."""
    base_rules = {r["id"]: r for r in base.get("rules", [])}
    our_rules = {r["id"]: r for r in ours.get("rules", [])}
    data = copy.deepcopy(theirs)
    result = Merge(data=data)
    for rule in data["rules"]:
        rule_id = rule["id"]
        mine, before = our_rules.get(rule_id), base_rules.get(rule_id)
        if mine is None:
            result.added.append(rule_id)
            continue
        before = before if before is not None else mine
        edited = [key for key in EDITABLE_FIELDS if mine.get(key) != before.get(key)]
        if _identity(rule) != _identity(mine):
            if edited:
                result.replaced.append(rule_id)
            elif any(mine.get(key) != rule.get(key) for key in rule.keys() | mine.keys()):
                result.updated.append(rule_id)
            continue
        moved = False  # the standard moved a default the organisation had changed
        for key in edited:
            moved |= rule.get(key) != before.get(key)
            _set(rule, key, mine.get(key))
        if edited and moved:
            result.kept.append(rule_id)
        elif any(mine.get(key) != rule.get(key) for key in rule.keys() | mine.keys()):
            result.updated.append(rule_id)
    shipped_ids = {r["id"] for r in data["rules"]}
    result.removed = [rule_id for rule_id in our_rules if rule_id not in shipped_ids]
    return result


def _base_of(version: RulebookVersion) -> dict:
    """The shipped standard ``version`` was made from; the version itself when that is not known."""
    recorded = ShippedRulebook.objects.filter(digest=version.shipped_digest).first()
    return recorded.data if recorded else version.data


def rebase(version: RulebookVersion) -> Merge | None:
    """A draft made from an earlier shipped standard, merged onto this release's (before it is activated), or
    ``None`` when it already descends from it."""
    if version.shipped_digest == shipped_digest():
        return None
    record_shipped()
    merged = merge(_base_of(version), version.data, shipped_standard().as_data())
    merged.data["version"] = version.number
    return merged


@transaction.atomic
def bring_in_shipped_standard() -> RulebookVersion | None:
    """After ``migrate``: if this release ships a standard the installation has not seen, the active version
    merged with it becomes the next version, in force. If the merge does not validate (an organisation's value
    outside what the new standard allows), nothing is put in force and the error is logged at every migrate;
    the active version is then read with the standard's new rules added (``with_shipped_additions``)."""
    record_shipped()
    active = RulebookVersion.objects.select_for_update().filter(status=RulebookVersion.Status.ACTIVE).first()
    if active is None or active.shipped_digest == shipped_digest():
        return None
    merged = merge(_base_of(active), active.data, shipped_standard().as_data())
    if not merged.changed:
        # The same rules, only recorded differently (an older loader's normal form): nothing to put in force.
        RulebookVersion.objects.filter(pk=active.pk).update(shipped_digest=shipped_digest())
        return None
    from .services import _next_number, forget_active_version

    number = _next_number()
    merged.data["version"] = number
    errors = validate(merged.data)
    if errors:
        logger.error(
            "rulebook upgrade: v%s merged with the standard shipped now does not validate; nothing was put "
            "in force. Clone v%s, correct these rules and activate it: %s",
            active.number,
            active.number,
            "; ".join(str(e) for e in errors),
        )
        return None
    with translation.override(settings.LANGUAGE_CODE):  # the installation's language: it runs on migrate
        note = _(
            "Huiyi upgrade: the standard shipped with this release merged into v%(number)s — %(changes)s"
        ) % {
            "number": active.number,
            "changes": merged.note(),
        }
    active.status = RulebookVersion.Status.RETIRED
    active.save(update_fields=["status"])
    version = RulebookVersion.objects.create(
        number=number,
        title=copy.deepcopy(active.title),
        data=merged.data,
        digest=load_rulebook(merged.data).digest,
        status=RulebookVersion.Status.ACTIVE,
        based_on=active,
        shipped_digest=shipped_digest(),
        change_note=note,
        activated_at=timezone.now(),
    )
    forget_active_version()
    record_event(
        version,
        None,
        {
            "status": [RulebookVersion.Status.DRAFT, RulebookVersion.Status.ACTIVE],
            "change_note": ["", note],
            "replaces": ["", f"v{active.number}"],
        },
        action=LogEntry.Action.CREATE,
    )
    logger.warning("rulebook upgrade: v%s is in force — %s", number, merged.note())
    return version


@functools.lru_cache(maxsize=64)
def _with_additions(version: RulebookVersion, digest: str, standard_digest: str) -> Rulebook:
    # Keyed by the version (its pk) and its digest: a draft's digest moves with every edit.
    from .services import rulebook_of

    own = rulebook_of(version)
    missing = [r for r in shipped_standard().as_data()["rules"] if r["id"] not in own]
    if not missing:
        return own
    data = copy.deepcopy(version.data)
    data["rules"] = data["rules"] + missing
    try:
        return load_rulebook(data)
    except RulebookInvalid:
        logger.warning(
            "rulebook v%s: the standard's newer rules do not fit it; read as it is", version.number
        )
        return own


def with_shipped_additions(version: RulebookVersion) -> Rulebook:
    """``version``'s rules, plus the rules of the shipped standard it predates (a project pinned before an
    upgrade is measured by its own values, and by the standard's for rules that did not exist then)."""
    return _with_additions(version, version.digest, shipped_digest())
