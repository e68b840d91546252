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

# --- Letters from templates, the family's Hilfeplan and its agreement (issue 21, parts 2 and 3)
from documents import views_letters  # noqa: E402

urlpatterns += [
    path("briefvorlagen/", views_letters.template_list, name="letter_templates"),
    path("briefvorlagen/<slug:kind>/", views_letters.template_edit, name="letter_template_edit"),
    path("faelle/<int:pk>/briefe/", views_letters.case_letters, name="case_letters"),
    path(
        "faelle/<int:pk>/briefe/bescheid/neu/",
        views_letters.decision_notice_create,
        name="decision_notice_create",
    ),
    path(
        "faelle/<int:pk>/briefe/datei/<int:letter_pk>/",
        views_letters.letter_download,
        name="letter_download",
    ),
    path(
        "faelle/<int:pk>/briefe/<slug:kind>/<int:obj_pk>/",
        views_letters.letter_send,
        name="letter_send",
    ),
    path(
        "faelle/<int:pk>/hilfeplan/<int:help_pk>/familie/",
        views_letters.help_plan_family,
        name="help_plan_family",
    ),
    path(
        "faelle/<int:pk>/hilfeplan/<int:help_pk>/zustimmung/",
        views_letters.help_plan_agreement,
        name="help_plan_agreement",
    ),
    path("briefe/einladungen/", views_letters.batch_create, name="letter_batch_create"),
    path("briefe/stapel/<int:batch_pk>/", views_letters.batch_detail, name="letter_batch"),
    path(
        "briefe/stapel/<int:batch_pk>/sammel.pdf",
        views_letters.batch_download,
        name="letter_batch_download",
    ),
]
