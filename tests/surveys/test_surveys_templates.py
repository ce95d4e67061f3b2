"""REQ-FBK-01: a template is edited in place until answers exist; then an edit creates the next version and
the answered version stays frozen for the surveys that used it."""

import pytest
from survey_helpers import full_answer

from huiyi.feedback.surveys import services
from huiyi.feedback.surveys.models import Question, SurveyTemplate

pytestmark = pytest.mark.django_db


def test_req_fbk_01_edit_before_answers_is_in_place(survey, manager):
    template = survey.template
    question = template.questions.get(position=1)
    result = services.update_question(
        question, by=manager, kind="scale", text="议程安排是否合理?", dimension="agenda"
    )
    assert result.pk == template.pk and result.version == 1
    assert Question.objects.get(pk=question.pk).text == "议程安排是否合理?"


def test_req_fbk_01_edit_after_answers_creates_a_new_version(survey, manager):
    template = survey.template
    services.submit(survey, full_answer(survey))
    question = template.questions.get(position=1)
    new = services.update_question(
        question, by=manager, kind="scale", text="新的议程问题", dimension="agenda"
    )
    assert new.pk != template.pk and new.family == template.family and new.version == 2
    template.refresh_from_db()
    assert template.superseded_at is not None
    assert template.questions.get(position=1).text != "新的议程问题"  # the answered version is unchanged
    assert new.questions.get(position=1).text == "新的议程问题"
    assert new.questions.count() == template.questions.count()
    survey.refresh_from_db()
    assert survey.template_id == template.pk
    # The old version can no longer be edited; the default template is now version 2.
    with pytest.raises(Exception):
        services.update_template(template, by=manager, name="x")
    assert services.default_template("attendees") == new
    assert SurveyTemplate.objects.filter(family=template.family).count() == 2


def test_req_fbk_01_question_validation(manager):
    template = services.create_template(by=manager, name="测试", audience="attendees")
    for fields, field in [
        ({"kind": "single", "text": "选一个", "choices": ["唯一"]}, "choices"),
        ({"kind": "scale", "text": "权重", "weight": "1.5"}, "weight"),
        ({"kind": "text", "text": "文字", "weight": "0.2"}, "weight"),
        ({"kind": "scale", "text": ""}, "text"),
        ({"kind": "nope", "text": "x"}, "kind"),
    ]:
        with pytest.raises(Exception) as error:
            services.add_question(template, by=manager, **fields)
        assert field in error.value.message_dict
    assert template.questions.count() == 0


def test_template_editor_pages(client, survey, manager):
    client.force_login(manager)
    assert client.get("/surveys/templates/").status_code == 200
    page = client.get(f"/surveys/templates/{survey.template.pk}/")
    assert page.status_code == 200 and "议程".encode() in page.content
    services.submit(survey, full_answer(survey))
    question = survey.template.questions.get(position=2)
    response = client.post(
        f"/surveys/questions/{question.pk}/",
        {
            f"q{question.pk}-kind": "scale",
            f"q{question.pk}-text": "内容质量如何?",
            f"q{question.pk}-dimension": "content",
            f"q{question.pk}-required": "on",
            "action": "save",
        },
    )
    new = SurveyTemplate.objects.get(family=survey.template.family, version=2)
    assert response.status_code == 302 and response.url == f"/surveys/templates/{new.pk}/"
    response = client.post(
        f"/surveys/templates/{new.pk}/questions/new/",
        {
            "new-kind": "multiple",
            "new-text": "您从哪里得知本次会议?",
            "new-choices": "邮件 | E-mail\n微信 | WeChat",
            "new-required": "on",
        },
    )
    assert response.status_code == 302
    assert new.questions.get(kind="multiple").choices == [
        {"zh-hans": "邮件", "en": "E-mail"},
        {"zh-hans": "微信", "en": "WeChat"},
    ]
