from django.urls import path

from . import views

urlpatterns = [
    path("programma/<int:program_id>/", views.program_home, name="program_home"),
]

app_patterns = [
    path("programmas/", views.program_list, name="program_list"),
    path("programmas/nieuw/", views.program_create, name="program_create"),
    path("programma/<int:program_id>/staf/tijdlijn/", views.program_edit, name="program_edit"),
    path("programma/<int:program_id>/staf/scholen/", views.school_list, name="school_list"),
    path(
        "programma/<int:program_id>/staf/scholen/<int:school_id>/vakantieregio/",
        views.school_holiday_region,
        name="school_holiday_region",
    ),
    path("programma/<int:program_id>/staf/regios/", views.region_list, name="region_list"),
    path("programma/<int:program_id>/staf/regios/nieuw/", views.region_edit, name="region_create"),
    path(
        "programma/<int:program_id>/staf/regios/<int:region_id>/",
        views.region_edit,
        name="region_edit",
    ),
]
