"""Pages of the app. Paths carry only IDs."""

from django.urls import path

from reimbursements import views

app_name = "reimbursements"

urlpatterns: list = [
    path("kostenerstattung/", views.home, name="home"),
    path("kostenerstattung/hilfe-suchen/", views.help_lookup, name="help_lookup"),
    path("kostenerstattung/jugendaemter/", views.office_list, name="office_list"),
    path("kostenerstattung/jugendaemter/neu/", views.office_create, name="office_create"),
    path("kostenerstattung/jugendaemter/<int:pk>/", views.office_edit, name="office_edit"),
    path("kostenerstattung/hilfe/<int:help_pk>/neu/", views.claim_create, name="claim_create"),
    path("kostenerstattung/ansprueche/<int:pk>/", views.claim_detail, name="claim_detail"),
    path(
        "kostenerstattung/ansprueche/<int:pk>/schreiben.pdf",
        views.claim_letter,
        name="claim_letter",
    ),
    path(
        "kostenerstattung/fall/<int:case_pk>/hilfe/<int:help_pk>/",
        views.help_claims,
        name="help_claims",
    ),
    path("kostenerstattung/forderungen/neu/", views.received_create, name="received_create"),
    path("kostenerstattung/forderungen/<int:pk>/", views.received_detail, name="received_detail"),
]
