"""The rulebook browser: by chapter, by phase, search, rule detail, versions, draft editing, activation, diff.

The issue's "done when": the browser shows every requirement with a number (REQ-QLT-01…04 and every
numeric requirement). Values are shown for people: ratios as percentages (REQ-QLT-03 / REQ-PLN-03 budget
deviation ≤ 5%), ranges with units (REQ-ONS-04 20–24 °C), deadlines with their clock (REQ-FBK-03),
weights (REQ-FBK-08 α = 0.6).
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from huiyi.rulebook import display, queries, services
from huiyi.rulebook.models import RulebookVersion
from huiyi.rulebook.requirements import REQ_IDS

pytestmark = pytest.mark.django_db

BUDGET = "ccp02.budget_deviation"


@pytest.fixture
def officer(make_user, org):
    return make_user("quality_officer", org["company"], username="officer")


@pytest.fixture
def planner(make_user, org):
    return make_user("planner", org["north"], username="planner")


def page(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- display: one module formats values for every app -----------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "zh", "en"),
    [
        (BUDGET, "≤ 5%", "≤ 5%"),  # REQ-PLN-03 / REQ-QLT-03: ratios as percentages
        ("ons.environment.temperature", "20–24 °C", "20–24 °C"),  # REQ-ONS-04
        ("ons.wifi_signal", "≥ -65 dBm", "≥ -65 dBm"),  # REQ-ONS-03
        ("ccp02.creativity_score", "≥ 80/100", "≥ 80/100"),
        ("fbk.final_score.alpha", "0.6", "0.6"),  # REQ-FBK-08
        ("pre.review.administration_draft", "1 个工作日内", "within 1 working day"),
        ("int.key_step.initial_survey", "24 小时内", "within 24 hours"),  # REQ-INT-02
        ("doc.retention.attendee_list", "永久", "permanent"),  # REQ-DOC-04
        ("tec.support_hours", "09:00–18:00 (周一至周五)", "09:00–18:00 (Mon–Fri)"),  # REQ-TEC-01
        ("inc.level.i", "I 级", "level I"),  # REQ-INC-01
        ("ccp01.no_unclear_items", "须满足", "required"),
    ],
)
def test_values_are_formatted_for_people(rule_id, zh, en):
    rule = services.active_rulebook().rule(rule_id)
    assert display.format_value(rule, "zh-hans") == zh
    assert display.format_value(rule, "en") == en


def test_REQ_FBK_03_deadlines_name_their_clock():
    rulebook = services.active_rulebook()
    working = [r for r in rulebook.rules if r.kind == "deadline" and r.clock == "working_days"]
    assert working
    for rule in working:
        assert "个工作日" in display.format_value(rule, "zh-hans")
        assert "working day" in display.format_value(rule, "en")


def test_display_numbers_round_trip_for_ratios():
    assert display.format_number(0.07, "ratio") == "7"
    assert display.from_display_number("4", "ratio") == 0.04
    assert display.from_display_number("99.5", "ratio") == 0.995
    assert display.from_display_number("-65", "dBm") == -65


# --- browse -------------------------------------------------------------------------------------------


def test_browser_shows_every_requirement_and_every_rule_by_chapter(client, planner):
    """Done when: every REQ with a number is findable — every REQ ID of the catalogue is on the page."""
    client.force_login(planner)
    html = page(client, "rulebook:browse")
    for req in REQ_IDS:
        assert f'data-req="{req}"' in html, req
    rulebook = services.active_rulebook()
    for rule in rulebook.rules:
        assert f'id="rule-{rule.id}"' in html, rule.id
    for code in queries.CHAPTERS:
        assert f'id="chapter-{code}"' in html
    assert "预算偏差" in html and "≤ 5%" in html  # REQ-PLN-03 in Chinese (the default language)


def test_every_numeric_requirement_has_rules_in_the_chapter_view(planner):
    chapters = queries.by_chapter(services.active_rulebook(), with_history=False)
    with_rules = {g.id for c in chapters for g in c.requirements if g.rows or g.also}
    assert services.active_rulebook().req_ids <= with_rules


def test_REQ_QLT_01_browser_by_phase_lists_control_points_in_order(client, planner):
    client.force_login(planner)
    html = page(client, "rulebook:browse", tab="phase")
    positions = [html.index(f'id="CCP-{n:02d}"') for n in (1, 2, 3, 4, 5, 6, 7, 8, 11, 9, 10, 12)]
    assert positions == sorted(positions)  # P1: 1–3, P2: 4–7, P3: 8, 11, P4: 9–10, P5: 12
    for phase in ("P1", "P2", "P3", "P4", "P5"):
        assert f'id="phase-{phase}"' in html


@pytest.mark.parametrize(
    ("q", "rule_id"),
    [
        ("Wi-Fi", "ons.wifi_signal"),
        ("-65", "ons.wifi_signal"),
        ("REQ-ONS-04", "ons.environment.temperature"),
        ("ccp02.budget", BUDGET),
        ("预算偏差", BUDGET),
        ("§3.2 CCP 2", BUDGET),
    ],
)
def test_search_by_text_req_id_rule_id_value(client, planner, q, rule_id):
    client.force_login(planner)
    html = page(client, "rulebook:browse", q=q)
    assert f'id="rule-{rule_id}"' in html
    assert 'id="search-results"' in html


def test_search_without_match_says_so(client, planner):
    client.force_login(planner)
    html = page(client, "rulebook:browse", q="zzzz-nothing")
    assert 'id="search-results"' in html and 'id="rule-' not in html


def test_rule_detail_shows_description_and_history(client, planner):
    client.force_login(planner)
    html = page(client, "rulebook:rule", BUDGET)
    assert "REQ-PLN-03" in html and "§3.2 CCP 2" in html
    assert "|方案预算 − 客户预算| / 客户预算" in html
    assert 'id="rule-history"' in html and "v1" in html
    assert client.get(reverse("rulebook:rule", args=["no.such"])).status_code == 404


def test_english_browser_uses_english_names(client, planner):
    client.force_login(planner)
    with translation.override("en"):
        client.cookies.load({"huiyi_language": "en"})
        html = page(client, "rulebook:rule", "pre.review.administration_draft")
    assert "within 1 working day" in html


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("rulebook:browse"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_navigation_has_the_rulebook(client, planner):
    client.force_login(planner)
    assert 'data-module="rulebook"' in page(client, "rulebook:browse")


# --- versions, editing, activation, diff ----------------------------------------------------------------


def test_REQ_QLT_10_clone_edit_activate_through_the_pages(client, officer, make_project):
    early = make_project()
    client.force_login(officer)
    html = page(client, "rulebook:versions")
    assert 'data-clone="1"' in html
    response = client.post(reverse("rulebook:clone", args=[1]))
    assert response.status_code == 302 and response["Location"] == reverse("rulebook:version", args=[2])
    html = page(client, "rulebook:version", 2)
    assert 'id="activate-form"' in html and f'data-edit="{BUDGET}"' in html

    edit_url = reverse("rulebook:rule_edit", args=[2, BUDGET])
    html = page(client, "rulebook:rule_edit", 2, BUDGET)
    assert re.search(r'name="value"[^>]*value="5"', html)  # shown in percent
    form = {
        "value": "4",
        "name_zh": "预算偏差",
        "name_en": "Budget deviation",
        "description_zh": "",
        "description_en": "",
    }
    response = client.post(edit_url, form)
    assert response.status_code == 302
    assert services.rulebook_of(RulebookVersion.objects.get(number=2)).value(BUDGET) == 0.04

    response = client.post(reverse("rulebook:activate", args=[2]), {"change_note": ""})
    assert response.status_code == 400 and "is-invalid" in response.content.decode()
    assert RulebookVersion.objects.get(number=2).status == "draft"

    response = client.post(reverse("rulebook:activate", args=[2]), {"change_note": "预算偏差收紧到 4%"})
    assert response.status_code == 302
    assert response["Location"] == reverse("rulebook:diff") + "?a=1&b=2"
    html = page(client, "rulebook:diff", a=1, b=2)
    assert f'data-rule="{BUDGET}"' in html and "5%" in html and "4%" in html
    assert "预算偏差收紧到 4%" in html
    # pinning: the earlier project keeps version 1 and 5 %
    early.refresh_from_db()
    assert services.rulebook_for(early).value(BUDGET) == 0.05
    # the browser shows the change against the rule
    html = page(client, "rulebook:browse")
    assert 'href="/rulebook/versions/2/">v2</a>' in html


def test_REQ_QLT_10_breaking_edit_shows_a_field_error_and_changes_nothing(client, officer):
    client.force_login(officer)
    draft = services.clone_version(services.active_version(), by=officer)
    before = draft.digest
    form = {"value": "150", "name_zh": "预算偏差", "name_en": "Budget deviation"}  # 150 % is no fraction
    response = client.post(reverse("rulebook:rule_edit", args=[draft.number, BUDGET]), form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "is-invalid" in html and BUDGET in html and "not a fraction" in html
    draft.refresh_from_db()
    assert draft.digest == before
    # a range with min above max is refused by the form itself
    response = client.post(
        reverse("rulebook:rule_edit", args=[draft.number, "ons.environment.temperature"]),
        {"low": "25", "high": "20", "name_zh": "温度", "name_en": "Temperature"},
    )
    assert response.status_code == 400 and "is-invalid" in response.content.decode()
    # names are required
    response = client.post(reverse("rulebook:rule_edit", args=[draft.number, BUDGET]), {"value": "4"})
    assert response.status_code == 400


def test_REQ_QLT_10_active_version_cannot_be_edited_in_the_pages(client, officer):
    client.force_login(officer)
    html = page(client, "rulebook:version", 1)
    assert 'data-edit="' not in html and 'id="activate-form"' not in html
    response = client.post(reverse("rulebook:rule_edit", args=[1, BUDGET]), {"value": "4"})
    assert response.status_code == 302
    assert services.active_rulebook().value(BUDGET) == 0.05


def test_planner_cannot_clone_edit_or_activate(client, planner, officer):
    client.force_login(planner)
    assert client.post(reverse("rulebook:clone", args=[1])).status_code == 403
    draft = services.clone_version(services.active_version(), by=officer)
    assert client.get(reverse("rulebook:rule_edit", args=[draft.number, BUDGET])).status_code == 403
    response = client.post(reverse("rulebook:activate", args=[draft.number]), {"change_note": "x"})
    assert response.status_code == 403
    html = page(client, "rulebook:version", draft.number)
    assert 'id="clone-version"' not in html and 'data-edit="' not in html
    assert RulebookVersion.objects.get(pk=draft.pk).status == "draft"


def test_diff_defaults_to_the_active_version_and_its_predecessor(client, officer):
    client.force_login(officer)
    html = page(client, "rulebook:diff")
    assert "The two versions have the same rules." in html or 'id="diff"' in html


# --- bounded queries --------------------------------------------------------------------------------------


def test_list_views_have_bounded_query_counts(client, officer, django_assert_max_num_queries):
    v1 = services.active_version()
    for note in ("a", "b", "c"):
        draft = services.clone_version(services.active_version(), by=officer)
        services.update_rule(draft, BUDGET, value=0.01 * len(note) + 0.02, by=officer)
        services.activate(draft, note=note, by=officer)
    services.clone_version(v1, by=officer)
    client.force_login(officer)
    for name, args, params in [
        ("rulebook:browse", [], {}),
        ("rulebook:browse", [], {"tab": "phase"}),
        ("rulebook:browse", [], {"q": "Wi-Fi"}),
        ("rulebook:versions", [], {}),
        ("rulebook:version", [2], {}),
        ("rulebook:rule", [BUDGET], {}),
        ("rulebook:diff", [], {"a": 1, "b": 4}),
    ]:
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name, args=args), params).status_code == 200
