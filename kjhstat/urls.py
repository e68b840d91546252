from django.urls import path

from kjhstat import views

app_name = "kjhstat"
urlpatterns = [
    path("kjh-statistik/", views.statistics_home, name="home"),
    path("kjh-statistik/teil-iv/zuordnung/", views.mapping, name="mapping"),
    path("kjh-statistik/lieferungen/<uuid:public_id>/", views.delivery_detail, name="delivery"),
    path(
        "kjh-statistik/lieferungen/<uuid:public_id>/datei.csv",
        views.delivery_download,
        name="download",
    ),
    path(
        "kjh-statistik/faelle/<int:pk>/hilfen/<int:help_pk>/",
        views.help_items,
        name="help_items",
    ),
    path("kjh-statistik/<str:key>/<int:year>/", views.survey_detail, name="survey"),
]
