"""Plan versions, review and client confirmation (REQ-PLN-01…04, CCP 2–3)."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from huiyi.core import links
from huiyi.projects.planning import queries, services
from huiyi.projects.planning.models import PlanStatus, PlanVersion

ALL_ACCEPTED = {section: (True, "") for section in ("goals", "agenda", "resources", "budget", "risks")}


def test_REQ_PLN_04_first_version_is_prefilled_with_the_preset_risks(project, team):
    version = services.create_version(project, by=team["planner"])
    assert version.number == 1
    assert version.scale == project.expected_attendees
    assert [r.risk for r in version.risks.all()] == ["设备故障", "参会者迟到", "恶劣天气"]
    assert all(r.response and r.owner for r in version.risks.all())


def test_REQ_PLN_02_a_second_open_version_is_refused(draft, team):
    with pytest.raises(ValidationError) as error:
        services.create_version(draft.project, by=team["planner"])
    assert "version" in error.value.message_dict


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        ("budget", {"category": "venue", "description": "场地", "amount": "12,80元"}, "amount"),
        ("budget", {"category": "venue", "description": "场地", "amount": Decimal("-1")}, "amount"),
        ("resources", {"kind": "equipment", "name": "投影仪", "quantity": -2}, "quantity"),
        (
            "resources",
            {"kind": "equipment", "name": "投影仪", "quantity": 2, "end_before_start": True},
            "end",
        ),
        ("agenda", {"title": "茶歇", "end_before_start": True}, "ends_at"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(draft, team, kind, fields, field):
    start = draft.project.start
    fields = dict(fields)
    if kind == "resources":
        fields.setdefault("start", start)
        fields["end"] = start - timedelta(hours=1) if fields.pop("end_before_start", False) else start
    if kind == "agenda":
        fields["starts_at"] = start
        if fields.pop("end_before_start", False):
            fields["ends_at"] = start - timedelta(hours=1)
    model = services.LINE_MODELS[kind]
    before = model.objects.count()
    with pytest.raises(ValidationError) as error:
        services.add_line(draft, kind, by=team["planner"], **fields)
    assert field in error.value.message_dict
    assert model.objects.count() == before


def test_REQ_PLN_03_review_score_is_the_average_and_the_author_cannot_review(draft, team):
    services.submit_for_review(draft, by=team["planner"])
    with pytest.raises(PermissionDenied):
        services.review(draft, reviewer=team["planner"], score=100, outcome="approve")
    services.review(draft, reviewer=team["director"], score=81, outcome="approve")
    services.review(draft, reviewer=team["manager"], score=90, outcome="approve")
    version = queries.version_detail(draft.pk)
    assert queries.score_average(version) == Decimal("85.50")
    with pytest.raises(ValidationError):
        services.review(draft, reviewer=team["manager"], score=101, outcome="approve")


def test_REQ_PLN_03_returned_version_goes_back_to_draft_and_cannot_be_sent(draft, team):
    services.submit_for_review(draft, by=team["planner"])
    services.review(draft, reviewer=team["director"], score=60, outcome="return")
    with pytest.raises(ValidationError):
        services.send_to_client(draft, by=team["planner"])
    services.conclude_review(draft, by=team["director"], outcome="return", note="预算过高")
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT and draft.review_outcome == "return"


def test_REQ_PLN_02_client_accepting_every_section_confirms_and_freezes(sent, team):
    response = services.answer_as_client(sent.token, answers=ALL_ACCEPTED, signer_name="王经理")
    sent.refresh_from_db()
    assert sent.status == PlanStatus.CONFIRMED and sent.is_frozen
    assert response.signed_at and response.accepted_sections == 5
    with pytest.raises(ValidationError):
        services.update_goals(sent, by=team["planner"], goals="改")
    with pytest.raises(ValidationError):
        services.add_line(sent, "budget", by=team["planner"], category="other", description="x", amount=1)
    assert queries.frozen_plan_resources(sent.project)[0].name == "主会场"


def test_used_link_says_so_and_changes_nothing(sent):
    services.answer_as_client(sent.token, answers=ALL_ACCEPTED, signer_name="王经理")
    with pytest.raises(links.LinkError):
        services.answer_as_client(sent.token, answers=ALL_ACCEPTED, signer_name="别人")
    assert sent.client_responses.count() == 1


def test_comments_keep_the_version_open_and_the_next_version_supersedes_it(sent, team):
    answers = {**ALL_ACCEPTED, "budget": (False, "预算请控制在 100 万以内")}
    response = services.answer_as_client(sent.token, answers=answers, signer_name="王经理")
    assert response.accepted_sections == 4 and response.signed_at is None
    v2 = services.create_version(sent.project, by=team["planner"])
    sent.refresh_from_db()
    assert v2.number == 2 and v2.based_on == sent and sent.status == PlanStatus.SUPERSEDED
    assert v2.budget_lines.count() == 2 and v2.risks.count() == 3 and v2.agenda_items.count() == 1


def test_a_comment_without_text_is_refused(sent):
    with pytest.raises(ValidationError) as error:
        services.answer_as_client(
            sent.token, answers={**ALL_ACCEPTED, "risks": (False, "")}, signer_name="王"
        )
    assert "risks" in error.value.message_dict
    assert links.resolve(sent.token, services.LINK_PURPOSE).used_at is None


def test_CCP_03_signed_copy_is_archived_with_checksum(sent, team):
    services.answer_as_client(sent.token, answers=ALL_ACCEPTED, signer_name="王经理")
    sent.refresh_from_db()
    copy = services.archive_signed_copy(
        sent, SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed"), by=team["planner"]
    )
    assert copy.size == len(b"%PDF-1.4 signed")
    assert copy.sha256 == hashlib.sha256(b"%PDF-1.4 signed").hexdigest()


def test_a_new_confirmed_version_supersedes_the_old_one(sent, team):
    services.answer_as_client(sent.token, answers=ALL_ACCEPTED, signer_name="王经理")
    v2 = services.create_version(sent.project, by=team["planner"])
    services.submit_for_review(v2, by=team["planner"])
    services.review(v2, reviewer=team["director"], score=88, outcome="approve")
    services.conclude_review(v2, by=team["director"], outcome="approve")
    v2, token = services.send_to_client(v2, by=team["planner"])
    services.answer_as_client(token, answers=ALL_ACCEPTED, signer_name="王经理")
    statuses = dict(PlanVersion.objects.filter(project=sent.project).values_list("number", "status"))
    assert statuses == {1: PlanStatus.SUPERSEDED, 2: PlanStatus.CONFIRMED}
