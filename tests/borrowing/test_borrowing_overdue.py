"""REQ-DOC-05: overdue paper borrowings remind the borrower at most once per the rulebook's interval, and the
meeting's lead after the rulebook's grace."""

import datetime as dt

from django.utils import timezone

from huiyi.core.models import Notification
from huiyi.documents.borrowing import services
from huiyi.rulebook.services import rulebook_for

from .conftest import later


def lent(lib, days=2):
    b = services.request_borrowing(
        lib["agenda"], by=lib["finance"], medium="paper", purpose="x", due_at=later(days)
    )
    services.approve(b, by=lib["pm"])
    return services.hand_out(b, by=lib["keeper"])


def overdue_notes(user):
    return Notification.objects.filter(recipient=user, kind="borrowing_overdue").count()


def test_req_doc_05_overdue_reminders_once_per_interval_then_the_lead(lib):
    rulebook = rulebook_for(lib["project"])
    interval = dt.timedelta(days=rulebook.value(services.REMINDER_INTERVAL_RULE))
    grace = dt.timedelta(days=rulebook.value(services.LEAD_GRACE_RULE))
    b = lent(lib)
    assert services.send_overdue_reminders(now=b.due_at - dt.timedelta(minutes=1)) == {
        "borrowers": 0,
        "leads": 0,
    }
    first = b.due_at + dt.timedelta(minutes=5)
    assert services.send_overdue_reminders(now=first)["borrowers"] == 1
    assert services.send_overdue_reminders(now=first + interval / 2)["borrowers"] == 0  # not twice a day
    assert overdue_notes(lib["finance"]) == 1 and overdue_notes(lib["pm"]) == 0
    assert services.send_overdue_reminders(now=first + interval)["borrowers"] == 1
    assert overdue_notes(lib["pm"]) == 0  # the lead only after the grace
    after_grace = b.due_at + grace + dt.timedelta(minutes=1)
    sent = services.send_overdue_reminders(now=after_grace)
    assert sent == {"borrowers": 1, "leads": 1}
    assert services.send_overdue_reminders(now=after_grace + dt.timedelta(hours=1)) == {
        "borrowers": 0,
        "leads": 0,
    }
    b.refresh_from_db()
    assert b.reminders == 3


def test_req_doc_05_returned_or_electronic_borrowings_are_not_reminded(lib):
    b = lent(lib)
    services.return_borrowing(b, by=lib["keeper"])
    e = services.request_borrowing(
        lib["agenda"], by=lib["planner"], medium="electronic", purpose="x", due_at=later(1)
    )
    services.approve(e, by=lib["pm"])
    assert services.send_overdue_reminders(now=timezone.now() + dt.timedelta(days=30)) == {
        "borrowers": 0,
        "leads": 0,
    }


def test_req_doc_05_the_periodic_job_runs_the_reminders(lib, monkeypatch):
    from huiyi.documents.borrowing import tasks

    b = lent(lib)
    monkeypatch.setattr(timezone, "now", lambda: b.due_at + dt.timedelta(hours=1))
    tasks.borrowing_overdue_reminders.call_local()
    tasks.borrowing_overdue_reminders.call_local()  # a retried run sends nothing more
    assert overdue_notes(lib["finance"]) == 1
