"""Internal audits (REQ-QLT-07): checklist from the rulebook, findings, nonconformances, follow-up."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from huiyi.quality import services as quality
from huiyi.quality.audits import queries, services
from huiyi.quality.audits.models import Audit, AuditItem
from huiyi.quality.models import Nonconformance
from huiyi.rulebook.services import active_rulebook

pytestmark = pytest.mark.django_db


def _plan(officer, project, **kwargs):
    values = {
        "title": "Q3 internal audit",
        "planned_date": dt.date(2026, 9, 1),
        "lead_auditor": officer,
        "by": officer,
        "scope_chapters": ["QLT"],
        "projects": [project],
    }
    values.update(kwargs)
    return services.plan_audit(**values)


def test_req_qlt_07_checklist_has_one_item_per_rule_in_scope(officer, project):
    """REQ-QLT-07: the checklist is built from the rulebook's clauses in scope, one item per rule."""
    audit = _plan(officer, project, scope_chapters=["QLT"], scope_requirements=["REQ-DOC-05"])
    rulebook = active_rulebook()
    expected = {r.id for r in rulebook.rules if r.req.startswith("REQ-QLT-") or r.req == "REQ-DOC-05"}
    items = list(audit.items.all())
    assert {i.rule_id for i in items if i.rule_id} == expected
    assert len([i for i in items if i.rule_id]) == len(expected)
    # a requirement of the scope without any rule still gets one item
    reqs_with_rules = {r.req for r in rulebook.rules}
    lone = {i.req for i in items if not i.rule_id}
    assert lone and not (lone & reqs_with_rules)
    item = audit.items.get(rule_id="qlt.sop.optimisation_meeting_interval")
    assert item.clause == "§3.1(3)" and item.evidence_asked["zh-hans"] and item.evidence_asked["en"]
    assert [i.position for i in items] == list(range(1, len(items) + 1))


def test_req_qlt_07_scope_must_name_known_clauses(officer, project):
    with pytest.raises(ValidationError) as error:
        _plan(officer, project, scope_chapters=[], scope_requirements=[])
    assert "scope_chapters" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _plan(officer, project, scope_chapters=["XYZ"])
    assert "scope_chapters" in error.value.message_dict
    assert not Audit.objects.exists()


def test_req_qlt_07_auditor_may_not_audit_own_unit_or_project(officer, manager, project, make_user, org):
    """REQ-QLT-07 (rule qlt.audit.auditor_independence): no auditing one's own unit or meeting project."""
    with pytest.raises(ValidationError) as error:
        _plan(officer, project, lead_auditor=manager)
    assert "lead_auditor" in error.value.message_dict
    insider = make_user("quality_officer", org["north_events"])
    with pytest.raises(ValidationError) as error:
        _plan(officer, project, auditors=[insider])
    assert "auditors" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.plan_audit(
            title="Unit audit",
            planned_date=dt.date(2026, 9, 1),
            lead_auditor=insider,
            by=officer,
            scope_chapters=["ONS"],
            org_units=[org["north"]],
        )
    assert _plan(officer, project, auditees=[manager]).pk


def test_req_qlt_07_nonconformity_opens_one_nonconformance_per_finding(officer, project):
    """REQ-QLT-07: a nonconformity opens a quality nonconformance (source audit), once per finding."""
    audit = _plan(officer, project)
    services.start_audit(audit, by=officer)
    item = audit.items.get(rule_id="qlt.sop.optimisation_meeting_interval")
    item = services.assess_item(
        item, result="nonconformity", evidence="No meeting minutes since March.", severity="major", by=officer
    )
    nc = item.nonconformance
    assert nc.source == Nonconformance.Source.AUDIT and nc.project == project
    assert nc.severity == "major" and nc.rule_id == item.rule_id and nc.clause == "§3.1(3)"
    assert audit.code in nc.description["zh-hans"] and audit.code in nc.description["en"]
    again = services.assess_item(
        item, result="nonconformity", evidence="Re-checked.", severity="major", by=officer
    )
    assert again.nonconformance_id == nc.pk
    assert Nonconformance.objects.filter(source="audit").count() == 1
    with pytest.raises(ValidationError):
        services.assess_item(item, result="conformity", by=officer)
    other = audit.items.exclude(pk=item.pk).first()
    services.assess_item(other, result="observation", notes="Could be clearer.", by=officer)
    assert Nonconformance.objects.count() == 1


def test_req_qlt_07_findings_need_evidence_and_the_audit_in_progress(officer, project):
    audit = _plan(officer, project)
    item = audit.items.first()
    with pytest.raises(ValidationError):
        services.assess_item(item, result="conformity", by=officer)  # audit not started
    services.start_audit(audit, by=officer)
    with pytest.raises(ValidationError) as error:
        services.assess_item(item, result="nonconformity", severity="minor", by=officer)
    assert "evidence" in error.value.message_dict
    assert not AuditItem.objects.exclude(result="").exists()


def test_req_qlt_07_follow_up_closes_the_audit_only_when_its_ncs_are_closed(officer, project):
    """REQ-QLT-07: the follow-up verification closes the audit once its nonconformances are closed."""
    audit = _plan(officer, project, scope_chapters=[], scope_requirements=["REQ-QLT-10"])
    services.start_audit(audit, by=officer)
    items = list(audit.items.all())
    first = services.assess_item(items[0], result="nonconformity", evidence="x", severity="minor", by=officer)
    for item in items[1:]:
        services.assess_item(item, result="conformity", evidence="ok", by=officer)
    services.complete_audit(audit, summary="One nonconformity.", by=officer)
    with pytest.raises(ValidationError):
        services.close_audit(audit, note="Checked", by=officer)
    nc = first.nonconformance
    quality.set_root_cause(nc, "No calendar reminder.", by=officer)
    action = quality.plan_action(nc, kind="corrective", description="Add reminder", by=officer)
    quality.complete_action(action, result="Reminder set", by=officer)
    quality.verify_effect(nc, note="Next meeting held", by=officer)
    quality.close(nc, by=officer)
    audit = services.close_audit(audit, note="All closed", by=officer)
    assert audit.status == Audit.Status.CLOSED and audit.closed_by == officer


def test_req_qlt_07_complete_needs_every_item_assessed(officer, project):
    audit = _plan(officer, project, scope_chapters=[], scope_requirements=["REQ-QLT-10"])
    services.start_audit(audit, by=officer)
    with pytest.raises(ValidationError) as error:
        services.complete_audit(audit, summary="Done", by=officer)
    assert "items" in error.value.message_dict


def test_req_qlt_07_compliance_view_shows_last_audit_and_control_point_results(officer, project):
    """REQ-QLT-07 (§11.5): per clause, the last audit result and the automatic control-point results."""
    audit = _plan(officer, project, scope_chapters=[], scope_requirements=["REQ-PLN-03"])
    services.start_audit(audit, by=officer)
    rule_item = audit.items.get(rule_id="ccp02.budget_deviation")
    services.assess_item(
        rule_item, result="nonconformity", evidence="Budget 9% over", severity="minor", by=officer
    )
    quality.record_budget(project, planned="109", budget="100", by=officer)
    quality.evaluate(project, "CCP-02", by=officer)
    chapters = queries.compliance(officer, chapter="PLN")
    rows = {r.rule_id: r for c in chapters for r in c.rows}
    row = rows["ccp02.budget_deviation"]
    assert row.last_result == "nonconformity" and row.times_audited == 1 and row.nonconformities == 1
    assert row.last_audit_code == audit.code
    assert row.cp_fail == 1 and row.cp_pass == 0 and row.cp_state == "fail"
    untouched = [r for r in rows.values() if r.rule_id != "ccp02.budget_deviation" and r.req != "REQ-PLN-03"]
    assert untouched and all(r.last_assessed is None and r.stale for r in untouched)
    summary = queries.compliance_summary(chapters)
    assert summary["nonconforming"] == 1 and summary["audited"] >= 1


def test_req_qlt_07_open_findings_kpi(officer, project):
    from huiyi.quality.kpis.registry import Scope, get

    audit = _plan(officer, project, scope_chapters=[], scope_requirements=["REQ-QLT-10"])
    services.start_audit(audit, by=officer)
    services.assess_item(
        audit.items.first(), result="nonconformity", evidence="x", severity="minor", by=officer
    )
    value = get("audit_findings_open").compute(Scope(dt.date(2026, 1, 1), dt.date(2027, 1, 1), user=officer))
    assert value.value == 1 and value.denominator == 1
    empty = get("audit_findings_open").compute(Scope(dt.date(2020, 1, 1), dt.date(2021, 1, 1), user=officer))
    assert not empty.has_data
