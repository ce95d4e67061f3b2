"""Quality pages: the scorecard (REQ-QLT-01/03), manual measurements, evaluate now, nonconformance list and
workflow (REQ-QLT-06), the what-if page — permissions, bad input, bounded queries."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from huiyi.quality import services
from huiyi.quality.models import ControlPointResult, CorrectiveAction, ManualMeasurement, Nonconformance
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(make_user, org):
    return make_user("project_director", org["north"], username="zhao")


@pytest.fixture
def project(make_project, director):
    return make_project(phase=2, members=[(director, "project_director")])


def signed_in(client, user):
    client.force_login(user)
    return client


def failing_planned(project) -> Decimal:
    limit = Decimal(str(rulebook_for(project).value("ccp02.budget_deviation")))
    return Decimal(1000000) * (1 + limit) + 18000


def test_scorecard_shows_phases_control_points_and_criteria(client, project, director):
    response = signed_in(client, director).get(reverse("quality:scorecard", args=[project.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    rulebook = rulebook_for(project)
    for cp in rulebook.control_points:
        assert f'id="{cp.id}"' in html
    assert html.count('class="criterion') == len([r for r in rulebook.rules if r.control_point])
    assert 'id="evaluate-now"' in html
    assert "hx-post" in html


def test_project_detail_links_to_the_scorecard(client, project, director):
    html = signed_in(client, director).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert reverse("quality:scorecard", args=[project.pk]) in html


def test_budget_entry_then_evaluate_shows_fail_and_nonconformance(client, project, director):
    signed_in(client, director)
    url = reverse("quality:measure", args=[project.pk, "ccp02.budget_deviation"])
    prefix = "m-ccp02.budget_deviation"
    response = client.post(
        url,
        {
            f"{prefix}-planned": str(failing_planned(project)),
            f"{prefix}-budget": "1000000",
            f"{prefix}-note": "",
        },
    )
    assert response.status_code == 302
    measurement = ManualMeasurement.objects.get()
    assert measurement.author == director and Decimal(measurement.inputs["budget"]) == 1000000

    response = client.post(reverse("quality:evaluate", args=[project.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="scorecard-body"' in html and "<html" not in html
    assert 'data-verdict="fail"' in html
    nc = Nonconformance.objects.get(project=project)
    assert nc.code in html


def test_bad_measurement_shows_field_message_and_saves_nothing(client, project, director):
    signed_in(client, director)
    prefix = "m-ccp02.creativity_score"
    response = client.post(
        reverse("quality:measure", args=[project.pk, "ccp02.creativity_score"]),
        {f"{prefix}-value": "abc", f"{prefix}-note": ""},
    )
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    prefix = "m-ccp02.budget_deviation"
    response = client.post(
        reverse("quality:measure", args=[project.pk, "ccp02.budget_deviation"]),
        {f"{prefix}-planned": "100", f"{prefix}-budget": "0"},
    )
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert not ManualMeasurement.objects.exists()


def test_ratio_is_entered_as_a_percentage(client, project, director):
    signed_in(client, director)
    prefix = "m-ccp02.client_confirmation"
    client.post(
        reverse("quality:measure", args=[project.pk, "ccp02.client_confirmation"]),
        {f"{prefix}-value": "97", f"{prefix}-note": "客户书面确认"},
    )
    assert ManualMeasurement.objects.get().value == Decimal("0.97")


def test_viewers_without_change_rights_cannot_evaluate_or_measure(client, project, make_user, org):
    finance = make_user("finance", org["north"], username="chu")  # sees unit projects, no change right
    signed_in(client, finance)
    assert client.get(reverse("quality:scorecard", args=[project.pk])).status_code == 200
    assert client.post(reverse("quality:evaluate", args=[project.pk])).status_code == 403
    prefix = "m-ccp02.creativity_score"
    response = client.post(
        reverse("quality:measure", args=[project.pk, "ccp02.creativity_score"]), {f"{prefix}-value": "90"}
    )
    assert response.status_code == 403
    assert not ControlPointResult.objects.exists() and not ManualMeasurement.objects.exists()


def test_quality_officer_may_evaluate_projects_of_their_unit(client, project, make_user, org):
    officer = make_user("quality_officer", org["company"], username="han")
    signed_in(client, officer)
    assert client.post(reverse("quality:evaluate", args=[project.pk])).status_code == 302
    assert ControlPointResult.objects.filter(evaluated_by=officer).exists()


def test_outsiders_see_nothing(client, project, make_user, org):
    stranger = make_user("planner", org["south"], username="lin")
    signed_in(client, stranger)
    assert client.get(reverse("quality:scorecard", args=[project.pk])).status_code == 403
    nc = services.open_nonconformance(project, source="audit", description="x")
    assert client.get(reverse("quality:nonconformance", args=[nc.pk])).status_code == 403
    assert nc.code not in client.get(reverse("quality:nonconformances")).content.decode()


def test_nonconformance_list_filters_highlights_overdue_and_is_bounded(
    client, make_project, director, django_assert_max_num_queries
):
    from django.utils import timezone

    projects = [make_project(members=[(director, "project_director")]) for _ in range(3)]
    for i, project in enumerate(projects * 3):
        services.open_nonconformance(
            project, source="audit", description=f"finding {i}", severity="major" if i % 2 else "minor"
        )
    Nonconformance.objects.filter(pk=Nonconformance.objects.first().pk).update(
        due_at=timezone.now() - timezone.timedelta(days=2)
    )
    signed_in(client, director)
    client.get(reverse("quality:nonconformances"))  # warm the session and caches
    with django_assert_max_num_queries(15):
        response = client.get(reverse("quality:nonconformances"))
    html = response.content.decode()
    assert html.count("data-nc=") == 9
    assert "overdue" in html
    response = client.get(
        reverse("quality:nonconformances"), {"severity": "major", "project": projects[0].pk}
    )
    assert (
        response.content.decode().count("data-nc=")
        == Nonconformance.objects.filter(severity="major", project=projects[0]).count()
    )


def test_scorecard_queries_are_bounded(client, project, director, django_assert_max_num_queries):
    services.record_budget(project, planned=failing_planned(project), budget=1000000, by=director)
    services.evaluate(project, by=director)
    signed_in(client, director)
    client.get(reverse("quality:scorecard", args=[project.pk]))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("quality:scorecard", args=[project.pk])).status_code == 200


def test_workflow_through_the_pages(client, project, director):
    nc = services.open_nonconformance(project, source="audit", description="签到表缺页", owner=director)
    signed_in(client, director)
    step = lambda name: reverse("quality:nonconformance_step", args=[nc.pk, name])  # noqa: E731
    response = client.post(step("close"), {"note": ""})
    assert response.status_code == 200
    assert "verified" in response.content.decode() or "验证" in response.content.decode()
    assert client.post(step("plan"), {"kind": "corrective", "description": ""}).status_code == 200
    assert not CorrectiveAction.objects.exists()
    assert client.post(step("root_cause"), {"root_cause": "打印不足"}).status_code == 302
    assert (
        client.post(
            step("plan"), {"kind": "corrective", "description": "补打", "owner": director.pk}
        ).status_code
        == 302
    )
    action = CorrectiveAction.objects.get()
    assert client.post(step("complete"), {"action": action.pk, "result": "已补打"}).status_code == 302
    assert client.post(step("verify"), {"verification_note": "抽查无缺页"}).status_code == 302
    assert client.post(step("close"), {"note": "关闭"}).status_code == 302
    nc.refresh_from_db()
    assert nc.status == "closed"
    html = client.get(reverse("quality:nonconformance", args=[nc.pk])).content.decode()
    content_type = ContentType.objects.get_for_model(Nonconformance)
    assert reverse("core:activity", args=[content_type.pk, nc.pk]) in html


def test_what_if_page_shows_verdicts_and_stores_nothing(client, director):
    signed_in(client, director)
    rulebook = rulebook_for_active()
    budget = rulebook.rule("ccp02.budget_deviation")
    over_percent = (Decimal(str(budget.value)) * 100) + Decimal("1.8")
    response = client.post(
        reverse("quality:check"), {"control_point": "CCP-02", f"v-{budget.metric}": str(over_percent)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-verdict="fail"' in html
    response = client.post(reverse("quality:check"), {"control_point": "CCP-02", f"v-{budget.metric}": "x"})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert not ControlPointResult.objects.exists() and not ManualMeasurement.objects.exists()


def rulebook_for_active():
    from huiyi.rulebook.services import active_rulebook

    return active_rulebook()


def test_navigation_has_the_quality_module(client, director):
    html = signed_in(client, director).get(reverse("core:dashboard")).content.decode()
    assert 'data-module="quality"' in html
