import pytest


@pytest.fixture
def officer(make_user, org):
    """A quality officer at company level (independent of the departments audited)."""
    return make_user("quality_officer", org["company"], username="officer")


@pytest.fixture
def auditor(make_user, org):
    return make_user("quality_officer", org["south"], username="auditor")


@pytest.fixture
def manager(make_user, org):
    return make_user("project_manager", org["north_events"], username="manager")


@pytest.fixture
def project(make_project, manager):
    return make_project(members=[(manager, "project_manager")], start_in_days=-10)
