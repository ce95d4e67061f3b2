import sys

from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connections
from django.db.utils import DatabaseError
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import notifications as notices
from . import queries, resilience
from .forms import AuditSearchForm
from .glossary import glossary as glossary_terms
from .permissions import can_view


@login_required
def dashboard(request):
    return render(request, "core/dashboard.html", queries.dashboard(request.user))


def glossary(request):
    return render(request, "core/glossary.html", {"terms": glossary_terms(get_language() or "zh-hans")})


@never_cache
def healthz(request):
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@permission_required("auditlog.view_logentry", raise_exception=True)
def audit_search(request):
    form = AuditSearchForm(request.GET or None)
    entries = queries.audit_entries()
    if form.is_bound and form.is_valid():
        entries = queries.audit_entries(**form.cleaned_data)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def activity(request, content_type_id: int, object_pk: str):
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None:
        raise Http404
    instance = get_object_or_404(model, pk=object_pk)
    if not can_view(request.user, instance):
        raise PermissionDenied
    page = Paginator(queries.object_history(instance), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/activity.html",
        {"object": instance, "page": page, "verbose_name": model._meta.verbose_name},
    )


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def error_404(request, exception=None):
    if _wants_json(request):
        return JsonResponse(
            {"error": {"code": "not_found", "message": _("Not found."), "fields": {}}}, status=404
        )
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    if _wants_json(request):
        message = _("You do not have permission to perform this action.")
        return JsonResponse(
            {"error": {"code": "permission_denied", "message": message, "fields": {}}}, status=403
        )
    return render(request, "403.html", status=403)


def error_500(request):
    # Called while the exception is being handled: a database that cannot be reached is a 503 (issue 10).
    if resilience.database_unavailable(sys.exc_info()[1]):
        return resilience.unavailable_response(request)
    if _wants_json(request):
        message = _("Something went wrong on our side. It has been logged; please try again.")
        return JsonResponse({"error": {"code": "server_error", "message": message, "fields": {}}}, status=500)
    # Without the request's context: its processors query the database, which may be what failed.
    return HttpResponseServerError(render_to_string("500.html"))


@login_required
def notification_list(request):
    if request.method == "POST":
        notices.mark_read(request.user)
        return redirect("core:notifications")
    page = Paginator(request.user.notifications.prefetch_related("deliveries__config"), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "core/notifications.html", {"page": page})
