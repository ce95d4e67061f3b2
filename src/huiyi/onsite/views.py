"""The on-site cockpit: one page per meeting day for the on-site director, built from the apps' panels."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from huiyi.projects.models import MeetingProject

from .panels import panels
from .queries import on_site_projects


@login_required
def index(request):
    """The meetings on site today and this week, each with its cockpit."""
    now = timezone.now()
    projects = list(on_site_projects(request.user, now))
    return render(
        request,
        "onsite/index.html",
        {
            "running": [p for p in projects if p.start <= now],
            "upcoming": [p for p in projects if p.start > now],
            "now": now,
        },
    )


@login_required
def cockpit(request, pk: int):
    project = get_object_or_404(MeetingProject.objects.select_related("client"), pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise PermissionDenied
    context = {"project": project, "now": timezone.now()}
    # A panel shows nothing to someone its app gives nothing to: leave it out, so the grid has no holes.
    shown = []
    for panel in panels():
        html = render_to_string(panel.template, context, request=request)
        if html.strip():
            shown.append((panel, html))
    return render(request, "onsite/cockpit.html", {**context, "panels": shown})
