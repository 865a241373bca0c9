"""URLs of the meetings app (mounted at the root, namespace ``meetings``)."""

from django.urls import path

from . import views

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
]
