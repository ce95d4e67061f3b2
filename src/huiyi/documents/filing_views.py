"""The lead's "file outputs now" action on the project's documents page (thin: the filing service decides)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiyi.projects.models import MeetingProject

from . import filing


@login_required
@require_POST
def file_outputs(request, pk: int):
    project = get_object_or_404(MeetingProject, pk=pk)
    if not request.user.has_perm("projects.view_meetingproject", project):
        raise Http404
    if not request.user.has_perm("documents.file_in", project):
        raise PermissionDenied
    results = filing.file_ready(project, by=request.user)
    states = [r.state for r in results]
    new = states.count("created") + states.count("added")
    if "failed" in states:
        messages.warning(
            request,
            _("%(count)s outputs could not be filed now; the daily job will try again.")
            % {"count": states.count("failed")},
        )
    if new:
        messages.success(request, _("%(count)s outputs filed or updated.") % {"count": new})
    else:
        messages.info(request, _("Every output that is ready is already filed."))
    return redirect("documents:project", project.pk)
