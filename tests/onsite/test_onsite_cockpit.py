"""The on-site list and cockpit (§2.6): the meetings on site today and this week, one cockpit per meeting,
shown only to people who may see the project."""

import pytest
from django.utils import translation

from huiyi.onsite import panels
from huiyi.onsite.queries import on_site_projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(make_user, org):
    return make_user("on_site_director", org["north_events"])


def test_req_ons_the_list_holds_running_and_coming_meetings_only(make_project, director):
    running = make_project(start_in_days=0, members=[(director, "on_site_director")])
    soon = make_project(start_in_days=3, members=[(director, "on_site_director")])
    make_project(start_in_days=30, members=[(director, "on_site_director")])
    make_project(start_in_days=-5, members=[(director, "on_site_director")])
    assert list(on_site_projects(director)) == [running, soon]


def test_the_list_hides_meetings_the_user_may_not_see(make_project, make_user, org, director):
    make_project(org["south_events"], start_in_days=1)
    assert list(on_site_projects(director)) == []


def test_cockpit_page_shows_the_registered_panels(client, make_project, director, monkeypatch):
    project = make_project(start_in_days=0, members=[(director, "on_site_director")])
    monkeypatch.setitem(panels._PANELS, "test", panels.Panel("test", "onsite/_project_row.html", order=1))
    client.force_login(director)
    with translation.override("en"):
        response = client.get(f"/onsite/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b'id="panel-test"' in response.content
    listing = client.get("/onsite/", HTTP_ACCEPT_LANGUAGE="en")
    assert project.name_en.encode() in listing.content or project.name.encode() in listing.content


def test_cockpit_of_a_project_the_user_may_not_see_is_refused(client, make_project, make_user, org):
    project = make_project(org["south_events"], start_in_days=0)
    outsider = make_user("on_site_director", org["north_events"])
    client.force_login(outsider)
    assert client.get(f"/onsite/projects/{project.pk}/").status_code == 403


def test_the_project_page_links_to_its_cockpit(client, make_project, director):
    project = make_project(start_in_days=0, members=[(director, "on_site_director")])
    client.force_login(director)
    response = client.get(f"/projects/{project.pk}/")
    assert f"/onsite/projects/{project.pk}/".encode() in response.content
