"""Signed links for people without accounts: expiring, single-use, bound to one purpose and one record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from huiyi.core import links
from huiyi.core.models import AccessLink

pytestmark = pytest.mark.django_db


def test_a_link_resolves_to_its_record_and_stores_no_token(make_project):
    project = make_project()
    link, token = links.issue("confirm_requirements", project)
    assert links.resolve(token, "confirm_requirements").target == project
    assert token not in str(AccessLink.objects.values_list()[0])


def test_wrong_purpose_or_garbage_is_invalid(make_project):
    _, token = links.issue("confirm_requirements", make_project())
    with pytest.raises(links.LinkInvalid):
        links.resolve(token, "answer_survey")
    with pytest.raises(links.LinkInvalid):
        links.resolve("garbage", "confirm_requirements")


def test_expired_link_says_so_and_changes_nothing(make_project):
    link, token = links.issue("confirm_requirements", make_project(), lifetime=timedelta(seconds=-1))
    with pytest.raises(links.LinkExpired):
        links.consume(token, "confirm_requirements")
    link.refresh_from_db()
    assert link.used_at is None


def test_single_use_link_works_once(make_project):
    _, token = links.issue("confirm_requirements", make_project())
    links.consume(token, "confirm_requirements", note="confirmed")
    with pytest.raises(links.LinkUsed):
        links.consume(token, "confirm_requirements")


def test_reusable_link_and_revocation(make_project):
    link, token = links.issue("answer_survey", make_project(), single_use=False)
    links.consume(token, "answer_survey")
    links.consume(token, "answer_survey")
    link.refresh_from_db()
    assert link.use_count == 2 and link.expires_at > timezone.now()
    links.revoke(link)
    with pytest.raises(links.LinkRevoked):
        links.resolve(token, "answer_survey")
