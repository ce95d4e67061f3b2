"""Rulebook versions: clone, edit a draft, activate with a change note; diff and history; pinning.

REQ-QLT-10 (SOP and process updates: the standard's numbers are revised as a new version) and REQ-DOC-08
(every version kept with author, time and change note).
"""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from huiyi.rulebook import services
from huiyi.rulebook.models import RulebookVersion

pytestmark = pytest.mark.django_db

BUDGET = "ccp02.budget_deviation"


@pytest.fixture
def officer(make_user, org):
    return make_user("quality_officer", org["company"], username="officer")


@pytest.fixture
def v1():
    return services.active_version()


def test_REQ_QLT_10_clone_creates_a_draft_with_the_next_number(officer, v1):
    draft = services.clone_version(v1, by=officer)
    assert (draft.number, draft.status, draft.based_on) == (v1.number + 1, "draft", v1)
    assert draft.created_by == officer
    assert draft.data["version"] == draft.number
    assert services.rulebook_of(draft).value(BUDGET) == 0.05
    assert services.active_version() == v1  # a draft is not in force


def test_REQ_QLT_10_edit_a_draft_value_name_and_description(officer, v1):
    draft = services.clone_version(v1, by=officer)
    services.update_rule(
        draft,
        BUDGET,
        value=0.04,
        name={"zh-hans": "预算偏差率", "en": "Budget deviation rate"},
        description={"zh-hans": "说明", "en": "Explanation"},
        by=officer,
    )
    draft.refresh_from_db()
    rule = services.rulebook_of(draft).rule(BUDGET)
    assert rule.value == 0.04
    assert rule.name.en == "Budget deviation rate"
    assert rule.description.zh_hans == "说明"
    assert services.rulebook_of(v1).value(BUDGET) == 0.05  # the source is untouched
    entry = LogEntry.objects.filter(object_pk=str(draft.pk), changes__has_key=f"{BUDGET}.value").get()
    assert entry.actor == officer
    assert entry.changes[f"{BUDGET}.value"] == ["0.05", "0.04"]


def test_REQ_QLT_10_edit_a_range_rule(officer, v1):
    draft = services.clone_version(v1, by=officer)
    services.update_rule(draft, "ons.environment.temperature", value=[19, 25], by=officer)
    draft.refresh_from_db()
    assert services.rulebook_of(draft).value("ons.environment.temperature") == (19, 25)


@pytest.mark.parametrize(
    ("rule_id", "value", "reason"),
    [
        (BUDGET, 5, "not a fraction"),  # ratio written as 5 instead of 0.05
        ("ons.environment.temperature", 22, "between"),  # a range needs [min, max]
        ("ons.environment.temperature", [24, 20], "min ≤ max"),
        ("fbk.final_score.alpha", 0.9, "add up to"),  # α + β must stay 1 (REQ-FBK-08)
        (BUDGET, None, "needs a number"),
    ],
)
def test_REQ_QLT_10_breaking_edit_is_refused_and_the_draft_stays(officer, v1, rule_id, value, reason):
    draft = services.clone_version(v1, by=officer)
    before = (draft.data, draft.digest)
    with pytest.raises(ValidationError) as caught:
        services.update_rule(draft, rule_id, value=value, by=officer)
    messages = " ".join(caught.value.message_dict["value"])
    assert rule_id in messages and reason in messages
    draft.refresh_from_db()
    assert (draft.data, draft.digest) == before


def test_REQ_QLT_10_names_need_both_languages(officer, v1):
    draft = services.clone_version(v1, by=officer)
    with pytest.raises(ValidationError) as caught:
        services.update_rule(draft, BUDGET, name={"zh-hans": "预算", "en": " "}, by=officer)
    assert "name" in caught.value.message_dict


def test_REQ_QLT_10_unknown_rule_is_named(officer, v1):
    draft = services.clone_version(v1, by=officer)
    with pytest.raises(ValidationError, match="no.such"):
        services.update_rule(draft, "no.such", value=1, by=officer)


def test_REQ_QLT_10_active_and_retired_versions_cannot_be_edited(officer, v1):
    with pytest.raises(ValidationError) as caught:
        services.update_rule(v1, BUDGET, value=0.04, by=officer)
    assert caught.value.code == "not_draft"
    assert services.rulebook_of(services.active_version()).value(BUDGET) == 0.05


def test_REQ_DOC_08_activate_needs_a_note_and_retires_the_previous_version(officer, v1):
    draft = services.clone_version(v1, by=officer)
    services.update_rule(draft, BUDGET, value=0.04, by=officer)
    with pytest.raises(ValidationError) as caught:
        services.activate(draft, note="  ", by=officer)
    assert "change_note" in caught.value.message_dict
    assert services.active_version() == v1

    services.activate(draft, note="预算偏差收紧到4%", by=officer)
    draft.refresh_from_db()
    v1.refresh_from_db()
    assert (draft.status, v1.status) == ("active", "retired")
    assert draft.change_note == "预算偏差收紧到4%"
    assert draft.activated_by == officer and draft.activated_at is not None
    assert services.active_version() == draft
    assert services.active_rulebook().value(BUDGET) == 0.04
    assert RulebookVersion.objects.filter(status="active").count() == 1
    entry = LogEntry.objects.filter(object_pk=str(draft.pk), changes__has_key="replaces").get()
    assert entry.actor == officer and entry.changes["change_note"][1] == "预算偏差收紧到4%"
    assert entry.changes["replaces"] == ["", "v1"]
    with pytest.raises(ValidationError):
        services.activate(draft, note="again", by=officer)  # only drafts are activated
    with pytest.raises(ValidationError):
        services.update_rule(draft, BUDGET, value=0.03, by=officer)  # an active version is frozen


def test_REQ_QLT_10_projects_keep_the_version_they_pinned(officer, v1, make_project):
    """A project created before activation is measured by its own version, before and after."""
    early = make_project()
    draft = services.clone_version(v1, by=officer)
    services.update_rule(draft, BUDGET, value=0.04, by=officer)
    services.activate(draft, note="tighter budget", by=officer)
    late = make_project()
    early.refresh_from_db()
    assert early.rulebook_version == v1
    assert services.rulebook_for(early).value(BUDGET) == 0.05
    assert late.rulebook_version == draft
    assert services.rulebook_for(late).value(BUDGET) == 0.04


def test_REQ_DOC_08_diff_lists_changed_added_and_removed_rules(officer, v1):
    draft = services.clone_version(v1, by=officer)
    services.update_rule(draft, BUDGET, value=0.04, by=officer)
    services.update_rule(
        draft, "ons.wifi_signal", name={"zh-hans": "无线信号", "en": "Wireless signal"}, by=officer
    )
    draft.refresh_from_db()
    changes = services.diff(v1, draft)
    assert [(c.rule_id, c.change, c.field, c.old, c.new) for c in changes] == [
        (BUDGET, "changed", "value", 0.05, 0.04),
        (
            "ons.wifi_signal",
            "changed",
            "name",
            {"zh-hans": "Wi-Fi信号强度", "en": "Wi-Fi signal strength"},
            {"zh-hans": "无线信号", "en": "Wireless signal"},
        ),
    ]
    assert services.diff(v1, v1) == []
    # a rule removed from one version shows as removed one way and added the other
    data = draft.data
    data["rules"] = [r for r in data["rules"] if r["id"] != "ons.wifi_signal"]
    draft.data = data
    draft.digest = "x" * 64
    draft.save()
    assert ("ons.wifi_signal", "removed") in [(c.rule_id, c.change) for c in services.diff(v1, draft)]
    assert ("ons.wifi_signal", "added") in [(c.rule_id, c.change) for c in services.diff(draft, v1)]


def test_REQ_DOC_08_history_shows_the_versions_in_which_the_value_changed(officer, v1):
    v2 = services.clone_version(v1, by=officer)
    services.update_rule(v2, BUDGET, value=0.04, by=officer)
    services.activate(v2, note="4 %", by=officer)
    v3 = services.clone_version(v2, by=officer)
    services.update_rule(v3, "ons.wifi_signal", value=-67, by=officer)
    services.activate(v3, note="Wi-Fi", by=officer)
    v4 = services.clone_version(v3, by=officer)
    services.update_rule(v4, BUDGET, value=0.03, by=officer)  # a draft: not in force

    assert [(v.number, value) for v, value in services.rule_history(BUDGET)] == [(1, 0.05), (2, 0.04)]
    assert [(v.number, value) for v, value in services.rule_history(BUDGET, include_drafts=True)] == [
        (1, 0.05),
        (2, 0.04),
        (4, 0.03),
    ]
    assert [(v.number, value) for v, value in services.rule_history("ons.wifi_signal")] == [
        (1, -65),
        (3, -67),
    ]
    assert services.rule_history("no.such.rule") == []


def test_planner_may_not_clone_edit_or_activate(make_user, org, officer, v1):
    """Deny by default: only holders of rulebook.change_rulebookversion change the rulebook."""
    planner = make_user("planner", org["north"])
    assert not planner.has_perm("rulebook.change_rulebookversion")
    assert planner.has_perm("rulebook.view_rulebookversion")
    with pytest.raises(PermissionDenied):
        services.clone_version(v1, by=planner)
    draft = services.clone_version(v1, by=officer)
    with pytest.raises(PermissionDenied):
        services.update_rule(draft, BUDGET, value=0.04, by=planner)
    with pytest.raises(PermissionDenied):
        services.activate(draft, note="x", by=planner)
    assert RulebookVersion.objects.get(pk=draft.pk).status == "draft"


def test_superuser_and_quality_officer_may_change_the_rulebook(make_user, officer):
    admin = make_user(None, None, is_superuser=True)
    assert admin.has_perm("rulebook.change_rulebookversion")
    assert officer.has_perm("rulebook.change_rulebookversion")
