"""Pages of the cost contributions. Paths carry only IDs."""

from django.urls import path

from contributions import views

app_name = "contributions"

urlpatterns = [
    path(
        "kostenbeitraege/fall/<int:case_pk>/hilfe/<int:help_pk>/",
        views.help_contributions,
        name="help",
    ),
    path(
        "kostenbeitraege/fall/<int:case_pk>/hilfe/<int:help_pk>/einkommen/",
        views.evidence_create,
        name="evidence_create",
    ),
    path(
        "kostenbeitraege/fall/<int:case_pk>/hilfe/<int:help_pk>/neu/",
        views.contribution_create,
        name="create",
    ),
    path("kostenbeitraege/<int:pk>/", views.contribution_detail, name="detail"),
    path("kostenbeitraege/<int:pk>/bescheid.pdf", views.notice_download, name="notice"),
    path("kostenbeitraege/forderungen/<int:pk>/eingang/", views.receipt_create, name="receipt"),
    path("kostenbeitraege/forderungen/<int:pk>/erlass/", views.waiver_create, name="waiver"),
    path("kostenbeitraege/rueckstaende/", views.arrears, name="arrears"),
    path("kostenbeitraege/import/", views.receipts_import, name="import"),
]
