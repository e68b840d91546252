"""URLs of the budgets app, all under /budget/."""

from django.urls import path

from budgets import casework_views, correction_views, provider_budget_views, rate_views, views

app_name = "budgets"
urlpatterns = [
    # Case pages whose step moves money (budgets.commissioning); paths beside the other case pages.
    path("faelle/<int:pk>/status/", casework_views.case_transition_view, name="case_transition"),
    path(
        "faelle/<int:pk>/hilfen/<int:help_pk>/beenden/",
        casework_views.help_end_view,
        name="help_end",
    ),
    path(
        "faelle/<int:pk>/hilfen/<int:help_pk>/beauftragen/",
        casework_views.commission_view,
        name="commission",
    ),
    path("budget/", views.overview, name="overview"),
    # Trägerbudget (issue 20, part 5)
    path(
        "traegerbudgets/", provider_budget_views.provider_budget_list, name="provider_budget_list"
    ),
    path(
        "traegerbudgets/zuweisen/",
        provider_budget_views.provider_budget_allocate,
        name="provider_budget_allocate",
    ),
    path(
        "traegerbudgets/<int:pk>/",
        provider_budget_views.provider_budget_detail,
        name="provider_budget_detail",
    ),
    path(
        "traegerbudgets/<int:pk>/jahresabschluss/",
        provider_budget_views.provider_budget_carry_over,
        name="provider_budget_carry_over",
    ),
    path(
        "traegerbudgets/buchung/<int:pk>/storno/",
        provider_budget_views.provider_budget_booking_reverse,
        name="provider_budget_booking_reverse",
    ),
    path("budget/haushaltsjahr/neu/", views.fiscal_year_create, name="fiscal_year_create"),
    path("budget/<int:year>/aufteilung/", views.split, name="split"),
    path(
        "budget/<int:year>/export/<slug:part>.<slug:extension>",
        views.export,
        name="export",
    ),
    path("budget/konto/<int:pk>/", views.budget_detail, name="budget_detail"),
    path(
        "budget/konto/<int:pk>/bewilligung/neu/",
        views.commitment_create,
        name="commitment_create",
    ),
    path("budget/konto/<int:pk>/uebertrag/", views.carry_over, name="carry_over"),
    path(
        "budget/konto/<int:pk>/vorwegabzug-antrag/",
        views.transfer_request,
        name="transfer_request",
    ),
    path("budget/bewilligung/<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("budget/buchung/<int:pk>/storno/", views.entry_reverse, name="entry_reverse"),
    path("budget/vorwegabzug/antraege/", views.transfer_list, name="transfer_list"),
    path("budget/entgelte/", rate_views.rate_list, name="rate_list"),
    path("budget/entgelte/neu/", rate_views.rate_create, name="rate_create"),
    path(
        "budget/vorwegabzug/antraege/<int:pk>/",
        views.transfer_decide,
        name="transfer_decide",
    ),
]

# Corrections whose casework moves money (budgets.corrections), beside the other case pages.
urlpatterns += [
    path(
        "faelle/<int:pk>/hilfen/<int:help_pk>/berichtigen/",
        correction_views.help_correct_view,
        name="help_correct",
    ),
    path(
        "faelle/<int:pk>/falldurchfuehrung/<int:assignment_pk>/berichtigen/",
        correction_views.assignment_correct_view,
        name="assignment_correct",
    ),
    path(
        "faelle/<int:pk>/zuruecknehmen/", correction_views.case_withdraw_view, name="case_withdraw"
    ),
]
