"""REQ-GEN-05: the green measures applied to a project are recorded as a checklist through the project form
and reported per period (quarter of the meeting's start) on the green-meetings page."""

from functools import partial

import pytest
from django.urls import reverse
from tests.support.project_form import project_form

from huiyi.projects.models import GreenMeasure, MeetingProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def account_manager(make_user, org):
    return make_user("account_manager", org["north"])


_form = partial(project_form, name="绿色会议测试", name_en="Green meeting test")


def _create(client, data) -> MeetingProject:
    response = client.post(reverse("projects:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return MeetingProject.objects.get(name=data["name"])


def _row(rows, year, quarter):
    return next(row for row in rows if (row["year"], row["quarter"]) == (year, quarter))


def test_REQ_GEN_05_form_offers_the_green_checklist(client, account_manager):
    """REQ-GEN-05: the form offers a checkbox per green measure, paperless and energy-saving included."""
    client.force_login(account_manager)
    html = client.get(reverse("projects:create")).content.decode()
    assert {"paperless", "energy_saving"} <= set(GreenMeasure.values)
    for value in GreenMeasure.values:
        assert f'type="checkbox" name="green_measures" value="{value}"' in html


def test_REQ_GEN_05_measures_saved_through_the_form_appear_on_the_project_and_in_the_quarter_report(
    client, account_manager, client_org, org
):
    """REQ-GEN-05: measures ticked on the form are stored, shown on the project and counted per quarter."""
    client.force_login(account_manager)
    q1_a = _create(
        client, _form(client_org, org, name="一季度甲", green_measures=["paperless", "energy_saving"])
    )
    _create(client, _form(client_org, org, name="一季度乙", green_measures=["paperless"]))
    _create(
        client,
        _form(
            client_org,
            org,
            name="三季度",
            start="2027-08-05T09:00",
            end="2027-08-05T17:00",
            green_measures=["online_participation"],
        ),
    )
    # out of scope (REQ-GEN-02): not counted in any period
    _create(
        client,
        _form(client_org, org, name="范围外", out_of_scope="informal", green_measures=["paperless"]),
    )
    assert q1_a.green_measures == ["paperless", "energy_saving"]

    detail = client.get(reverse("projects:detail", args=[q1_a.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Paperless materials and sign-in" in detail.content.decode()
    assert "Energy-saving devices" in detail.content.decode()

    response = client.get(reverse("projects:green"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    rows = response.context["rows"]
    q1, q3 = _row(rows, 2027, 1), _row(rows, 2027, 3)
    assert q1["projects"] == 2
    assert q1["counts"]["paperless"] == 2 and q1["counts"]["energy_saving"] == 1
    assert q1["counts"]["online_participation"] == 0
    assert q3["projects"] == 1 and q3["counts"]["online_participation"] == 1
    assert q3["counts"]["paperless"] == 0
    html = response.content.decode()
    assert "2027 Q1" in html and "2027 Q3" in html and "Energy-saving devices" in html
    assert "(100%)" in html and "(50%)" in html


def test_REQ_GEN_05_editing_the_checklist_changes_the_report(
    client, make_user, make_project, client_org, org
):
    """REQ-GEN-05: unticking a measure on the edit form removes it from the project and from the report."""
    manager = make_user("project_manager", org["north"])
    project = make_project(members=[(manager, "project_manager")], green_measures=["paperless"])
    client.force_login(manager)
    data = _form(client_org, org, name=project.name, green_measures=["paperless", "eco_materials"])
    assert client.post(reverse("projects:edit", args=[project.pk]), data).status_code == 302
    project.refresh_from_db()
    assert project.green_measures == ["paperless", "eco_materials"]
    data["green_measures"] = ["eco_materials"]
    assert client.post(reverse("projects:edit", args=[project.pk]), data).status_code == 302
    project.refresh_from_db()
    assert project.green_measures == ["eco_materials"]
    row = _row(client.get(reverse("projects:green")).context["rows"], 2027, 1)
    assert row["counts"]["paperless"] == 0 and row["counts"]["eco_materials"] == 1


def test_REQ_GEN_05_an_unknown_measure_is_refused(client, account_manager, client_org, org):
    """REQ-GEN-05: only measures of the checklist can be recorded."""
    client.force_login(account_manager)
    page = client.post(reverse("projects:create"), _form(client_org, org, green_measures=["solar_yacht"]))
    assert page.status_code == 200 and 'data-field="green_measures"' in page.content.decode()
    assert not MeetingProject.objects.exists()


def test_REQ_GEN_05_report_counts_only_projects_the_user_may_see(client, make_user, make_project, org):
    """REQ-GEN-05: the per-period report covers the projects the viewer may see, not another unit's."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    start = datetime(2027, 5, 3, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    make_project(org["south_events"], start=start, end=start.replace(hour=17), green_measures=["paperless"])
    client.force_login(make_user("project_director", org["company"]))
    row = _row(client.get(reverse("projects:green")).context["rows"], 2027, 2)
    assert row["projects"] == 1 and row["counts"]["paperless"] == 1
    client.force_login(make_user("project_director", org["north"]))
    rows = client.get(reverse("projects:green")).context["rows"]
    assert not any((row["year"], row["quarter"]) == (2027, 2) for row in rows)
