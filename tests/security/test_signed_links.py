"""Signed links (issue 10; ARCHITECTURE.md "Users and access"): the only pages anonymous visitors reach with
an organisation's data. Each works for exactly its purpose and its record, and refuses (410, nothing shown)
a token that was tampered with, one of another purpose, an expired, a used (single-use) or a revoked one.

Tokens are issued through each app's own service on records of the demo organisation, two records per
purpose where the app has them, so that "its record only" is checked on the page's content. Time is moved
past a link's expiry the way the suite moves time elsewhere: by asking the code at a later "now"
(``django.utils.timezone.now`` patched for the request), nothing is changed in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from tests.support.shared_world import rolled_back_world

from huiyi.core import links
from huiyi.core.access_policy import POLICY
from huiyi.core.models import AccessLink

#: Every purpose of huiyi.core.links with the page its token opens (issue 10).
#: Every test here uses the test database (the module's world is built in it, rolled back at the end).
pytestmark = pytest.mark.django_db

LINK_PAGES = {
    "intake.requirements_confirmation": "intake:confirm",
    "planning.confirm": "planning:confirm",
    "preparation.design_approval": "preparation:approve",
    "contracts.change_request": "contracts:client_change",
    "attendees.ticket": "attendees:ticket",
    "incidents.ack": "incidents:ack_link",
    "complaints.public_form": "complaints:public",
    "surveys.answer": "surveys:personal",
}


@dataclass
class Issued:
    token: str
    marker: str  # text the page shows for this record and for no other record of the purpose


def _demo():
    from huiyi.core import demo, scale
    from huiyi.documents.search import demo as docsearch_demo

    with (
        mock.patch.object(scale, "generate", lambda *a, **k: None),  # a year of history: not needed here
        mock.patch.object(docsearch_demo, "build", lambda *a, **k: {}),  # text extraction: not needed here
        mock.patch.object(demo, "_write_credentials", lambda *a, **k: None),  # nothing into the data folder
    ):
        demo.build_demo(password="signed-links-password-1")


def issue_all() -> dict[str, list[Issued]]:
    """Live tokens for every purpose: [record A, record B] (B where the demo has a second record)."""
    from huiyi.accounts.models import User
    from huiyi.contracts import services as contracts
    from huiyi.contracts.models import ChangeRequest
    from huiyi.feedback.complaints import services as complaints
    from huiyi.feedback.surveys import services as surveys
    from huiyi.feedback.surveys.models import Invitation, Survey
    from huiyi.incidents import services as incidents
    from huiyi.incidents.models import ChainStep
    from huiyi.onsite.attendees import services as attendees
    from huiyi.onsite.attendees.models import Attendee
    from huiyi.projects.intake import services as intake
    from huiyi.projects.intake.models import RequirementsRevision
    from huiyi.projects.models import MeetingProject
    from huiyi.projects.planning import services as planning
    from huiyi.projects.planning.models import PlanVersion
    from huiyi.projects.preparation import services as preparation
    from huiyi.projects.preparation.models import MaterialItem

    admin = User.objects.get(username="admin")
    running = MeetingProject.objects.get(code="HY-2026-105")
    issued: dict[str, list[Issued]] = {}

    revision = RequirementsRevision.objects.filter(project__code="HY-2026-101").order_by("-number").first()
    issued["intake.requirements_confirmation"] = [
        Issued(intake.send_for_confirmation(revision, by=admin)[1], revision.project.name)
    ]
    draft = PlanVersion.objects.get(project__code="HY-2026-101")
    PlanVersion.objects.filter(pk=draft.pk).update(review_outcome="approve")
    issued["planning.confirm"] = [Issued(planning.send_to_client(draft, by=admin)[1], draft.project.name)]
    items = list(MaterialItem.objects.filter(project=running).order_by("pk")[:2])
    issued["preparation.design_approval"] = [
        Issued(preparation.issue_design_approval_link(item, by=admin)[1], item.name) for item in items
    ]
    change = ChangeRequest.objects.first()
    ChangeRequest.objects.filter(pk=change.pk).update(
        status=ChangeRequest.Status.PENDING, client_confirmed_at=None
    )
    change.refresh_from_db()
    issued["contracts.change_request"] = [
        Issued(contracts.issue_client_link(change, by=admin), change.description)
    ]
    people = list(Attendee.objects.filter(project=running, status=Attendee.Status.ACTIVE).order_by("pk")[:2])
    issued["attendees.ticket"] = [Issued(attendees.issue_ticket_link(a, by=admin)[1], a.name) for a in people]
    steps = [
        ChainStep.objects.filter(incident__project__code=code).order_by("position").first()
        for code in ("HY-2026-105", "HY-2026-096")
    ]
    ChainStep.objects.filter(pk__in=[s.pk for s in steps]).update(state=ChainStep.State.PAGED)
    issued["incidents.ack"] = [
        Issued(links.issue(incidents.ACK_PURPOSE, step)[1], step.incident.project.name) for step in steps
    ]
    other = MeetingProject.objects.get(code="HY-2026-103")
    issued["complaints.public_form"] = [
        Issued(complaints.issue_public_link(p, by=admin, days=30)[1], p.name) for p in (running, other)
    ]
    chosen = []
    for survey in Survey.objects.order_by("pk"):
        Survey.objects.filter(pk=survey.pk).update(
            closed_at=None, closes_at=timezone.now() + timedelta(days=7)
        )
        invitation = Invitation.objects.filter(survey=survey).exclude(name="").order_by("pk").first()
        if invitation is not None and survey.project_id not in {i.survey.project_id for i in chosen}:
            chosen.append(invitation)
    issued["surveys.answer"] = [
        Issued(surveys.personal_link(i, by=admin), i.survey.project.name) for i in chosen[:2]
    ]
    return issued


@pytest.fixture(scope="module")
def issued(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("links-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        rolled_back_world() as settle,
    ):
        _demo()
        links = issue_all()
        settle()
        yield links


def _get(name: str, token: str, *, at=None):
    """An anonymous GET of the link page, in a savepoint rolled back afterwards; at: the moment asked."""
    with transaction.atomic():
        if at is None:
            response = Client().get(reverse(name, args=[token]))
        else:
            with mock.patch("django.utils.timezone.now", return_value=at):
                response = Client().get(reverse(name, args=[token]))
        transaction.set_rollback(True)
    return response


def _tampered(token: str) -> str:
    last = "A" if token[-1] != "A" else "B"
    return token[:-1] + last


def _purposes_in_code() -> set[str]:
    """Every link purpose the apps declare (``…PURPOSE`` constants of their services)."""
    import importlib
    import pkgutil

    import huiyi

    found = set()
    for info in pkgutil.walk_packages(huiyi.__path__, "huiyi."):
        if info.name.rsplit(".", 1)[-1] != "services":
            continue
        module = importlib.import_module(info.name)
        found |= {
            value
            for name, value in vars(module).items()
            if name.endswith("PURPOSE") and isinstance(value, str) and "." in value
        }
    return found


def test_every_link_purpose_has_its_page_in_the_policy():
    """Every purpose the code issues links for has its page here and in the policy table (anonymous access
    only with a token of that purpose): no signed-link page escapes these tests."""
    assert _purposes_in_code() == set(LINK_PAGES)
    rows = {(row.link, row.name) for row in POLICY.values() if row.link}
    assert set(LINK_PAGES.items()) <= rows
    assert {purpose for purpose, _name in rows} == set(LINK_PAGES)


@pytest.mark.parametrize("purpose", sorted(LINK_PAGES))
def test_a_token_opens_its_page_for_its_record_only(issued, purpose):
    page = LINK_PAGES[purpose]
    records = issued[purpose]
    assert records, f"no record to issue a {purpose} link on"
    for mine in records:
        response = _get(page, mine.token)
        assert response.status_code == 200, (purpose, response.status_code)
        body = response.content.decode()
        assert mine.marker in body, f"{purpose}: the page does not show its record"
        for theirs in records:
            if theirs is not mine and theirs.marker != mine.marker:
                assert theirs.marker not in body, f"{purpose}: the page shows another record"
        assert response.get("Cache-Control", "").find("public") == -1


@pytest.mark.parametrize("purpose", sorted(LINK_PAGES))
def test_a_token_opens_no_other_purpose(issued, purpose):
    token = issued[purpose][0].token
    for other, page in LINK_PAGES.items():
        if other != purpose:
            response = _get(page, token)
            assert response.status_code == 410, f"a {purpose} token opened {page}: {response.status_code}"


@pytest.mark.parametrize("purpose", sorted(LINK_PAGES))
def test_a_tampered_or_made_up_token_is_refused(issued, purpose):
    page, mine = LINK_PAGES[purpose], issued[purpose][0]
    for token in (_tampered(mine.token), mine.token[:-4], "x" * 43, mine.token + "x"):
        response = _get(page, token)
        assert response.status_code == 410, (purpose, token, response.status_code)
        assert mine.marker not in response.content.decode()


@pytest.mark.parametrize("purpose", sorted(LINK_PAGES))
def test_a_token_works_until_it_expires_and_never_after(issued, purpose):
    page, mine = LINK_PAGES[purpose], issued[purpose][0]
    link = links.resolve(mine.token, purpose)
    assert link.expires_at > timezone.now(), "issued links expire in the future"
    before = _get(page, mine.token, at=link.expires_at - timedelta(minutes=1))
    assert before.status_code == 200, (purpose, before.status_code)
    after = _get(page, mine.token, at=link.expires_at + timedelta(seconds=1))
    assert after.status_code == 410, (purpose, after.status_code)
    assert mine.marker not in after.content.decode()


@pytest.mark.parametrize("purpose", sorted(LINK_PAGES))
def test_a_revoked_or_used_token_is_refused(issued, purpose):
    page, mine = LINK_PAGES[purpose], issued[purpose][0]
    with transaction.atomic():
        link = links.resolve(mine.token, purpose)
        links.revoke(link)
        assert Client().get(reverse(page, args=[mine.token])).status_code == 410, purpose
        transaction.set_rollback(True)
    if not AccessLink.objects.get(pk=link.pk).single_use:
        return
    with transaction.atomic():
        links.consume(mine.token, purpose)
        response = Client().get(reverse(page, args=[mine.token]))
        transaction.set_rollback(True)
    assert response.status_code == 410, (purpose, response.status_code)


def test_the_public_survey_code_opens_its_open_survey_only(issued):
    """The venue's QR code (a survey's public code) is not a signed link but is reachable anonymously too."""
    from huiyi.feedback.surveys.models import Survey

    survey = Survey.objects.order_by("pk").first()
    assert _get("surveys:public", survey.public_code).status_code == 200
    made_up = _get("surveys:public", "x" * len(survey.public_code))
    assert made_up.status_code == 404
