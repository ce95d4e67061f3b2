import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from huiyi.accounts.models import Role, User
from huiyi.core import demo
from huiyi.projects.models import MeetingProject, Phase


@pytest.mark.django_db
def test_demo_builds_an_organisation_with_every_role_and_phase(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("HUIYI_DEMO_PASSWORD", raising=False)
    result = demo.build_demo()
    assert len(result.password) >= 12
    assert User.objects.get(username="admin").is_superuser
    held = set(Role.objects.filter(memberships__isnull=False).values_list("key", flat=True))
    assert held == set(Role.objects.values_list("key", flat=True))
    assert set(MeetingProject.objects.values_list("phase", flat=True)) == set(Phase.values)
    stored = json.loads((tmp_path / demo.CREDENTIALS_FILE).read_text())
    assert stored["password"] == result.password
    assert oct((tmp_path / demo.CREDENTIALS_FILE).stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db
def test_demo_password_comes_from_the_environment_and_is_never_fixed(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    monkeypatch.delenv("HUIYI_DEMO_PASSWORD", raising=False)
    assert demo.demo_password() != demo.demo_password()
    monkeypatch.setenv("HUIYI_DEMO_PASSWORD", "a chosen demo secret")
    call_command("demo")
    assert User.objects.get(username="zhao.min").check_password("a chosen demo secret")


def _huiyi(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "huiyi.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "HUIYI_TESTING": "",
            **env,
        },
    )


def test_an_unreachable_database_gives_one_readable_line(tmp_path):
    result = _huiyi(
        "migrate", DATABASE_URL="postgres://nobody@127.0.0.1:1/none", HUIYI_DATA_DIR=str(tmp_path)
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("huiyi: cannot use the database")
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _huiyi(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        HUIYI_DATA_DIR=str(tmp_path),
        HUIYI_HTTPS="1",
        HUIYI_DEBUG="0",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
