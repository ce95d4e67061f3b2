from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from huiyi.projects.queries import visible_projects

from . import queries
from .models import Client


@login_required
def client_list(request):
    clients = queries.client_list(request.user)
    text = request.GET.get("q", "").strip()
    if text:
        clients = clients.filter(Q(name__icontains=text) | Q(name_en__icontains=text))
    page = Paginator(clients, 25).get_page(request.GET.get("page"))
    return render(request, "clients/list.html", {"page": page, "q": text})


@login_required
def client_detail(request, pk: int):
    client = get_object_or_404(queries.visible_clients(request.user).select_related("org_unit"), pk=pk)
    projects = visible_projects(request.user).filter(client=client).select_related("meeting_type")
    return render(
        request,
        "clients/detail.html",
        {
            "client": client,
            "contacts": client.contacts.all(),
            "projects": projects,
            "content_type_id": ContentType.objects.get_for_model(Client).pk,
        },
    )
