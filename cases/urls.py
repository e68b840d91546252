"""Case work. Paths carry only IDs: never a name, an address or a case number."""

from django.urls import path

from cases.views import (
    audit,
    casework,
    custody,
    help_plan,
    offers,
    proposals,
    protection,
    provider,
    records,
    reopen,
    sharing,
)
from cases.views import corrections as correction_views

app_name = "cases"

urlpatterns = [
    path("faelle/", casework.case_list_view, name="list"),
    path("faelle/neu/", casework.intake, name="intake"),
    path("faelle/projekt/neu/", casework.project_create, name="project_create"),
    path("faelle/<int:pk>/", casework.case_detail, name="detail"),
    path("faelle/<int:pk>/projekt/", casework.project_edit, name="project_edit"),
    path("faelle/<int:pk>/fallsteuerung/", casework.steering_change_view, name="steering"),
    path("faelle/<int:pk>/personen/neu/", records.person_add_view, name="person_add"),
    path("faelle/<int:pk>/personen/<int:person_pk>/", records.person_edit_view, name="person_edit"),
    path("faelle/<int:pk>/ressourcen/neu/", records.resource_add_view, name="resource_add"),
    path("faelle/<int:pk>/angebote/", offers.offers_near_view, name="offers_near"),
    path(
        "faelle/<int:pk>/angebote/<int:offer_pk>/uebernehmen/",
        offers.offer_link_view,
        name="offer_link",
    ),
    path("faelle/<int:pk>/ziele/neu/", records.goal_add_view, name="goal_add"),
    path(
        "faelle/<int:pk>/ziele/<int:goal_pk>/schritte/neu/",
        records.step_add_view,
        name="step_add",
    ),
    path(
        "faelle/<int:pk>/schritte/<int:step_pk>/erledigt/",
        records.step_done_view,
        name="step_done",
    ),
    path("faelle/<int:pk>/hilfen/neu/", help_plan.help_decide_view, name="help_decide"),
    path(
        "faelle/<int:pk>/hilfen/<int:help_pk>/hilfeplan/",
        help_plan.help_plan_view,
        name="help_plan",
    ),
    path(
        "faelle/<int:pk>/hilfen/<int:help_pk>/abschlussgespraech/",
        help_plan.review_closing_view,
        name="review_closing",
    ),
    path("faelle/<int:pk>/wieder-oeffnen/", reopen.case_reopen_view, name="reopen"),
    path(
        "faelle/<int:pk>/vorschlaege/<int:proposal_pk>/bestaetigen/",
        proposals.proposal_confirm_view,
        name="proposal_confirm",
    ),
    path("faelle/<int:pk>/vermerke/neu/", records.note_add_view, name="note_add"),
    path(
        "faelle/<int:pk>/hilfeplan/<int:review_pk>/",
        help_plan.review_record_view,
        name="review_record",
    ),
    path(
        "faelle/<int:pk>/hilfeplan/<int:review_pk>/termin/",
        help_plan.review_schedule_view,
        name="review_schedule",
    ),
    path("faelle/<int:pk>/gefaehrdung/neu/", protection.risk_add_view, name="risk_add"),
    path("gefaehrdung/<int:pk>/", protection.risk_detail_view, name="risk_detail"),
    path("gefaehrdung/<int:pk>/ergebnis/", protection.risk_conclude_view, name="risk_conclude"),
    path(
        "gefaehrdung/<int:pk>/kenntnisnahme/",
        protection.risk_acknowledge_view,
        name="risk_acknowledge",
    ),
    path("gefaehrdung/<int:pk>/schutzplan/", protection.safety_plan_view, name="safety_plan"),
    path(
        "gefaehrdung/<int:pk>/schutzplan/massnahmen/neu/",
        protection.safety_measure_add_view,
        name="safety_measure_add",
    ),
    path(
        "gefaehrdung/<int:pk>/schutzplan/massnahmen/<int:measure_pk>/erledigt/",
        protection.safety_measure_done_view,
        name="safety_measure_done",
    ),
    path(
        "gefaehrdung/<int:pk>/familiengericht/",
        protection.family_court_view,
        name="family_court",
    ),
    path("gefaehrdung/<int:pk>/statistik/", custody.risk_items_view, name="risk_items"),
    path("faelle/<int:pk>/inobhutnahme/neu/", custody.custody_add_view, name="custody_add"),
    path("inobhutnahme/<int:pk>/", custody.custody_detail_view, name="custody_detail"),
    path(
        "inobhutnahme/<int:pk>/berichtigen/",
        custody.custody_correct_view,
        name="custody_correct",
    ),
    path("inobhutnahme/<int:pk>/beenden/", custody.custody_end_view, name="custody_end"),
    path("faelle/<int:pk>/beratung/neu/", records.consultation_add_view, name="consultation_add"),
    path("faelle/<int:pk>/weitergaben/neu/", sharing.sharing_add_view, name="sharing_add"),
    path(
        "faelle/<int:pk>/weitergaben/<int:sharing_pk>/widerruf/",
        sharing.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("auftraege/", provider.assignment_list_view, name="assignment_list"),
    path("auftraege/<int:pk>/", provider.assignment_detail, name="assignment_detail"),
    path("auftraege/<int:pk>/eintrag/neu/", provider.assignment_note_view, name="assignment_note"),
    path(
        "auftraege/<int:pk>/gefaehrdung/neu/",
        provider.assignment_risk_view,
        name="assignment_risk",
    ),
    path("verwaltung/protokoll/", audit.audit_log, name="audit_log"),
]

# Berichtigung of case records (the money-moving ones, helps and commissions, are in budgets).
urlpatterns += [
    path(
        "faelle/<int:pk>/vermerke/<int:note_pk>/berichtigen/",
        correction_views.note_correct_view,
        name="note_correct",
    ),
    path(
        "faelle/<int:pk>/hilfeplan/<int:review_pk>/berichtigen/",
        correction_views.review_correct_view,
        name="review_correct",
    ),
    path(
        "faelle/<int:pk>/gefaehrdung/<int:risk_pk>/berichtigen/",
        correction_views.risk_correct_view,
        name="risk_correct",
    ),
    path(
        "auftraege/<int:pk>/eintraege/<int:entry_pk>/berichtigen/",
        correction_views.assignment_note_correct_view,
        name="assignment_note_correct",
    ),
]
