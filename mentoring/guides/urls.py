from django.urls import path

from . import mentor_day_views, report_views, views

app_name = "guides"

P = "programma/<int:program_id>/"
M = P + "koppel/<int:pair_id>/gesprek/<int:number>/"

urlpatterns = [
    path(P + "handvatten/", views.guide_list, name="guide_list"),
    path(P + "handvatten/<int:guide_id>/", views.guide_detail, name="guide_detail"),
    path(P + "staf/handvatten/nieuw/", views.guide_create, name="guide_create"),
    path(P + "staf/handvatten/standaardset/", views.guide_seed, name="guide_seed"),
    path(P + "staf/handvatten/<int:guide_id>/bewerken/", views.guide_edit, name="guide_edit"),
    path(
        P + "staf/handvatten/<int:guide_id>/publiceren/", views.guide_publish, name="guide_publish"
    ),
    path(M, views.pair_meeting, name="pair_meeting"),
    path(M + "verslag/", views.meeting_record, name="meeting_record"),
    path(M + "afspraken/", views.action_add, name="action_add"),
    path(M + "feedback/", views.meeting_feedback, name="meeting_feedback"),
    path(
        P + "koppel/<int:pair_id>/afspraken/<int:action_id>/",
        views.action_toggle,
        name="action_toggle",
    ),
    path(P + "terugblik/", views.closing_feedback, name="closing_feedback"),
    path(P + "staf/feedback/", views.feedback_list, name="feedback_list"),
    path(
        P + "staf/feedback/terugblik-versturen/",
        views.closing_survey_invite,
        name="closing_survey_invite",
    ),
    path(P + "staf/rapport/", report_views.report, name="report"),
    path(P + "staf/rapport/koppels/", report_views.report_pairs, name="report_pairs"),
    path(P + "staf/rapport/export.csv", report_views.report_csv, name="report_csv"),
    path(P + "staf/rapport/export.xlsx", report_views.report_xlsx, name="report_xlsx"),
    path(P + "staf/privacy/", report_views.program_privacy, name="program_privacy"),
    path(P + "mentor/mijn-dag/", mentor_day_views.mentor_day, name="mentor_day"),
    path(
        P + "mentor/mijn-dag/bewijs-van-deelname.pdf",
        mentor_day_views.certificate,
        name="certificate",
    ),
]
