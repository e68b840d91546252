from django.urls import path

from api import views

app_name = "api"
urlpatterns = [
    path("verwaltung/api-zugaenge/", views.client_list, name="list"),
    path("verwaltung/api-zugaenge/neu/", views.client_create, name="create"),
    path("verwaltung/api-zugaenge/<int:pk>/angelegt/", views.client_created, name="created"),
    path("verwaltung/api-zugaenge/<int:pk>/sperren/", views.client_revoke, name="revoke"),
]
