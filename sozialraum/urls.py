"""Pages of the ground floor: responsibility for an address, Sozialräume, streets, providers."""

from django.urls import path

from sozialraum import views

urlpatterns = [
    path("zustaendigkeit/", views.address_lookup, name="address_lookup"),
    path("sozialraeume/", views.sozialraum_list, name="sozialraum_list"),
    path("strassenverzeichnis/", views.street_directory, name="street_directory"),
    path(
        "strassenverzeichnis/import/",
        views.street_directory_upload,
        name="street_directory_upload",
    ),
    path("traeger/", views.provider_list, name="provider_list"),
    path("vertretungen/", views.deputy_list, name="deputy_list"),
    path("vertretungen/<int:pk>/beenden/", views.deputy_end_view, name="deputy_end"),
]
