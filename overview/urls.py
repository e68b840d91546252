"""URLs of the overview app."""

from django.urls import path  # noqa: F401

app_name = "overview"
urlpatterns: list = []
