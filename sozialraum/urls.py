from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sozialraum import account_views, views

admin.site.site_header = "Sozialraum-Portal – Verwaltung"
admin.site.site_title = "Sozialraum-Portal"
admin.site.index_title = "Stammdaten und Benutzerkonten"

urlpatterns = [
    path("", views.home, name="home"),
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("zwei-faktor/", account_views.two_factor_verify, name="two_factor_verify"),
    path("zwei-faktor/einrichten/", account_views.two_factor_setup, name="two_factor_setup"),
    path("zwei-faktor/notfallcodes/", account_views.backup_codes_renew, name="backup_codes_renew"),
    path("konto/", account_views.account, name="account"),
    path("konto/passwort/", account_views.password_change, name="password_change"),
    path("sitzung/verlaengern/", account_views.session_extend, name="session_extend"),
    path("asd/", views.asd_home, name="asd_home"),
    path("traeger/start/", views.provider_home, name="provider_home"),
    path("planung/", views.planning_home, name="planning_home"),
    path("verwaltung/", views.admin_home, name="admin_home"),
    path("verwaltung/betrieb/", views.system_status, name="system_status"),
    path("zustaendigkeit/", views.address_lookup, name="address_lookup"),
    path("sozialraeume/", views.sozialraum_list, name="sozialraum_list"),
    path("strassenverzeichnis/", views.street_directory, name="street_directory"),
    path(
        "strassenverzeichnis/import/",
        views.street_directory_upload,
        name="street_directory_upload",
    ),
    path("traeger/", views.provider_list, name="provider_list"),
    path("barrierefreiheit/", views.accessibility_statement, name="accessibility_statement"),
    path("", include("cases.urls")),
    path("", include("budgets.urls")),
    path("", include("network.urls")),
    path("", include("overview.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "sozialraum.errors.bad_request"
handler403 = "sozialraum.errors.permission_denied"
handler404 = "sozialraum.errors.page_not_found"
handler500 = "sozialraum.errors.server_error"
