"""Attendee services (REQ-ONS-02): every attendee has a ticket, changes are audited, bad input names the field
and changes nothing, a reissued ticket code replaces the old one and withdraws sent links."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from huiyi.core import links
from huiyi.onsite.attendees import services
from huiyi.onsite.attendees.models import Attendee, Ticket

pytestmark = pytest.mark.django_db


def test_req_ons_02_create_gives_a_ticket_with_an_unguessable_code(team):
    attendee = services.create_attendee(
        team["project"],
        by=team["pm"],
        name=" 张伟 ",
        organisation="浦江科技",
        phone="138 1234-5678",
        category="vip",
    )
    attendee.refresh_from_db()
    assert attendee.name == "张伟"
    assert attendee.phone == "13812345678"
    assert attendee.external_key == "tel:13812345678"
    ticket = Ticket.objects.get(attendee=attendee)
    assert ticket.project == team["project"]
    assert len(ticket.code) >= 22
    assert LogEntry.objects.get_for_object(attendee).filter(action=LogEntry.Action.CREATE).exists()
    assert LogEntry.objects.get_for_object(attendee).first().actor == team["pm"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "张伟", "phone": "call me"}, "phone"),
        ({"name": "张伟", "email": "not-an-address"}, "email"),
        ({"name": "张伟", "category": "king"}, "category"),
        ({"name": "张伟", "language": "klingon"}, "language"),
        ({"name": "张" * 121}, "name"),
    ],
)
def test_req_ons_02_bad_input_names_the_field_and_saves_nothing(team, values, field):
    with pytest.raises(ValidationError) as raised:
        services.create_attendee(team["project"], by=team["pm"], **values)
    assert field in raised.value.message_dict
    assert not Attendee.objects.exists() and not Ticket.objects.exists()


def test_req_ons_02_the_same_phone_twice_is_refused(team):
    services.create_attendee(team["project"], by=team["pm"], name="张伟", phone="13812345678")
    with pytest.raises(ValidationError) as raised:
        services.create_attendee(team["project"], by=team["pm"], name="张伟伟", phone="13812345678")
    assert "phone" in raised.value.message_dict
    assert Attendee.objects.count() == 1


def test_req_ons_02_update_keeps_the_key_and_audits_the_change(team):
    attendee = services.create_attendee(team["project"], by=team["pm"], name="张伟", phone="13812345678")
    services.update_attendee(attendee, by=team["pm"], seat="A-12", phone="13900000000")
    attendee.refresh_from_db()
    assert attendee.seat == "A-12" and attendee.phone == "13900000000"
    assert attendee.external_key == "tel:13812345678"
    update = LogEntry.objects.get_for_object(attendee).filter(action=LogEntry.Action.UPDATE).first()
    assert "seat" in update.changes_dict
    with pytest.raises(ValidationError) as raised:
        services.update_attendee(attendee, by=team["pm"], email="nope")
    assert "email" in raised.value.message_dict
    attendee.refresh_from_db()
    assert attendee.email == ""


def test_req_ons_02_cancel_and_reinstate(team):
    attendee = services.create_attendee(team["project"], by=team["pm"], name="张伟")
    services.cancel_attendee(attendee, by=team["pm"], reason="临时出差")
    attendee.refresh_from_db()
    assert attendee.status == Attendee.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.cancel_attendee(attendee, by=team["pm"])
    services.reinstate_attendee(attendee, by=team["pm"])
    attendee.refresh_from_db()
    assert attendee.status == Attendee.Status.ACTIVE
    with pytest.raises(ValidationError):
        services.reinstate_attendee(attendee, by=team["pm"])
    assert Ticket.objects.filter(attendee=attendee).count() == 1


def test_req_ons_02_reissue_changes_the_code_and_withdraws_links(team):
    attendee = services.create_attendee(team["project"], by=team["pm"], name="张伟")
    old = attendee.ticket.code
    _link, token = services.issue_ticket_link(attendee, by=team["pm"])
    assert services.attendee_for_link(token) == attendee
    ticket = services.reissue_ticket(attendee, by=team["pm"])
    assert ticket.code != old
    assert not Ticket.objects.filter(code=old).exists()
    with pytest.raises(links.LinkRevoked):
        services.attendee_for_link(token)
    # the audit trail keeps the code masked
    entry = LogEntry.objects.get_for_object(ticket).filter(action=LogEntry.Action.UPDATE).first()
    assert ticket.code not in str(entry.changes)


def test_req_ons_02_ticket_link_is_multi_use_until_the_meeting_ends(team):
    attendee = services.create_attendee(team["project"], by=team["pm"], name="张伟")
    link, token = services.issue_ticket_link(attendee, by=team["pm"])
    assert not link.single_use
    assert abs((link.expires_at - team["project"].end).total_seconds()) < 5
    for _ in range(3):
        assert services.attendee_for_link(token) == attendee
    team["project"].end = timezone.now() - timedelta(hours=1)
    team["project"].start = team["project"].end - timedelta(hours=8)
    team["project"].save()
    attendee.refresh_from_db()
    with pytest.raises(ValidationError):
        services.issue_ticket_link(attendee, by=team["pm"])
