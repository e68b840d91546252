from django.urls import path

from billing import views_check, views_payment_runs, views_provider

app_name = "billing"
urlpatterns: list = [
    # Payment runs for the town's cash office (parts 4 of issue 20).
    path("zahlungen/zahllaeufe/", views_payment_runs.payment_run_list, name="payment_run_list"),
    path(
        "zahlungen/zahllaeufe/neu/",
        views_payment_runs.payment_run_create,
        name="payment_run_create",
    ),
    path(
        "zahlungen/zahllaeufe/<int:pk>/",
        views_payment_runs.payment_run_detail,
        name="payment_run_detail",
    ),
    path(
        "zahlungen/zahllaeufe/<int:pk>/datei.<slug:extension>",
        views_payment_runs.payment_run_file,
        name="payment_run_file",
    ),
    # Leistungsnachweise: the provider's side and the check (parts 2 and 3 of issue 20).
    path("leistungsnachweise/", views_provider.statement_list, name="statement_list"),
    path("leistungsnachweise/import/", views_provider.statement_import, name="statement_import"),
    path(
        "leistungsnachweise/falldurchfuehrung/<int:pk>/neu/",
        views_provider.statement_create,
        name="statement_create",
    ),
    path("leistungsnachweise/<int:pk>/", views_provider.statement_detail, name="statement_detail"),
    path(
        "leistungsnachweise/<int:pk>/original.pdf",
        views_provider.statement_document,
        name="statement_document",
    ),
    path("pruefung/leistungsnachweise/", views_check.check_queue, name="check_queue"),
    path("pruefung/leistungsnachweise/<int:pk>/", views_check.check_detail, name="check_detail"),
]
