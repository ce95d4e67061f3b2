"""Pages of check-in: the scanner for phones, the live board, the cockpit panel (REQ-ONS-02). Thin: the
scanner page talks to the API (redeem, checkout, sync, search); the board reads queries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from huiyi.onsite.attendees.models import Category
from huiyi.projects.models import MeetingProject

from . import queries, services
from .models import Conflict, Result

#: The scanner page waits this long for the server before it keeps the scan in its offline queue.
OFFLINE_AFTER_MS = 2000
#: How often the board and the cockpit panel refresh themselves (seconds).
BOARD_REFRESH_SECONDS = 5
PANEL_REFRESH_SECONDS = 15


def _project(request, pk, permission: str) -> MeetingProject:
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm(permission, project):
        raise PermissionDenied
    return project


def _scanner_config(request, project) -> dict:
    api = "/api/v1/"
    return {
        "project": project.pk,
        "offlineAfterMs": OFFLINE_AFTER_MS,
        "urls": {
            "redeem": reverse("api:checkin-redeem"),
            "checkout": reverse("api:checkin-checkout"),
            "sync": reverse("api:checkin-sync"),
            "timings": reverse("api:checkin-timings"),
            "search": reverse("api:checkin-search", args=[project.pk]),
            "api": api,
        },
        "categories": dict(Category.choices),
        "results": {value: str(label) for value, label in Result.choices},
        "text": {
            "ok": _("Welcome"),
            "reentry": _("Welcome back"),
            "already_checked_in": _("Already checked in at %(time)s"),
            "unknown": _("Unknown ticket"),
            "wrong_meeting": _("Ticket of another meeting"),
            "blocked": _("Registration cancelled — please see the desk"),
            "checked_out": _("Checked out"),
            "not_checked_in": _("Not checked in yet"),
            "already_checked_out": _("Already checked out"),
            "offline": _("Saved offline — will sync"),
            "offline_again": _("Saved offline — already scanned on this device"),
            "seat": _("Seat"),
            "online": pgettext("network", "Online"),
            "offlineBadge": pgettext("network", "Offline"),
            "queue": _("Waiting to sync: %(n)s"),
            "synced": _("Synced %(n)s offline scans"),
            "syncFailed": _("Sync failed, retrying in %(s)s s"),
            "conflict": _("Conflict: %(name)s was admitted twice — the director will see it"),
            "invalidItem": _("An offline scan was refused: %(message)s"),
            "noCamera": _("No camera available: use a hardware scanner or type the code."),
            "cameraDenied": _("The camera could not be opened: %(error)s"),
            "cameraOn": _("Stop camera"),
            "cameraOff": _("Use the camera"),
            "searchEmpty": _("No attendee found."),
            "checkIn": _("Check in"),
            "checkOut": _("Check out"),
            "checkedInAt": _("Checked in %(time)s"),
            "cancelled": _("Cancelled"),
            "signedOut": _("Your session has ended: please sign in again."),
            "forbidden": _("You may not scan for this meeting."),
            "error": _("The server refused the scan: %(message)s"),
            "defaultDevice": pgettext("device", "Scanner"),
            "code": _("Code %(code)s"),
        },
    }


@login_required
def scanner(request, pk):
    project = _project(request, pk, "checkin.scan")
    return render(
        request,
        "checkin/scan.html",
        {
            "project": project,
            "config": _scanner_config(request, project),
            "summary": queries.summary(project),
        },
    )


def _board_context(project, user) -> dict:
    return {
        "project": project,
        "summary": queries.summary(project),
        "categories": queries.by_category(project),
        "arrivals": queries.arrivals_per_bucket(project),
        "vips": queries.vips_missing(project),
        "recent": queries.recent_scans(project),
        "conflicts": queries.conflicts(project),
        "offline": queries.offline_stats(project),
        "devices": queries.devices(project),
        "can_acknowledge": user.has_perm("checkin.acknowledge", project),
        "can_scan": user.has_perm("checkin.scan", project),
        "refresh": BOARD_REFRESH_SECONDS,
        "now": timezone.now(),
    }


@login_required
def board(request, pk):
    project = _project(request, pk, "checkin.board")
    return render(request, "checkin/board.html", _board_context(project, request.user))


@login_required
def board_live(request, pk):
    project = _project(request, pk, "checkin.board")
    return render(request, "checkin/_board_live.html", _board_context(project, request.user))


@login_required
def panel(request, pk):
    project = _project(request, pk, "checkin.board")
    return render(request, "checkin/_cockpit_panel.html", {"project": project})


@login_required
@require_POST
def acknowledge(request, pk):
    conflict = get_object_or_404(Conflict.objects.select_related("project"), pk=pk)
    if not request.user.has_perm("checkin.acknowledge", conflict.project):
        raise PermissionDenied
    try:
        services.acknowledge_conflict(conflict, by=request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Conflict acknowledged."))
    return redirect(reverse("checkin:board", args=[conflict.project_id]) + "#conflicts")
