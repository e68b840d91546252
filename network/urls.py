"""URLs of the network app."""

from django.urls import path

from network import correction_views, views

app_name = "network"
urlpatterns = [
    path("netzwerk/angebote/", views.offer_search, name="offer_search"),
    path("netzwerk/angebote/neu/", views.offer_create, name="offer_create"),
    path("netzwerk/angebote/import/", views.offer_import, name="offer_import"),
    path("netzwerk/angebote/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("netzwerk/angebote/<int:pk>/bearbeiten/", views.offer_update, name="offer_update"),
    path("netzwerk/angebote/<int:pk>/loeschen/", views.offer_remove, name="offer_remove"),
    path("netzwerk/partner/", views.partner_list, name="partner_list"),
    path("netzwerk/partner/neu/", views.partner_create, name="partner_create"),
    path("netzwerk/partner/import/", views.partner_import, name="partner_import"),
    path("netzwerk/partner/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("netzwerk/partner/<int:pk>/bearbeiten/", views.partner_update, name="partner_update"),
    path("netzwerk/konferenzen/", views.conference_list, name="conference_list"),
    path("netzwerk/konferenzen/neu/", views.conference_create, name="conference_create"),
    path("netzwerk/konferenzen/<int:pk>/", views.conference_detail, name="conference_detail"),
    path(
        "netzwerk/konferenzen/<int:pk>/bearbeiten/",
        views.conference_update,
        name="conference_update",
    ),
    path(
        "netzwerk/konferenzen/<int:pk>/vereinbarungen/",
        views.agreement_create,
        name="agreement_create",
    ),
    path(
        "netzwerk/vereinbarungen/<int:pk>/erledigt/",
        views.agreement_done,
        name="agreement_done",
    ),
]

# Berichtigung of an agreement (network.corrections).
urlpatterns += [
    path(
        "netzwerk/vereinbarungen/<int:pk>/berichtigen/",
        correction_views.agreement_correct_view,
        name="agreement_correct",
    ),
]
