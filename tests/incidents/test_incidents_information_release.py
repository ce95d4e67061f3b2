"""REQ-INC-05: measures (rescue, repair, cordon, order) and information release through the on-site PA,
social media, the website or the press, with facts, measures, progress and notes (§2.8(3) 3.3–3.4)."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from huiyi.incidents import report as pdf_report
from huiyi.incidents import services
from huiyi.incidents.models import InformationRelease, TimelineEntry

pytestmark = pytest.mark.django_db

RELEASE = {
    "channel": "social_media",
    "facts": "二楼宴会厅投影仪故障,已启用备用设备",
    "measures": "技术支持已更换投影仪",
    "progress": "会议于 10:40 恢复",
    "notes": "请与会者回到座位",
}


def _incident_page(client, incident, language="zh-hans") -> str:
    return client.get(f"/incidents/{incident.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_REQ_INC_05_the_four_release_channels_are_offered(team, report, client):
    """REQ-INC-05: PA (on-site broadcast), social media, website and press are the channels to choose from."""
    assert set(InformationRelease.Channel.values) == {"broadcast", "social_media", "website", "press"}
    incident = report()
    client.force_login(team["director"])
    html = _incident_page(client, incident)
    for value, label in (
        ("broadcast", "会议现场广播"),
        ("social_media", "社交媒体平台"),
        ("website", "官方网站"),
    ):
        assert f'<option value="{value}">{label}</option>' in html
    assert re.search(r'<option value="press">[^<]*媒体</option>', html)
    english = _incident_page(client, incident, "en")
    for label in ("On-site broadcast", "Social media", "Official website", "Press"):
        assert f">{label}</option>" in english


def test_REQ_INC_05_the_press_channel_reads_as_in_the_specification(team, report, client):
    """REQ-INC-05: §2.8(3) 3.4 names the channel 新闻媒体 — not the attendee category "Press" (媒体), whose
    catalogue would win for the same msgid: the channel's label has a context of its own."""
    incident = report()
    client.force_login(team["director"])
    assert '<option value="press">新闻媒体</option>' in _incident_page(client, incident)


def test_REQ_INC_05_a_release_posted_on_the_page_is_recorded_and_shown(team, report, client):
    """REQ-INC-05: a release with channel, facts, measures, progress and notes is stored, put on the
    incident's timeline, shown on the incident page and printed in the incident report."""
    incident = report()
    client.force_login(team["director"])
    response = client.post(f"/incidents/{incident.pk}/releases/", RELEASE)
    assert response.status_code == 302 and response.url.endswith("#releases")

    release = InformationRelease.objects.get(incident=incident)
    assert release.channel == "social_media" and release.released_by == team["director"]
    for field in ("facts", "measures", "progress", "notes"):
        assert getattr(release, field) == RELEASE[field]
    entry = incident.timeline.get(kind=TimelineEntry.Kind.RELEASE)
    assert RELEASE["facts"] in entry.text

    html = _incident_page(client, incident, "en")
    section = html[html.index('id="releases"') :].split("</section>", 1)[0]
    assert "Social media" in section
    for field in ("facts", "measures", "progress", "notes"):
        assert RELEASE[field] in section
    assert "No information released yet." not in section

    pdf = pdf_report.render(incident)
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    for field in ("facts", "measures", "progress", "notes"):
        assert "".join(RELEASE[field].split()) in text


def test_REQ_INC_05_a_release_needs_a_known_channel_and_the_facts(team, report, client):
    """REQ-INC-05: no channel outside the four and no release without facts."""
    incident = report()
    client.force_login(team["director"])
    client.post(f"/incidents/{incident.pk}/releases/", {**RELEASE, "channel": "fax"})
    client.post(f"/incidents/{incident.pk}/releases/", {**RELEASE, "facts": "   "})
    assert not InformationRelease.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.release_information(incident, by=team["director"], channel="press", facts="")
    assert "facts" in error.value.message_dict


def test_REQ_INC_05_only_responders_release_and_never_on_a_closed_incident(team, report, client):
    """REQ-INC-05: a team member outside the response cannot publish; a closed incident takes no release."""
    incident = report()
    client.force_login(team["reception"])
    assert client.post(f"/incidents/{incident.pk}/releases/", RELEASE).status_code == 403
    assert not InformationRelease.objects.exists()
    stale = type(incident).objects.get(pk=incident.pk)  # loaded before the incident is closed
    services.set_level(incident, level=incident.level, by=team["director"])
    services.resolve(incident, by=team["director"], resolution="更换备用投影仪")
    services.close_incident(incident, by=team["director"], lessons="备用机提前开机")
    client.force_login(team["director"])
    client.post(f"/incidents/{incident.pk}/releases/", RELEASE)
    assert not InformationRelease.objects.exists()
    incident.refresh_from_db()
    with pytest.raises(ValidationError):
        services.release_information(incident, by=team["director"], channel="press", facts="事后补发")
    with pytest.raises(ValidationError):  # a copy from before the closing does not reopen it
        services.release_information(stale, by=team["director"], channel="press", facts="事后补发")
    assert not InformationRelease.objects.exists()


@pytest.mark.parametrize(
    ("type", "measure"),
    [
        ("health", "Medical staff attend at once"),  # rescue
        ("equipment_failure", "repair or replace"),  # repair
        ("security", "cordons it off"),  # cordon
        ("security", "Keep order"),  # order
    ],
)
def test_REQ_INC_05_response_measures_are_on_the_incident_checklist(team, report, type, measure):  # noqa: A002
    """REQ-INC-05: rescue, repair, cordon and order are steps of the incident's response checklist."""
    incident = report(type=type)
    steps = [task.text.get("en", "") for task in incident.tasks.all()]
    assert any(measure in step for step in steps), steps
