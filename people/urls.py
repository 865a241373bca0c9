from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("mentor-worden/", views.mentor_signup_info, name="mentor_signup_info"),
    path("mentor-worden/verder/", views.mentor_signup_done, name="mentor_signup_done"),
    path("programma/<int:program_id>/mentor/profiel/", views.mentor_profile, name="mentor_profile"),
    path("programma/<int:program_id>/staf/mentoren/", views.mentor_list, name="mentor_list"),
    path(
        "programma/<int:program_id>/staf/mentoren/goedkeuren/",
        views.mentor_bulk_approve,
        name="mentor_bulk_approve",
    ),
    path(
        "programma/<int:program_id>/staf/belangstellenden/",
        views.interest_list,
        name="interest_list",
    ),
    path(
        "programma/<int:program_id>/staf/mentoren/<int:profile_id>/",
        views.mentor_review_view,
        name="mentor_review",
    ),
    path(
        "programma/<int:program_id>/schoolleider/gegevens/",
        views.schoolleider_profile,
        name="schoolleider_profile",
    ),
    path("uitnodiging/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("taal/", views.set_language, name="set_language"),
]
