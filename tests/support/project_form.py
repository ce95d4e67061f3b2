"""What the project form posts, for tests that create or edit a project in the browser's way."""


def project_form(client_org, org, **changes) -> dict:
    """A one-day seminar of the north events department for `client_org`; `changes` override any field."""
    from huiyi.projects.models import MeetingType

    data = {
        "name": "测试研讨会",
        "name_en": "Test seminar",
        "client": client_org.pk,
        "meeting_type": MeetingType.objects.get(key="seminar").pk,
        "org_unit": org["north_events"].pk,
        "start": "2027-02-10T09:00",
        "end": "2027-02-10T17:00",
        "venue_name": "会议中心",
        "address": "北京市朝阳区",
        "venue_type": "indoor",
        "expected_attendees": "80",
        "out_of_scope": "",
    }
    data.update(changes)
    return data
