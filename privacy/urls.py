"""Data protection pages, all under /verwaltung/datenschutz/. Paths carry IDs only: a name
searched for a subject access request travels in the POST body."""

from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("verwaltung/datenschutz/", views.home, name="home"),
    path(
        "verwaltung/datenschutz/fristen/<int:pk>/",
        views.retention_class_edit,
        name="retention_class_edit",
    ),
    path("verwaltung/datenschutz/loeschlaeufe/", views.run_list, name="run_list"),
    path("verwaltung/datenschutz/loeschlaeufe/<int:pk>/", views.run_detail, name="run_detail"),
    path("verwaltung/datenschutz/sperren/", views.holds, name="holds"),
    path("verwaltung/datenschutz/sperren/<int:pk>/aufheben/", views.hold_lift, name="hold_lift"),
    path("verwaltung/datenschutz/auskunft/", views.subject_search, name="subject_search"),
    path("verwaltung/datenschutz/auskunft/export/", views.subject_export, name="subject_export"),
]
