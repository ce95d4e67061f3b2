"""The demo (issue 7, "Done when"): a finished meeting has survey results with collection rate and weighted
scores, an analysis in time, a client questionnaire and two revisits; another has a lower collection rate and
overdue steps. Also the phase-4 output, the CCP 9 metrics, the project section and the cockpit panel."""

from datetime import timedelta

import pytest
from django.utils import timezone

from huiyi.clients.models import Contact
from huiyi.feedback.surveys import demo, metrics, queries
from huiyi.feedback.surveys.models import Response, Revisit
from huiyi.projects.outputs import evidence_for
from huiyi.quality.metrics import Measurement
from huiyi.rulebook.services import rulebook_for

pytestmark = pytest.mark.django_db


def _finished(make_project, unit, code, days_ago, members):
    project = make_project(unit, code=code, start_in_days=-days_ago - 1, members=members, phase=4)
    project.end = timezone.now() - timedelta(days=days_ago)
    project.start = project.end - timedelta(days=1, hours=8)
    project.save(update_fields=["start", "end"])
    return project


def test_demo_builds_surveys_revisits_and_metrics(client, make_project, make_user, org):
    unit = org["north_events"]
    manager = make_user("project_manager", unit)
    director = make_user("on_site_director", unit)
    account = make_user("account_manager", unit)
    members = [(manager, "project_manager"), (director, "on_site_director"), (account, "account_manager")]
    training = _finished(make_project, unit, "HY-2026-096", 8, members)
    dealers = _finished(make_project, unit, "HY-2026-092", 16, members)
    Contact.objects.create(client=training.client, name="刘洋", email="liu@example.com", is_primary=True)
    people = {"project_manager": manager, "on_site_director": director, "account_manager": account}
    demo.build([training, dealers], people)

    main = queries.summary(queries.main_attendee_survey(training))
    assert main.survey.is_closed() and main.responses == 60 and main.targeted == 72
    assert main.collection_rate > queries.summary(queries.main_attendee_survey(dealers)).collection_rate
    assert main.score is not None and main.composite is not None
    assert Response.objects.filter(survey__project=training, survey__audience="client").count() == 1
    assert Revisit.objects.filter(project=training, outcome="done").count() == 2

    steps = {s.key: s for s in queries.deadlines(training)}
    assert steps["collection"].state == "done" and steps["client"].state == "done"
    dealer_steps = {s.key: s for s in queries.deadlines(dealers)}
    assert dealer_steps["analysis"].state == "overdue" and dealer_steps["client"].state == "overdue"

    rulebook = rulebook_for(training)
    rate = metrics.client_revisit_rate(training, rulebook)
    assert isinstance(rate, Measurement) and rate.value == 1
    average = metrics.average_satisfaction_score(training, rulebook)
    assert isinstance(average, Measurement) and average.evidence == {"revisits": 2, "questionnaires": 1}
    assert isinstance(metrics.feedback_collection_rate(training, rulebook), Measurement)
    assert evidence_for(training, "satisfaction_questionnaire") is not None
    assert evidence_for(dealers, "satisfaction_questionnaire") is not None

    client.force_login(manager)
    page = client.get(f"/surveys/projects/{training.pk}/")
    assert page.status_code == 200 and b'data-state="done"' in page.content
    assert client.get(f"/surveys/projects/{dealers.pk}/").content.count(b'data-state="overdue"') == 2
    assert client.get(f"/surveys/{main.survey.pk}/results/").status_code == 200
    detail = client.get(f"/projects/{training.pk}/")
    assert b'id="surveys"' in detail.content
    cockpit = client.get(f"/onsite/projects/{training.pk}/")
    assert cockpit.status_code != 200 or b'id="surveys-panel"' in cockpit.content


def test_no_revisit_is_not_measurable_until_the_deadline_then_zero(meeting):
    rulebook = rulebook_for(meeting)
    assert not isinstance(metrics.client_revisit_rate(meeting, rulebook), Measurement)
    meeting.end = timezone.now() - timedelta(days=30)
    meeting.start = meeting.end - timedelta(hours=8)
    meeting.save(update_fields=["start", "end"])
    measured = metrics.client_revisit_rate(meeting, rulebook)
    assert isinstance(measured, Measurement) and measured.value == 0
