"""Answering (REQ-FBK-01, issue 7 "Bad input"): a personal link answered twice updates; the anonymous link is
rate-limited; out-of-range or missing answers are refused naming the question and change nothing; the answer
page speaks the attendee's language and shows free text as text."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone, translation
from survey_helpers import full_answer, scale_questions

from huiyi.feedback.surveys import services
from huiyi.feedback.surveys.models import Answer, Invitation, Response

pytestmark = pytest.mark.django_db


def _personal(survey, name="参会者0"):
    attendee = survey.project.attendees.get(name=name)
    return services.personal_link_for_attendee(survey, attendee)


def test_req_fbk_01_personal_link_answered_twice_updates_not_duplicates(client, survey):
    invitation, token = _personal(survey)
    q = scale_questions(survey)
    url = f"/surveys/r/{token}/"
    first = client.post(url, {f"q{x.pk}": "5" for x in q})
    assert first.status_code == 200 and b'id="thanks"' in first.content
    second = client.post(url, {**{f"q{x.pk}": "2" for x in q}, f"q{q[0].pk}": "1"})
    assert second.status_code == 200
    assert Response.objects.filter(survey=survey).count() == 1
    response = Response.objects.get(invitation=invitation)
    assert sorted(Answer.objects.filter(response=response).values_list("value", flat=True)) == [1, 2, 2, 2, 2]
    page = client.get(url)
    assert b'id="answered-before"' in page.content and b"checked" in page.content


def test_req_fbk_01_personal_page_in_the_attendees_language(client, survey):
    _invitation, token = _personal(survey, "参会者3")  # language en
    page = client.get(f"/surveys/r/{token}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert b"How satisfied are you with the agenda?" in page.content
    assert b"Very satisfied" in page.content


def test_req_fbk_01_closed_survey_refuses_and_keeps_answers(client, survey, manager):
    invitation, token = _personal(survey)
    client.post(f"/surveys/r/{token}/", {f"q{x.pk}": "4" for x in scale_questions(survey)})
    services.close_survey(survey, by=manager)
    page = client.post(f"/surveys/r/{token}/", {f"q{x.pk}": "1" for x in scale_questions(survey)})
    assert b'id="closed"' in page.content
    assert set(Answer.objects.filter(response__invitation=invitation).values_list("value", flat=True)) == {4}


def test_bad_input_out_of_range_and_missing_are_refused_naming_the_question(survey):
    q = scale_questions(survey)
    with translation.override("en"), pytest.raises(Exception) as error:
        services.submit(survey, {**full_answer(survey), q[1].pk: 6})
    messages = error.value.message_dict
    assert list(messages) == [f"q{q[1].pk}"]
    assert (
        "Question 2" in messages[f"q{q[1].pk}"][0] and "outside the scale 1–5" in messages[f"q{q[1].pk}"][0]
    )
    with pytest.raises(Exception) as error:
        services.submit(survey, {q[0].pk: 3})
    assert set(error.value.message_dict) == {f"q{x.pk}" for x in q[1:]}
    with pytest.raises(Exception) as error:
        services.submit(survey, {**full_answer(survey), 999999: 3})
    assert "answers" in error.value.message_dict
    for bad in ("4.5", True, "five", [4]):
        with pytest.raises(Exception):
            services.submit(survey, {**full_answer(survey), q[0].pk: bad})
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_bad_input_page_shows_the_error_at_the_question(client, survey):
    q = scale_questions(survey)
    page = client.post(f"/surveys/a/{survey.public_code}/", {f"q{q[0].pk}": "9"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    assert f'data-question="{q[0].pk}"'.encode() in page.content
    assert b"outside the scale" in page.content
    assert Response.objects.count() == 0


@override_settings(HUIYI_SURVEY_ADDRESS_RATE=(3, 600), HUIYI_SURVEY_RATE=(2, 600))
def test_bad_input_anonymous_link_flood_is_rate_limited(client, survey):
    url = f"/surveys/a/{survey.public_code}/"
    data = {f"q{x.pk}": "4" for x in scale_questions(survey)}
    codes = [client.post(url, data).status_code for _i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert Response.objects.filter(survey=survey).count() == 3
    # Another address is not affected.
    assert client.post(url, data, REMOTE_ADDR="10.0.0.9").status_code == 200
    # A personal link is limited per link, whatever the address (guests share the venue's Wi-Fi).
    _invitation, token = _personal(survey)
    codes = [
        client.post(f"/surveys/r/{token}/", data, REMOTE_ADDR=f"10.0.1.{n}").status_code for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_bad_input_free_text_is_shown_as_text(client, survey, manager):
    text_q = survey.template.questions.get(kind="text")
    services.submit(survey, {**full_answer(survey), text_q.pk: '<script>alert("x")</script>'})
    client.force_login(manager)
    page = client.get(f"/surveys/{survey.pk}/results/")
    assert b"<script>alert" not in page.content
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page.content


def test_not_yet_open_and_unknown_links(client, survey, meeting, manager):
    later = services.create_survey(
        meeting,
        by=manager,
        template=survey.template,
        opens_at=timezone.now() + timedelta(hours=2),
        closes_at=timezone.now() + timedelta(days=2),
    )
    assert b'id="not-open"' in client.get(f"/surveys/a/{later.public_code}/").content
    assert client.get("/surveys/a/nope/").status_code == 404
    assert client.get("/surveys/r/not-a-token/").status_code == 410


def test_req_fbk_01_invitations_are_e_mailed_once_with_a_working_link(
    client, survey, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        added = services.invite_attendees(survey, by=manager)
    assert added == 8  # the checked-in attendees with e-mail
    assert len(mail.outbox) == 8
    assert Invitation.objects.filter(survey=survey, sent_at__isnull=False).count() == 8
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_attendees(survey, by=manager)
    assert len(mail.outbox) == 8  # nobody twice
    message = next(m for m in mail.outbox if m.to == ["a3@example.com"])
    assert message.subject.startswith("Your opinion on")  # attendee 3 reads English
    link = next(line for line in message.body.splitlines() if "/surveys/r/" in line)
    assert client.get(link[link.index("/surveys/r/") :]).status_code == 200


def test_req_fbk_01_sending_failure_is_recorded_and_retried(survey, manager, monkeypatch):
    from huiyi.feedback.surveys import tasks

    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("mail server down")
        return 1

    monkeypatch.setattr(tasks, "send_mail", flaky)
    invitation = Invitation.objects.create(survey=survey, name="甲", email="jia@example.com")
    with pytest.raises(OSError):
        tasks.deliver(invitation.pk)
    invitation.refresh_from_db()
    assert (
        invitation.sent_at is None
        and invitation.attempts == 1
        and "mail server down" in invitation.last_error
    )
    assert tasks.deliver(invitation.pk) is True
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.attempts == 2
    assert tasks.deliver(invitation.pk) is False  # sent once only
