import pytest
from django.core import mail
from django.urls import reverse

from huiyi.core.notifications import notify, unread_count

pytestmark = pytest.mark.django_db


def test_notify_once_per_key_with_an_email_copy(make_user, org, django_capture_on_commit_callbacks):
    user = make_user("planner", org["north"], email="lin@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(user, "任务即将到期", body="布展方案", url="/projects/", dedupe_key="task-1-due")
        assert notify(user, "任务即将到期", dedupe_key="task-1-due") is None
    assert unread_count(user) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lin@example.com"]


def test_bell_shows_unread_and_the_page_marks_read(client, make_user, org):
    user = make_user("planner", org["north"])
    notify(user, "新的不合格项", email=False)
    client.force_login(user)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert 'id="bell"' in page and "text-bg-warning" in page
    assert "新的不合格项" in client.get(reverse("core:notifications")).content.decode()
    client.post(reverse("core:notifications"))
    assert unread_count(user) == 0
