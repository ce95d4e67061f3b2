from django.db.models import Count, QuerySet

from huiyi.projects.queries import visible_projects

from .models import Client


def visible_clients(user) -> QuerySet[Client]:
    """Clients are visible with the role permission, or when one of their projects is visible."""
    if not user.is_authenticated:
        return Client.objects.none()
    if user.has_perm("clients.view_client"):
        return Client.objects.all()
    return Client.objects.filter(pk__in=visible_projects(user).values("client"))


def client_list(user) -> QuerySet[Client]:
    return visible_clients(user).select_related("org_unit").annotate(project_count=Count("projects"))
