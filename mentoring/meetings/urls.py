"""URLs of the meetings app (mounted at the root, namespace ``meetings``)."""

from django.urls import path

from . import planning_views, views

app_name = "meetings"

_pair = "programma/<int:program_id>/koppel/<int:pair_id>/gesprekken/"
_meeting = _pair + "<int:number>/"

urlpatterns = [
    path(_pair, views.pair_meetings, name="pair"),
    path(_pair + "voorstel-overnemen/", views.take_over, name="take_over"),
    path(_meeting + "voorstellen/", views.propose, name="propose"),
    path(_meeting + "accepteren/<int:slot_id>/", views.accept, name="accept"),
    path(_meeting + "verplaatsen/", views.move, name="move"),
    path(_meeting + "annuleren/", views.cancel, name="cancel"),
    path(_meeting + "doorgegaan/", views.outcome, name="outcome"),
    path(_meeting + "bevestigd/", views.confirmed, name="confirmed"),
    path(_meeting + "agenda.ics", views.meeting_ics, name="meeting_ics"),
    path("programma/<int:program_id>/gesprekken/", views.overview, name="overview"),
    path("programma/<int:program_id>/gesprekken/herinneren/", views.nudge, name="nudge"),
    path("programma/<int:program_id>/gesprekken/volgen/", views.follow, name="follow"),
    path("agenda/", views.feed_settings, name="feed_settings"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
    # Planning (issue 14): connected calendars, the school's week, a pair's plan, staff runs.
    path("agenda/koppelen/", planning_views.connection, name="connection"),
    path("programma/<int:program_id>/schoolweek/", planning_views.school_week, name="school_week"),
    path(_pair + "plan/", planning_views.plan, name="plan"),
    path(_pair + "plan/maken/", planning_views.plan_make, name="plan_make"),
    path(_pair + "plan/<int:plan_id>/akkoord/", planning_views.plan_accept, name="plan_accept"),
    path(_pair + "plan/<int:plan_id>/verplaatsen/", planning_views.plan_move, name="plan_move"),
    path("programma/<int:program_id>/planning/", planning_views.planning_run, name="planning_run"),
]
