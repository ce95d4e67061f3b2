"""REQ-QLT-05: the service grades of §4.1 (grade 1 planning, grade 2 execution, grade 3 summary); a project
records which grades the client buys, through the project form, and shows them."""

from functools import partial

import pytest
from django.urls import reverse
from tests.support.project_form import project_form

from huiyi.projects.models import MeetingProject, ServiceGrade

pytestmark = pytest.mark.django_db

GRADES_EN = {
    "planning": "Grade 1 · planning",
    "execution": "Grade 2 · execution",
    "summary": "Grade 3 · summary",
}
GRADES_ZH = {"planning": "一级 · 策划", "execution": "二级 · 执行", "summary": "三级 · 总结"}


_form = partial(
    project_form,
    name="服务等级测试",
    name_en="Service grade test",
    start="2027-04-12T09:00",
    end="2027-04-12T17:00",
    expected_attendees="50",
)


def _grade_badges(html: str) -> str:
    """The part of the project page that lists the grades bought."""
    start = (
        html.index("Service grades bought") if "Service grades bought" in html else html.index("已购服务等级")
    )
    return html[start:].split("</dd>", 1)[0]


def test_REQ_QLT_05_the_three_grades_are_offered_in_order(client, make_user, org):
    """REQ-QLT-05: exactly three grades — 1 planning, 2 execution, 3 summary — are offered on the form."""
    assert [value for value, _ in ServiceGrade.choices] == ["planning", "execution", "summary"]
    client.force_login(make_user("account_manager", org["north"]))
    html = client.get(reverse("projects:create"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    positions = [html.index(f'name="service_grades" value="{value}"') for value in GRADES_EN]
    assert positions == sorted(positions)
    for label in GRADES_EN.values():
        assert label in html


def test_REQ_QLT_05_grades_bought_are_stored_and_shown_on_the_project(client, make_user, client_org, org):
    """REQ-QLT-05: the grades ticked on the form are stored on the project and shown in both languages."""
    client.force_login(make_user("account_manager", org["north"]))
    response = client.post(
        reverse("projects:create"), _form(client_org, org, service_grades=["planning", "summary"])
    )
    assert response.status_code == 302
    project = MeetingProject.objects.get(name="服务等级测试")
    assert project.service_grades == ["planning", "summary"]

    url = reverse("projects:detail", args=[project.pk])
    en = _grade_badges(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert GRADES_EN["planning"] in en and GRADES_EN["summary"] in en
    assert GRADES_EN["execution"] not in en
    zh = _grade_badges(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert GRADES_ZH["planning"] in zh and GRADES_ZH["summary"] in zh
    assert GRADES_ZH["execution"] not in zh


def test_REQ_QLT_05_grades_are_changed_on_the_edit_form(client, make_user, make_project, client_org, org):
    """REQ-QLT-05: the project manager changes the grades bought; the page follows."""
    manager = make_user("project_manager", org["north"])
    project = make_project(members=[(manager, "project_manager")], service_grades=["planning"])
    client.force_login(manager)
    data = _form(client_org, org, name=project.name, service_grades=["execution"])
    assert client.post(reverse("projects:edit", args=[project.pk]), data).status_code == 302
    project.refresh_from_db()
    assert project.service_grades == ["execution"]
    page = client.get(reverse("projects:detail", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en")
    badges = _grade_badges(page.content.decode())
    assert GRADES_EN["execution"] in badges and GRADES_EN["planning"] not in badges


def test_REQ_QLT_05_a_project_without_grades_and_an_unknown_grade(client, make_user, client_org, org):
    """REQ-QLT-05: no grade bought shows a dash; a grade outside the three is refused."""
    client.force_login(make_user("account_manager", org["north"]))
    page = client.post(reverse("projects:create"), _form(client_org, org, service_grades=["grade4"]))
    assert page.status_code == 200 and 'data-field="service_grades"' in page.content.decode()
    assert not MeetingProject.objects.exists()
    assert client.post(reverse("projects:create"), _form(client_org, org)).status_code == 302
    project = MeetingProject.objects.get()
    assert project.service_grades == []
    page = client.get(reverse("projects:detail", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "—" in _grade_badges(page.content.decode())
