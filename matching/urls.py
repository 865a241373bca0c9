from django.urls import path

from . import views

app_name = "matching"

_r = "programma/<int:program_id>/staf/matching/"

urlpatterns = [
    path(_r, views.round_list, name="round_list"),
    path(_r + "<int:round_id>/", views.round_detail, name="round_detail"),
    path(_r + "<int:round_id>/instellingen/", views.round_settings, name="round_settings"),
    path(_r + "<int:round_id>/berekenen/", views.round_solve, name="round_solve"),
    path(_r + "<int:round_id>/koppels/", views.round_pairs, name="round_pairs"),
    path(_r + "<int:round_id>/waarom/<str:side>/<int:index>/", views.round_why, name="round_why"),
    path(_r + "<int:round_id>/regels/", views.round_rules, name="round_rules"),
    path(_r + "<int:round_id>/deelname/", views.round_participation, name="round_participation"),
    path(
        _r + "<int:round_id>/regels/<int:rule_id>/verwijderen/",
        views.rule_delete,
        name="rule_delete",
    ),
    path(_r + "<int:round_id>/niet-gekoppeld/", views.round_unmatched, name="round_unmatched"),
    path(_r + "<int:round_id>/vergelijken/", views.round_compare, name="round_compare"),
    path(_r + "<int:round_id>/publiceren/", views.round_publish, name="round_publish"),
    path(_r + "<int:round_id>/export.<str:fmt>", views.round_export, name="round_export"),
]
