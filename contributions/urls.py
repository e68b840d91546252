"""Pages of the app. Paths carry only IDs."""

from django.urls import path  # noqa: F401

app_name = "contributions"

urlpatterns: list = []
