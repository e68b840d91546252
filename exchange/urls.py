"""URLs of the exchange app, under /export/, keyed by each export's random public id."""

from django.urls import path

from exchange import views

app_name = "exchange"
urlpatterns = [
    path("export/", views.export_list, name="list"),
    path("export/<uuid:public_id>/", views.export_detail, name="detail"),
    path("export/<uuid:public_id>/archiv", views.export_download, name="download"),
]
