"""URLs of the notifications app (mounted at the root)."""

from django.urls import include, path

from . import views, webhooks

app_name = "notifications"

urlpatterns = [
    # anymail's tracking webhooks: /anymail/<esp>/tracking/ (basic auth: ANYMAIL_WEBHOOK_SECRET),
    # behind notifications.webhooks' gate (404 until configured, 400 on bad input).
    path("anymail/", include((webhooks.urlpatterns, "anymail"))),
    path("instellingen/berichten/", views.preferences, name="preferences"),
    # Foundation staff: every message.
    path("staf/berichten/", views.outbox, name="outbox"),
    path("staf/berichten/actie/", views.action, name="action"),
    path("staf/berichten/onbestelbaar/", views.suppressed, name="suppressed"),
    path(
        "staf/berichten/onbestelbaar/<int:pk>/opheffen/",
        views.suppression_clear,
        name="suppression_clear",
    ),
    path("staf/berichten/<int:pk>/", views.detail, name="detail"),
    # Program staff: the messages of one program year.
    path("programma/<int:program_id>/staf/berichten/", views.program_outbox, name="program_outbox"),
    path(
        "programma/<int:program_id>/staf/berichten/actie/",
        views.program_action,
        name="program_action",
    ),
    path(
        "programma/<int:program_id>/staf/berichten/onbestelbaar/",
        views.program_suppressed,
        name="program_suppressed",
    ),
    path(
        "programma/<int:program_id>/staf/berichten/onbestelbaar/<int:pk>/opheffen/",
        views.program_suppression_clear,
        name="program_suppression_clear",
    ),
    path(
        "programma/<int:program_id>/staf/berichten/<int:pk>/",
        views.program_detail,
        name="program_detail",
    ),
]
