"""A Huiyi release shipping a changed standard.yaml: the installation's rulebook is brought up to it on
``migrate`` without losing the organisation's own values (REQ-QLT-10: the standard's numbers are revised as a
new version; REQ-DOC-08: every version kept with its change note). Projects keep their pinned version.

The "earlier release" is simulated: its standard is the shipped one with one default changed, one rule
missing (added since) and one rule more (removed since).
"""

import copy
import logging

import pytest
from auditlog.models import LogEntry
from django.utils import translation

from huiyi.rulebook import services, upgrade
from huiyi.rulebook.loader import load_rulebook
from huiyi.rulebook.models import RulebookVersion, ShippedRulebook

pytestmark = pytest.mark.django_db

BUDGET = "ccp02.budget_deviation"  # default moved between the releases; the organisation never touched it
CREATIVITY = "ccp02.creativity_score"  # the organisation changed it
TEMPERATURE = "ons.environment.temperature"  # new in this release
RETIRED = "ccp02.retired_check"  # only in the earlier release


def shipped_temperature():
    return upgrade.shipped_standard().value(TEMPERATURE)


def _rule(data, rule_id):
    return next(r for r in data["rules"] if r["id"] == rule_id)


def earlier_standard() -> dict:
    data = upgrade.shipped_standard().as_data()
    _rule(data, BUDGET)["value"] = 0.08
    data["rules"] = [r for r in data["rules"] if r["id"] != TEMPERATURE]
    retired = copy.deepcopy(_rule(data, BUDGET))
    retired.update(id=RETIRED, name={"zh-hans": "旧检查", "en": "Old check"})
    data["rules"].append(retired)
    return data


@pytest.fixture
def installed_earlier(officer):
    """An installation set up by the earlier release; its quality officer raised the creativity bar to 85."""
    old = earlier_standard()
    digest = load_rulebook(old).digest
    ShippedRulebook.objects.create(digest=digest, data=old)
    ours = copy.deepcopy(old)
    _rule(ours, CREATIVITY)["value"] = 85
    _rule(ours, CREATIVITY)["name"] = {"zh-hans": "创意分（本单位）", "en": "Creativity (ours)"}
    RulebookVersion.objects.update(status=RulebookVersion.Status.RETIRED)
    number = services._next_number()
    ours["version"] = number
    version = RulebookVersion.objects.create(
        number=number,
        title={"zh-hans": "本单位规则", "en": "Our rules"},
        data=ours,
        digest=load_rulebook(ours).digest,
        status=RulebookVersion.Status.ACTIVE,
        shipped_digest=digest,
        change_note="creativity 85",
    )
    return version


@pytest.fixture
def officer(make_user, org):
    return make_user("quality_officer", org["company"], username="officer")


def test_REQ_QLT_10_merge_takes_new_defaults_and_keeps_the_organisations_values():
    base = earlier_standard()
    ours = copy.deepcopy(base)
    _rule(ours, CREATIVITY)["value"] = 85
    merged = upgrade.merge(base, ours, upgrade.shipped_standard().as_data())
    assert _rule(merged.data, BUDGET)["value"] == 0.05  # untouched: the new default
    assert _rule(merged.data, CREATIVITY)["value"] == 85  # edited: kept
    assert _rule(merged.data, TEMPERATURE) == _rule(upgrade.shipped_standard().as_data(), TEMPERATURE)
    assert RETIRED not in {r["id"] for r in merged.data["rules"]}
    assert (merged.added, merged.removed) == ([TEMPERATURE], [RETIRED])
    assert (merged.updated, merged.kept, merged.replaced) == ([BUDGET], [], [])
    assert merged.changed


def test_REQ_QLT_10_merge_reports_a_kept_value_whose_default_moved_and_a_redefined_rule():
    base = upgrade.shipped_standard().as_data()
    theirs = copy.deepcopy(base)
    _rule(theirs, CREATIVITY)["value"] = 75  # the standard moved the default …
    _rule(theirs, BUDGET)["op"] = "<"  # … and redefined a rule
    ours = copy.deepcopy(base)
    _rule(ours, CREATIVITY)["value"] = 85  # … which the organisation had both changed
    _rule(ours, BUDGET)["value"] = 0.04
    merged = upgrade.merge(base, ours, theirs)
    assert _rule(merged.data, CREATIVITY)["value"] == 85 and merged.kept == [CREATIVITY]
    assert _rule(merged.data, BUDGET) == _rule(theirs, BUDGET) and merged.replaced == [BUDGET]
    with translation.override("en"):
        assert "organisation's value kept: " + CREATIVITY in merged.note()
    with translation.override("zh-hans"):
        assert "保留本单位的值：" + CREATIVITY in merged.note()


def test_REQ_QLT_10_an_unchanged_standard_changes_nothing():
    same = upgrade.shipped_standard().as_data()
    merged = upgrade.merge(same, copy.deepcopy(same), copy.deepcopy(same))
    assert not merged.changed
    assert upgrade.bring_in_shipped_standard() is None  # a fresh installation is up to date
    first = RulebookVersion.objects.get(number=1)
    assert first.shipped_digest == upgrade.shipped_digest()
    assert ShippedRulebook.objects.filter(digest=upgrade.shipped_digest()).exists()


def test_REQ_QLT_10_upgrade_puts_the_merged_rulebook_in_force_and_projects_keep_their_version(
    installed_earlier, make_project, org
):
    project = make_project(org["north_events"])
    assert project.rulebook_version == installed_earlier
    upgraded = upgrade.bring_in_shipped_standard()
    assert upgraded.status == "active" and upgraded.based_on == installed_earlier
    assert upgraded.number == installed_earlier.number + 1 and upgraded.data["version"] == upgraded.number
    assert upgraded.shipped_digest == upgrade.shipped_digest()
    installed_earlier.refresh_from_db()
    assert installed_earlier.status == "retired"
    now = services.active_rulebook()
    assert (
        now.value(BUDGET) == 0.05
        and now.value(CREATIVITY) == 85
        and now.value(TEMPERATURE) == shipped_temperature()
    )
    assert now.rule(CREATIVITY).name.get("en") == "Creativity (ours)"
    assert RETIRED not in now
    for part in (
        f"新增：{TEMPERATURE}",
        f"采用新默认值：{BUDGET}",
        f"已删除：{RETIRED}",
    ):  # the installation's language
        assert part in upgraded.change_note
    event = LogEntry.objects.get_for_object(upgraded).filter(changes__has_key="replaces").get()
    assert event.actor is None and event.changes["replaces"] == ["", f"v{installed_earlier.number}"]
    # The meeting started under the earlier version keeps its numbers, and reads rules added since from the
    # standard.
    pinned = services.rulebook_for(project)
    assert pinned.value(BUDGET) == 0.08 and pinned.value(CREATIVITY) == 85 and RETIRED in pinned
    assert pinned.value(TEMPERATURE) == shipped_temperature()
    assert TEMPERATURE not in services.rulebook_of(installed_earlier)  # the version itself is as stored
    # The next migrate finds nothing to do.
    assert upgrade.bring_in_shipped_standard() is None
    assert RulebookVersion.objects.filter(status="active").get() == upgraded


def test_REQ_QLT_10_an_upgrade_that_does_not_validate_puts_nothing_in_force(
    installed_earlier, monkeypatch, caplog
):
    monkeypatch.setattr(upgrade, "validate", lambda data: ["weights of group X add up to 1.1"])
    with caplog.at_level(logging.ERROR, logger="huiyi.rulebook.upgrade"):
        assert upgrade.bring_in_shipped_standard() is None
    assert "does not validate" in caplog.text and "weights of group X" in caplog.text
    assert services.active_version() == installed_earlier
    # The code of this release still finds the rules it needs.
    assert services.active_rulebook().value(TEMPERATURE) == shipped_temperature()


def test_REQ_QLT_10_a_draft_from_the_earlier_standard_is_rebased_when_activated(installed_earlier, officer):
    draft = services.clone_version(installed_earlier, by=officer)
    assert draft.shipped_digest == installed_earlier.shipped_digest
    services.update_rule(draft, BUDGET, value=0.03, by=officer)
    services.activate(draft, note="tighter budget", by=officer)
    draft.refresh_from_db()
    book = services.rulebook_of(draft)
    assert draft.shipped_digest == upgrade.shipped_digest()
    assert (
        book.value(BUDGET) == 0.03
        and book.value(CREATIVITY) == 85
        and book.value(TEMPERATURE) == shipped_temperature()
    )
    assert RETIRED not in book
    event = LogEntry.objects.get_for_object(draft).filter(changes__has_key="rebased").get()
    assert TEMPERATURE in event.changes["rebased"][1]
