from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("faelle/<int:pk>/dokumente/", views.case_documents, name="case_documents"),
    path("faelle/<int:pk>/dokumente/hochladen/", views.document_upload, name="upload"),
    path("dokumente/<int:pk>/datei/", views.document_download, name="download"),
    path("dokumente/<int:pk>/freigeben/", views.document_share, name="share"),
    path("dokumente/<int:pk>/loeschen/", views.document_remove, name="remove"),
    path("auftraege/<int:pk>/dokumente/", views.assignment_documents, name="assignment_documents"),
    path("faelle/<int:pk>/uebergabe/", views.handover_start, name="handover"),
    path("faelle/<int:pk>/umzug/", views.move_record, name="move"),
    path("umzuege/<int:pk>/entscheiden/", views.move_decide, name="move_decide"),
    # Letters (H6): routes of documents/views_letters.py are added below this line.
]
