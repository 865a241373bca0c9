"""Import pages (schools, schoolleiders, expertcoaches)."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("programma/<int:program_id>/staf/importeren/", views.upload, name="upload"),
    path(
        "programma/<int:program_id>/staf/importeren/sjabloon/<str:filename>",
        views.template_file,
        name="template",
    ),
    path(
        "programma/<int:program_id>/staf/importeren/<int:run_id>/",
        views.preview,
        name="preview",
    ),
    path(
        "programma/<int:program_id>/staf/importeren/<int:run_id>/bevestigen/",
        views.commit,
        name="commit",
    ),
    path(
        "programma/<int:program_id>/staf/importeren/<int:run_id>/verwijderen/",
        views.discard,
        name="discard",
    ),
    path(
        "programma/<int:program_id>/deelname-weigeren/",
        views.role_decline_view,
        name="role_decline",
    ),
]
