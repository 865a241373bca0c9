from django.urls import path

from . import views

app_name = "pairs"

urlpatterns = [
    path("programma/<int:program_id>/koppel/", views.my_pair, name="my_pair"),
    path(
        "programma/<int:program_id>/koppel/<int:pair_id>/beeindigen/",
        views.pair_end,
        name="pair_end",
    ),
    path(
        "programma/<int:program_id>/koppel/<int:pair_id>/eerste-contact/",
        views.first_contact,
        name="first_contact",
    ),
    path(
        "programma/<int:program_id>/school/schoolcoaches/",
        views.schoolcoaches,
        name="schoolcoaches",
    ),
    path(
        "programma/<int:program_id>/expertcoach/scholen/", views.coach_schools, name="coach_schools"
    ),
    path(
        "programma/<int:program_id>/expertcoach/scholen/export.<str:fmt>",
        views.coach_schools_export,
        name="coach_schools_export",
    ),
    path("programma/<int:program_id>/staf/herkoppelen/", views.rematch_list, name="rematch_list"),
    path(
        "programma/<int:program_id>/staf/herkoppelen/<str:side>/<int:role_id>/",
        views.rematch_person,
        name="rematch_person",
    ),
    path("programma/<int:program_id>/staf/koppels/", views.staff_pair_list, name="staff_pair_list"),
    path(
        "programma/<int:program_id>/staf/toewijzingen/<int:assignment_id>/beeindigen/",
        views.staff_assignment_end,
        name="staff_assignment_end",
    ),
    path(
        "programma/<int:program_id>/staf/koppels/<int:pair_id>/beeindigen/",
        views.staff_pair_end,
        name="staff_pair_end",
    ),
]
