"""Root URLs: every app's pages under one roof, Django's admin behind the portal's login."""

from django.contrib import admin
from django.urls import include, path

from api.endpoints import api as read_api
from overview import views as overview_views
from portal import health, views

admin.site.site_header = "Sozialraum-Portal – Verwaltung"
admin.site.site_title = "Sozialraum-Portal"
admin.site.index_title = "Stammdaten und Benutzerkonten"

urlpatterns = [
    path("", overview_views.home, name="home"),
    path("asd/", overview_views.asd_home, name="asd_home"),
    path("traeger/start/", overview_views.provider_home, name="provider_home"),
    path("planung/", overview_views.planning_home, name="planning_home"),
    path("verwaltung/", overview_views.admin_home, name="admin_home"),
    path("verwaltung/betrieb/", views.system_status, name="system_status"),
    path("health/", health.health, name="health"),
    path("barrierefreiheit/", views.accessibility_statement, name="accessibility_statement"),
    path("", include("accounts.urls")),
    path("", include("sozialraum.urls")),
    path("", include("cases.urls")),
    path("", include("budgets.urls")),
    path("", include("network.urls")),
    path("", include("overview.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
    path("", include("documents.urls")),
    path("", include("billing.urls")),
    path("", include("meetings.urls")),
    path("", include("contributions.urls")),
    path("", include("reimbursements.urls")),
    path("", include("kjhstat.urls")),
    path("", include("exchange.urls")),
    path("", include("api.urls")),
    # The read API keeps its own namespace ("v1"): django-ninja reverses its root by that name.
    path("api/v1/", read_api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
