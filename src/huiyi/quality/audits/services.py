"""Every state change of internal audits (REQ-QLT-07): one function per business action, in a transaction,
audited (the models are registered with the audit trail; ``set_actor`` names the person).

    plan_audit(*, title, planned_date, lead_auditor, by, …) -> Audit          # builds the checklist
    update_team(audit, *, lead_auditor, auditors, auditees, by) -> Audit
    start_audit(audit, *, by) -> Audit
    assess_item(item, *, result, evidence, notes, severity, project, by) -> AuditItem
    complete_audit(audit, *, summary, by) -> Audit                            # report issued, follow-up open
    close_audit(audit, *, note, by) -> Audit                                  # follow-up verified

A nonconformity opens one quality nonconformance (source "audit") per item; assessing the item again never
opens a second one. Rule ``qlt.audit.auditor_independence`` (1 = on) keeps auditors off their own unit and
their own meeting projects. Bad input raises ``ValidationError`` keyed by field; nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huiyi.accounts.models import OrgMembership, OrgUnit
from huiyi.core.notifications import notify
from huiyi.core.sequences import next_number
from huiyi.projects.models import MeetingProject, ProjectMember
from huiyi.quality import services as quality
from huiyi.quality.models import Nonconformance
from huiyi.rulebook import display
from huiyi.rulebook.loader import Rule, Rulebook
from huiyi.rulebook.queries import CHAPTERS, chapter_of
from huiyi.rulebook.requirements import REQUIREMENTS
from huiyi.rulebook.services import active_version, rulebook_of

from .models import Audit, AuditItem

INDEPENDENCE_RULE = "qlt.audit.auditor_independence"
LANGUAGES = ("zh-hans", "en")
Status = Audit.Status
Result = AuditItem.Result


@contextmanager
def _actor(user):
    if user is not None and getattr(user, "is_authenticated", False):
        with set_actor(user):
            yield
    else:
        yield


def _refuse(message: str, field: str = "status"):
    raise ValidationError({field: message}, code="workflow")


def _require_person(by):
    if by is None or not getattr(by, "is_authenticated", False):
        _refuse(_("This step needs the person who does it."), "by")


# ------------------------------------------------------------------------------------------------------
# The checklist from the rulebook


def _evidence_asked(rule: Rule) -> dict[str, str]:
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = _("Records showing “%(name)s” is met: %(value)s (%(clause)s).") % {
                "name": rule.name.get(language),
                "value": display.format_value(rule, language),
                "clause": rule.clause,
            }
    return texts


def _requirement_text(req: str) -> dict[str, str]:
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = _(REQUIREMENTS.get(req, req))
    return texts


def _evidence_for_requirement(req: str) -> dict[str, str]:
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = _("Records and practice showing %(req)s is applied.") % {"req": req}
    return texts


def checklist_rows(rulebook: Rulebook, chapters: Iterable[str], requirements: Iterable[str]) -> list[dict]:
    """One row per rule of the rulebook in scope, then one per requirement in scope that has no rule."""
    chapters, requirements = set(chapters), set(requirements)

    def in_scope(req: str) -> bool:
        return req in requirements or chapter_of(req) in chapters

    rows: list[dict] = []
    with_rules: set[str] = set()
    order = {code: i for i, code in enumerate(CHAPTERS)}
    rules = sorted(
        (r for r in rulebook.rules if in_scope(r.req)),
        key=lambda r: (order.get(chapter_of(r.req), 99), r.req),
    )
    for rule in rules:
        with_rules.add(rule.req)
        rows.append(
            {
                "chapter": chapter_of(rule.req),
                "req": rule.req,
                "rule_id": rule.id,
                "clause": rule.clause,
                "name": rule.name.as_dict(),
                "requirement_text": _requirement_text(rule.req),
                "evidence_asked": _evidence_asked(rule),
            }
        )
    for req in sorted(
        (r for r in REQUIREMENTS if in_scope(r) and r not in with_rules),
        key=lambda r: (order.get(chapter_of(r), 99), r),
    ):
        rows.append(
            {
                "chapter": chapter_of(req),
                "req": req,
                "rule_id": "",
                "clause": "",
                "name": {"zh-hans": req, "en": req},
                "requirement_text": _requirement_text(req),
                "evidence_asked": _evidence_for_requirement(req),
            }
        )
    return rows


def _clean_scope(chapters, requirements) -> tuple[list[str], list[str]]:
    chapters = [c.strip().upper() for c in chapters or [] if str(c).strip()]
    requirements = [r.strip().upper() for r in requirements or [] if str(r).strip()]
    unknown_chapters = [c for c in chapters if c not in CHAPTERS]
    if unknown_chapters:
        _refuse(_("Unknown chapter: %(codes)s.") % {"codes": ", ".join(unknown_chapters)}, "scope_chapters")
    unknown = [r for r in requirements if r not in REQUIREMENTS]
    if unknown:
        _refuse(_("Unknown requirement: %(ids)s.") % {"ids": ", ".join(unknown)}, "scope_requirements")
    if not chapters and not requirements:
        _refuse(_("Choose at least one chapter or requirement of the rulebook to audit."), "scope_chapters")
    return list(dict.fromkeys(chapters)), list(dict.fromkeys(requirements))


# ------------------------------------------------------------------------------------------------------
# Independence of the audit team


def independence_required(rulebook: Rulebook) -> bool:
    return INDEPENDENCE_RULE in rulebook and bool(rulebook.value(INDEPENDENCE_RULE))


def _unit_paths(user) -> set[str]:
    paths = set(OrgMembership.objects.filter(user=user).values_list("org_unit__path", flat=True))
    if user.org_unit_id:
        paths.add(user.org_unit.path)
    return paths


def independence_conflicts(team, projects, org_units) -> dict[int, str]:
    """Auditors who would audit their own unit or a meeting project they work on: ``{user pk: reason}``."""
    audited_paths = {unit.path for unit in org_units} | {
        p.org_unit.path for p in projects if p.org_unit_id is not None
    }
    project_ids = [p.pk for p in projects]
    members = set(ProjectMember.objects.filter(project_id__in=project_ids).values_list("user_id", flat=True))
    conflicts: dict[int, str] = {}
    for person in team:
        if person.pk in members:
            conflicts[person.pk] = _("%(person)s works on an audited meeting project.") % {"person": person}
            continue
        own = _unit_paths(person)
        if any(path.startswith(audited) for path in own for audited in audited_paths):
            conflicts[person.pk] = _("%(person)s belongs to an audited unit.") % {"person": person}
    return conflicts


def _check_team(rulebook, lead, auditors, auditees, projects, org_units):
    if lead is None:
        _refuse(_("Name the lead auditor."), "lead_auditor")
    team = [lead, *[a for a in auditors if a.pk != lead.pk]]
    overlap = {a.pk for a in team} & {a.pk for a in auditees}
    if overlap:
        _refuse(_("An auditor cannot also be an auditee."), "auditees")
    if independence_required(rulebook):
        conflicts = independence_conflicts(team, projects, org_units)
        if conflicts:
            field = "lead_auditor" if lead.pk in conflicts else "auditors"
            _refuse(
                " ".join(conflicts.values())
                + " "
                + _("Auditors may not audit their own work (rule %(rule)s).") % {"rule": INDEPENDENCE_RULE},
                field,
            )
    return team


def _notify_team(audit: Audit, people, title: str):
    url = reverse("audits:detail", args=[audit.pk])
    for person in {p.pk: p for p in people}.values():
        notify(person, title, url=url, kind="audit", dedupe_key=f"audit:{audit.pk}:{person.pk}:{title}"[:200])


# ------------------------------------------------------------------------------------------------------
# Plan, start, assess, complete, close


def plan_audit(
    *,
    title: str,
    planned_date,
    lead_auditor,
    by,
    auditors: Iterable = (),
    auditees: Iterable = (),
    scope_chapters: Iterable[str] = (),
    scope_requirements: Iterable[str] = (),
    projects: Iterable[MeetingProject] = (),
    org_units: Iterable[OrgUnit] = (),
    objective: str = "",
) -> Audit:
    """Plan an internal audit and build its checklist from the active rulebook's clauses in scope."""
    _require_person(by)
    title = (title or "").strip()
    if not title:
        _refuse(_("Give the audit a title."), "title")
    if planned_date is None:
        _refuse(_("Give the planned date."), "planned_date")
    chapters, requirements = _clean_scope(scope_chapters, scope_requirements)
    auditors, auditees = list(auditors), list(auditees)
    projects, org_units = list(projects), list(org_units)
    version = active_version()
    rulebook = rulebook_of(version)
    team = _check_team(rulebook, lead_auditor, auditors, auditees, projects, org_units)
    rows = checklist_rows(rulebook, chapters, requirements)
    if not rows:
        _refuse(_("The scope holds no clause of the rulebook."), "scope_chapters")
    with transaction.atomic(), _actor(by):
        number = next_number(Audit)
        audit = Audit.objects.create(
            number=number,
            title=title,
            objective=(objective or "").strip(),
            scope_chapters=chapters,
            scope_requirements=requirements,
            lead_auditor=lead_auditor,
            planned_date=planned_date,
            rulebook_version=version,
            created_by=by,
        )
        audit.projects.set(projects)
        audit.org_units.set(org_units)
        audit.auditors.set([a for a in auditors if a.pk != lead_auditor.pk])
        audit.auditees.set(auditees)
        AuditItem.objects.bulk_create(
            AuditItem(audit=audit, position=i, **row) for i, row in enumerate(rows, start=1)
        )
        transaction.on_commit(
            lambda: _notify_team(
                audit, [*team, *auditees], _("Internal audit %(code)s planned") % {"code": audit.code}
            )
        )
        return audit


def _lock(audit: Audit) -> Audit:
    return Audit.objects.select_for_update().get(pk=audit.pk)


def update_team(audit: Audit, *, lead_auditor, auditors: Iterable = (), auditees: Iterable = (), by) -> Audit:
    _require_person(by)
    auditors, auditees = list(auditors), list(auditees)
    with transaction.atomic(), _actor(by):
        audit = _lock(audit)
        if audit.status != Status.PLANNED:
            _refuse(_("The team can be changed only before the audit starts."))
        _check_team(
            rulebook_of(audit.rulebook_version),
            lead_auditor,
            auditors,
            auditees,
            list(audit.projects.select_related("org_unit")),
            list(audit.org_units.all()),
        )
        audit.lead_auditor = lead_auditor
        audit.save(update_fields=["lead_auditor", "updated_at"])
        audit.auditors.set([a for a in auditors if a.pk != lead_auditor.pk])
        audit.auditees.set(auditees)
        return audit


def start_audit(audit: Audit, *, by) -> Audit:
    _require_person(by)
    with transaction.atomic(), _actor(by):
        audit = _lock(audit)
        if audit.status != Status.PLANNED:
            _refuse(_("Only a planned audit can be started."))
        audit.status = Status.IN_PROGRESS
        audit.started_at = timezone.now()
        audit.save(update_fields=["status", "started_at", "updated_at"])
        return audit


def _nc_description(item: AuditItem, evidence: str, notes: str) -> dict[str, str]:
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            detail = " ".join(t for t in (evidence, notes) if t)
            texts[language] = _("Internal audit %(audit)s — %(item)s (%(clause)s): %(detail)s") % {
                "audit": item.audit.code,
                "item": (item.name or {}).get(language) or item.rule_id or item.req,
                "clause": item.clause or item.req,
                "detail": detail,
            }
    return texts


def _open_nc(item: AuditItem, *, by) -> Nonconformance:
    """The nonconformance of a nonconformity: the live one of the same criterion on the project, or a new
    one (source "audit")."""
    if item.rule_id:
        live = (
            Nonconformance.objects.filter(project=item.project, rule_id=item.rule_id)
            .exclude(status=Nonconformance.Status.CLOSED)
            .first()
        )
        if live is not None:
            return live
    rulebook = rulebook_of(item.audit.rulebook_version)
    owner_role = ""
    control_point = ""
    if item.rule_id and item.rule_id in rulebook:
        rule = rulebook.rule(item.rule_id)
        owner_role = rule.owner_role or ""
        control_point = rule.control_point or ""
    return quality.open_nonconformance(
        item.project,
        source=Nonconformance.Source.AUDIT,
        description=_nc_description(item, item.evidence, item.notes),
        severity=item.severity or "minor",
        by=by,
        owner_role=owner_role,
        control_point=control_point,
        rule_id=item.rule_id,
        req=item.req,
        clause=item.clause or item.req,
    )


def assess_item(
    item: AuditItem,
    *,
    result: str,
    by,
    evidence: str = "",
    notes: str = "",
    severity: str = "",
    project: MeetingProject | None = None,
) -> AuditItem:
    """Record the auditor's judgement of one checklist item; a nonconformity opens its nonconformance once."""
    _require_person(by)
    if result not in Result.values:
        _refuse(_("Choose conformity, nonconformity, observation or not applicable."), "result")
    evidence, notes = (evidence or "").strip(), (notes or "").strip()
    if result in (Result.NONCONFORMITY, Result.OBSERVATION) and not (evidence or notes):
        _refuse(_("Write down the evidence of the finding."), "evidence")
    if result == Result.NONCONFORMITY:
        if severity not in ("minor", "major"):
            _refuse(_("Choose the severity of the nonconformity."), "severity")
    else:
        severity = ""
    with transaction.atomic(), _actor(by):
        audit = _lock(item.audit)
        item = AuditItem.objects.select_for_update().get(pk=item.pk)
        item.audit = audit
        if audit.status != Status.IN_PROGRESS:
            _refuse(_("Checklist items are assessed while the audit is in progress."))
        if item.nonconformance_id and result != Result.NONCONFORMITY:
            _refuse(
                _("This item already opened %(nc)s; its result stays a nonconformity.")
                % {"nc": item.nonconformance.code},
                "result",
            )
        if result == Result.NONCONFORMITY:
            project = project or item.project or _only_project(audit)
            if project is None:
                _refuse(_("Choose the meeting project the nonconformity was found on."), "project")
            if item.nonconformance_id and project.pk != item.project_id:
                _refuse(_("The nonconformance is already opened on another project."), "project")
        item.result = result
        item.evidence = evidence
        item.notes = notes
        item.severity = severity
        if project is not None:
            item.project = project
        item.assessed_at = timezone.now()
        item.assessed_by = by
        if result == Result.NONCONFORMITY and not item.nonconformance_id:
            item.nonconformance = _open_nc(item, by=by)
        item.save()
        return item


def _only_project(audit: Audit) -> MeetingProject | None:
    projects = list(audit.projects.all()[:2])
    return projects[0] if len(projects) == 1 else None


def complete_audit(audit: Audit, *, summary: str, by) -> Audit:
    """Issue the audit report: every item assessed, a conclusion written. The follow-up stays open."""
    _require_person(by)
    summary = (summary or "").strip()
    if not summary:
        _refuse(_("Write the audit conclusion."), "summary")
    with transaction.atomic(), _actor(by):
        audit = _lock(audit)
        if audit.status != Status.IN_PROGRESS:
            _refuse(_("Only an audit in progress can be completed."))
        pending = audit.items.filter(result="").count()
        if pending:
            _refuse(
                _("%(n)s checklist item(s) are not assessed yet.") % {"n": pending},
                "items",
            )
        audit.status = Status.REPORTED
        audit.summary = summary
        audit.reported_at = timezone.now()
        audit.save(update_fields=["status", "summary", "reported_at", "updated_at"])
        return audit


def open_nonconformances(audit: Audit):
    ids = audit.items.exclude(nonconformance=None).values("nonconformance_id")
    return Nonconformance.objects.filter(pk__in=ids).exclude(status=Nonconformance.Status.CLOSED)


def close_audit(audit: Audit, *, note: str, by) -> Audit:
    """Follow-up verification: close the audit once every nonconformance it opened is closed."""
    _require_person(by)
    note = (note or "").strip()
    if not note:
        _refuse(_("Write down how the follow-up was verified."), "follow_up_note")
    with transaction.atomic(), _actor(by):
        audit = _lock(audit)
        if audit.status != Status.REPORTED:
            _refuse(_("Only a reported audit can be closed."))
        live = list(open_nonconformances(audit))
        if live:
            _refuse(
                _("Nonconformances still open: %(codes)s.") % {"codes": ", ".join(nc.code for nc in live)},
                "follow_up_note",
            )
        audit.status = Status.CLOSED
        audit.follow_up_note = note
        audit.closed_at = timezone.now()
        audit.closed_by = by
        audit.save(update_fields=["status", "follow_up_note", "closed_at", "closed_by", "updated_at"])
        return audit
