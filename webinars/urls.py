"""URLs of the webinars app (mounted at the root; every page is program-scoped)."""

from django.urls import path

from . import views

app_name = "webinars"

P = "programma/<int:program_id>/webinars/"

urlpatterns = [
    path(P, views.choose, name="choose"),
    path(P + "<int:session_id>/aanmelden/", views.register, name="register"),
    path(P + "<int:session_id>/wachtlijst/", views.waitlist, name="waitlist"),
    path(P + "aanmelding/<int:registration_id>/", views.confirmation, name="confirmation"),
    path(P + "aanmelding/<int:registration_id>/afmelden/", views.withdraw, name="withdraw"),
    path(
        P + "aanmelding/<int:registration_id>/webinar.ics",
        views.registration_ics,
        name="registration_ics",
    ),
    path(P + "beheer/", views.staff_list, name="staff_list"),
    path(P + "beheer/nieuw/", views.session_create, name="session_create"),
    path(P + "beheer/niet-bijgewoond/", views.not_attended, name="not_attended"),
    path(P + "beheer/<int:session_id>/", views.session_detail, name="session_detail"),
    path(P + "beheer/<int:session_id>/bewerken/", views.session_edit, name="session_edit"),
    path(P + "beheer/<int:session_id>/annuleren/", views.session_cancel, name="session_cancel"),
    path(P + "beheer/<int:session_id>/aanwezigheid/", views.attendance, name="attendance"),
]
