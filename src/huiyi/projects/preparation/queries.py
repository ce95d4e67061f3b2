"""Reads of the preparation app: bounded queries, filtered to what the user may see."""

from .models import Task


def project_tasks(project):
    """The execution plan of a project: its tasks in number order, with owner and finisher loaded."""
    return Task.objects.filter(project=project).select_related("owner", "done_by").order_by("number")
