"""URLs of the overview app."""

from django.urls import path

from overview import views

app_name = "overview"
urlpatterns = [
    path("sozialraeume/<int:pk>/", views.sozialraum_detail, name="sozialraum_detail"),
    path("regionen/<int:pk>/", views.region_detail, name="region_detail"),
]
