"""REQ-FBK-02: collection rate = responses / attendees targeted; targeting by check-in and category."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from survey_helpers import add_attendee, full_answer

from huiyi.feedback.surveys import queries, services
from huiyi.feedback.surveys.models import Audience
from huiyi.onsite.attendees.models import Attendee

pytestmark = pytest.mark.django_db


def _answer(survey, n):
    for _i in range(n):
        services.submit(survey, full_answer(survey))


def test_req_fbk_02_collection_rate_counts_only_attendees_who_came(survey):
    _answer(survey, 6)
    summary = queries.summary(survey)
    assert (summary.responses, summary.targeted) == (6, 8)  # 10 registered, 8 checked in
    assert summary.collection_rate == Decimal("0.75")
    assert summary.collection_percent == Decimal("75.0")


def test_req_fbk_02_targeting_all_registered_and_by_category(meeting, manager):
    template = services.default_template(Audience.ATTENDEES)
    now = timezone.now()
    everyone = services.create_survey(
        meeting,
        by=manager,
        template=template,
        opens_at=now,
        closes_at=now + timedelta(days=1),
        only_checked_in=False,
    )
    vips = services.create_survey(
        meeting,
        by=manager,
        template=template,
        opens_at=now,
        closes_at=now + timedelta(days=1),
        categories=["vip"],
    )
    cancelled = add_attendee(meeting, "取消者", checked_in=True)
    cancelled.status = Attendee.Status.CANCELLED
    cancelled.save()
    assert queries.summary(everyone).targeted == 10
    assert queries.summary(vips).targeted == 2
    assert set(queries.targeted_attendees(vips).values_list("category", flat=True)) == {"vip"}


def test_req_fbk_02_rate_never_exceeds_one_with_anonymous_answers(survey):
    _answer(survey, 9)
    assert queries.summary(survey).collection_rate == 1


def test_req_fbk_02_bad_targeting_is_refused(meeting, manager):
    template = services.default_template(Audience.ATTENDEES)
    now = timezone.now()
    with pytest.raises(Exception) as error:
        services.create_survey(
            meeting, by=manager, template=template, opens_at=now, closes_at=now, categories=["alien"]
        )
    assert set(error.value.message_dict) == {"closes_at", "categories"}


def test_req_fbk_02_checkin_service_marks_attendees_targeted(meeting, manager, survey):
    """Targeting reads the check-in records the check-in service writes."""
    from huiyi.onsite.checkin import services as checkin

    late = add_attendee(meeting, "迟到者")
    assert not queries.targeted_attendees(survey).filter(pk=late.pk).exists()
    checkin.scan(
        checkin.Scanner.for_user(manager), code=late.ticket.code, device="door", project_id=meeting.pk
    )
    assert queries.targeted_attendees(survey).filter(pk=late.pk).exists()


def test_req_fbk_02_figures_recorded_after_an_early_close_and_cleared_on_reopening(survey, manager):
    _answer(survey, 6)
    now = timezone.now()
    services.close_survey(survey, by=manager, now=now)
    assert services.record_final_counts(now=now) == 0  # answers in flight at the close may still commit
    later = now + services.FINAL_COUNT_DELAY
    assert services.record_final_counts(now=later) == 1
    survey.refresh_from_db()
    assert (survey.final_responses, survey.final_targeted) == (6, 8)
    assert queries.collection_counts([survey]) == {survey.pk: (6, 8)}

    services.reopen_survey(survey, by=manager, now=later)
    survey.refresh_from_db()
    assert (survey.final_responses, survey.final_targeted) == (None, None)
    _answer(survey, 1)
    assert queries.collection_counts([survey]) == {survey.pk: (7, 8)}  # counted from the rows again
