"""A project's schedule as an iCalendar file (RFC 5545): the meeting, tasks and review-step deadlines."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from . import queries


def _event(uid: str, summary: str, start, end=None, description: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@huiyi")
    event.add("dtstamp", timezone.now())
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end or start)
    if description:
        event.add("description", description)
    return event


def project_calendar(project) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//Huiyi//{settings.HUIYI_VERSION}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{project.code} {project.display_name}")
    calendar.add(
        "x-wr-timezone", settings.TIME_ZONE
    )  # a hint for clients; every time below is written in UTC
    meeting = _event(f"project-{project.pk}", project.display_name, project.start, project.end)
    if project.venue_name or project.address:
        meeting.add("location", " ".join(filter(None, [project.venue_name, project.address])))
    calendar.add_component(meeting)
    for task in queries.project_tasks(project):
        summary = _("Task #%(number)s: %(title)s") % {"number": task.number, "title": task.title}
        if task.is_done:
            summary = f"✓ {summary}"
        description = _("Owner: %(owner)s. Done when: %(criterion)s") % {
            "owner": task.owner,
            "criterion": task.done_criterion,
        }
        calendar.add_component(_event(f"task-{task.pk}", summary, task.due, description=description))
    for step in queries.review_steps(project):
        if step.due is None:
            continue
        summary = _("Review deadline: %(step)s") % {"step": step.get_department_display()}
        calendar.add_component(_event(f"review-{step.pk}", summary, step.due))
    for item in queries.materials(project):
        summary = _("Material delivery: %(name)s") % {"name": item.name}
        calendar.add_component(_event(f"material-{item.pk}", summary, item.planned_delivery))
    return calendar.to_ical()
