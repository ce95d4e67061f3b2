"""Deny by default: a user sees a project only as a team member or through a role over its unit."""

import pytest
from django.urls import reverse

from huiyi.projects.queries import projects_by_phase, visible_projects

pytestmark = pytest.mark.django_db


def test_unrelated_user_cannot_see_another_units_project(client, make_user, make_project, org):
    project = make_project(org["north_events"])
    stranger = make_user("planner", org["south_events"])
    assert not visible_projects(stranger).exists()
    client.force_login(stranger)
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 403
    assert project.code not in client.get(reverse("projects:list")).content.decode()


def test_user_without_any_role_sees_nothing(make_user, make_project, org):
    make_project()
    assert not visible_projects(make_user(None, org["north"])).exists()


def test_team_member_sees_their_project(client, make_user, make_project, org):
    member = make_user("planner", org["south_events"])
    project = make_project(org["north_events"], members=[(member, "planner")])
    client.force_login(member)
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 200


def test_REQ_PPL_01_director_sees_every_project_of_their_subtree_only(make_user, make_project, org):
    director = make_user("project_director", org["north"])
    north = make_project(org["north_events"])
    south = make_project(org["south_events"])
    assert set(visible_projects(director)) == {north}
    assert south not in visible_projects(director)


def test_REQ_PPL_01_quality_officer_at_company_level_sees_all(make_user, make_project, org):
    officer = make_user("quality_officer", org["company"])
    projects = {make_project(org["north_events"]), make_project(org["south_events"])}
    assert set(visible_projects(officer)) == projects


def test_REQ_GEN_02_out_of_scope_projects_are_left_out_of_phase_counts(make_user, make_project, org):
    director = make_user("project_director", org["company"])
    make_project(phase=1)
    make_project(phase=1, out_of_scope="informal")
    counts = {row["phase"].value: row["count"] for row in projects_by_phase(director)}
    assert counts[1] == 1


def test_project_list_query_count_does_not_grow_with_rows(
    client, make_user, make_project, org, django_assert_max_num_queries
):
    director = make_user("project_director", org["company"])
    for _ in range(3):
        make_project()
    client.force_login(director)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("projects:list"))
    for _ in range(20):
        make_project()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("projects:list"))


def test_REQ_INT_03_duration_is_end_minus_start(make_project):
    project = make_project()
    assert project.duration == project.end - project.start


def test_project_must_end_after_it_starts(make_project):
    from django.core.exceptions import ValidationError

    project = make_project()
    with pytest.raises(ValidationError) as error:
        make_project(start=project.end, end=project.start)
    assert "end" in str(error.value) or "__all__" in str(error.value)
