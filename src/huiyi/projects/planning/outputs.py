"""Phase output: the meeting plan is present once the client confirmed a version (REQ-QLT-01)."""

from django.urls import reverse

from huiyi.projects.outputs import Evidence, output

from .queries import confirmed_version


@output("meeting_plan")
def meeting_plan(project):
    version = confirmed_version(project)
    if version is None:
        return None
    return Evidence(
        label=f"{version.project.code} {version.label}", url=reverse("planning:version", args=[version.pk])
    )
