import pytest


@pytest.fixture
def officer(make_user, org):
    return make_user("quality_officer", org["north"], username="officer")


@pytest.fixture
def director(make_user, org):
    return make_user("project_director", org["company"], username="director")


@pytest.fixture
def staff(make_user, org):
    """The person concerned: a project manager of the north events department."""
    return make_user("project_manager", org["north_events"], username="staff")


@pytest.fixture
def project(make_project, staff):
    return make_project(members=[(staff, "project_manager")], start_in_days=-5)
