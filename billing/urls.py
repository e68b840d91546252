from django.urls import path

from billing import views_payment_runs

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
]
