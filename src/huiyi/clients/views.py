from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from huiyi.core.paging import page_of
from huiyi.projects.queries import visible_projects

from . import queries, services
from .forms import ClientForm, ContactForm
from .models import Client


@login_required
def client_list(request):
    clients = queries.client_list(request.user)
    text = request.GET.get("q", "").strip()
    if text:
        clients = clients.filter(Q(name__icontains=text) | Q(name_en__icontains=text))
    page, query = page_of(request, clients, 25)
    return render(request, "clients/list.html", {"page": page, "q": text, "query": query})


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
            "contact_form": ContactForm() if request.user.has_perm("clients.add_contact") else None,
        },
    )


@login_required
@permission_required("clients.add_client", raise_exception=True)
def client_create(request):
    form = ClientForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        client = services.create_client(created_by=request.user, **form.cleaned_data)
        messages.success(request, _("Client %(name)s added.") % {"name": client.name})
        return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/form.html", {"form": form, "client": None})


@login_required
@permission_required("clients.change_client", raise_exception=True)
def client_edit(request, pk: int):
    client = get_object_or_404(queries.visible_clients(request.user), pk=pk)
    form = ClientForm(request.POST or None, instance=client, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_client(client, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/form.html", {"form": form, "client": client})


@login_required
@permission_required("clients.add_contact", raise_exception=True)
def contact_add(request, pk: int):
    client = get_object_or_404(queries.visible_clients(request.user), pk=pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_contact(client, created_by=request.user, **form.cleaned_data)
        messages.success(request, _("Contact added."))
        return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/contact_form.html", {"form": form, "client": client})
