"""The Sozialraumteam's pages. Paths carry only IDs."""

from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("sozialraumteam/", views.meeting_list, name="list"),
    path("sozialraumteam/woche/", views.team_week, name="week"),
    path("sozialraumteam/sitzungen/neu/", views.meeting_create, name="create"),
    path("sozialraumteam/sitzungen/<int:pk>/", views.meeting_detail, name="detail"),
    path(
        "sozialraumteam/sitzungen/<int:pk>/teilnehmende/",
        views.attendee_add,
        name="attendee_add",
    ),
    path("sozialraumteam/sitzungen/<int:pk>/tagesordnung/", views.agenda_prepare, name="agenda"),
    path("sozialraumteam/sitzungen/<int:pk>/durchgefuehrt/", views.meeting_hold, name="hold"),
    path("sozialraumteam/sitzungen/<int:pk>/protokoll/", views.minutes_close, name="minutes_close"),
    path(
        "sozialraumteam/sitzungen/<int:pk>/protokoll.pdf",
        views.minutes_download,
        name="minutes_pdf",
    ),
    path(
        "sozialraumteam/sitzungen/<int:pk>/punkte/<int:item_pk>/",
        views.item_detail,
        name="item",
    ),
    path(
        "sozialraumteam/sitzungen/<int:pk>/punkte/<int:item_pk>/entscheidung/",
        views.decision_record,
        name="decide",
    ),
    path(
        "sozialraumteam/sitzungen/<int:pk>/punkte/<int:item_pk>/beratung/",
        views.discussion_edit,
        name="discussion",
    ),
    path(
        "sozialraumteam/sitzungen/<int:pk>/punkte/<int:item_pk>/fallvorstellung/",
        views.provider_summary_edit,
        name="provider_summary",
    ),
    path("sozialraumteam/faelle/<int:pk>/vorlegen/", views.case_put_forward, name="put_forward"),
    path("sozialraumteam/faelle/<int:pk>/familienrat/", views.conference_list, name="conferences"),
    path(
        "sozialraumteam/faelle/<int:pk>/familienrat/neu/",
        views.conference_edit,
        name="conference_create",
    ),
    path(
        "sozialraumteam/faelle/<int:pk>/familienrat/<int:conference_pk>/",
        views.conference_edit,
        name="conference_edit",
    ),
    path(
        "sozialraumteam/faelle/<int:pk>/familienrat/<int:conference_pk>/zustimmen/",
        views.conference_agree,
        name="conference_agree",
    ),
]
