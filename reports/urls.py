"""URLs of the reports app, all under /berichte/, keyed by each report's random public id."""

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("berichte/", views.report_list, name="list"),
    path("berichte/neu/", views.report_create, name="create"),
    path("berichte/<uuid:public_id>/", views.report_detail, name="detail"),
    path("berichte/<uuid:public_id>/bericht.pdf", views.report_download, name="download"),
    path("berichte/<uuid:public_id>/zahlen.xlsx", views.report_export, name="export_xlsx"),
    path(
        "berichte/<uuid:public_id>/tabelle/<slug:table>.csv",
        views.report_export,
        name="export_csv",
    ),
]
