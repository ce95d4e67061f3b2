from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from huiyi.core import views as core_views

urlpatterns = [
    path("", include("huiyi.core.urls")),
    path("accounts/", include("huiyi.accounts.urls")),
    path("clients/", include("huiyi.clients.urls")),
    path("projects/", include("huiyi.projects.urls")),
    path("intake/", include("huiyi.projects.intake.urls")),
    path("planning/", include("huiyi.projects.planning.urls")),
    path("preparation/", include("huiyi.projects.preparation.urls")),
    path("contracts/", include("huiyi.contracts.urls")),
    path("resources/", include("huiyi.resources.urls")),
    path("onsite/", include("huiyi.onsite.urls")),
    path("attendees/", include("huiyi.onsite.attendees.urls")),
    path("checkin/", include("huiyi.onsite.checkin.urls")),
    path("inspections/", include("huiyi.onsite.inspections.urls")),
    path("agenda/", include("huiyi.onsite.agenda.urls")),
    path("incidents/", include("huiyi.incidents.urls")),
    path("preparedness/", include("huiyi.incidents.preparedness.urls")),
    path("surveys/", include("huiyi.feedback.surveys.urls")),
    path("complaints/", include("huiyi.feedback.complaints.urls")),
    path("improvement/", include("huiyi.feedback.improvement.urls")),
    path("closing/", include("huiyi.closing.urls")),
    path("documents/search/", include("huiyi.documents.search.urls")),
    path("documents/", include("huiyi.documents.urls")),
    path("disposition/", include("huiyi.documents.disposition.urls")),
    path("borrowing/", include("huiyi.documents.borrowing.urls")),
    path("people/", include("huiyi.people.urls")),
    path("rulebook/", include("huiyi.rulebook.urls")),
    path("calendar/", include("huiyi.calendar.page_urls")),
    path("quality/", include("huiyi.quality.urls")),
    path("audits/", include("huiyi.quality.audits.urls")),
    path("accountability/", include("huiyi.quality.accountability.urls")),
    path("sop/", include("huiyi.quality.sop.urls")),
    path("kpis/", include("huiyi.quality.kpis.urls")),
    path("api/v1/", include("huiyi.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler403 = "huiyi.core.views.error_403"
handler404 = "huiyi.core.views.error_404"
handler500 = "huiyi.core.views.error_500"
