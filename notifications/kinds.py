"""Dutch labels for every kind of message, as staff see them in the outbox.

A kind is the name of its template folder (``templates/notifications/<kind>/``) or, for the
account emails of allauth, ``account_<template>``. A test checks that every kind has a label.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "closing_survey": _("Afsluitende vragenlijst"),
    "invitation": _("Uitnodiging voor een account"),
    "match_published_coach": _("Koppeling bekend (expertcoach)"),
    "match_published_mentor": _("Koppeling bekend (mentor)"),
    "match_published_schoolleider": _("Koppeling bekend (schoolleider)"),
    "meeting_accepted": _("Gesprek gepland"),
    "meeting_cancelled": _("Gesprek geannuleerd"),
    "meeting_moved": _("Gesprek verplaatst"),
    "meeting_nudge": _("Aansporing om te plannen"),
    "meeting_proposed": _("Tijden voor een gesprek voorgesteld"),
    "meeting_reminder": _("Herinnering aan een gesprek"),
    "mentor_approved": _("Mentor goedgekeurd"),
    "mentor_registration_open": _("Aanmelding voor mentoren open"),
    "mentor_rejected": _("Mentor afgewezen"),
    "rematch_requested": _("Verzoek om nieuwe koppeling"),
    "role_added": _("Toegevoegd aan een programma"),
    "staff_message": _("Bericht van de programmastaf"),
    "webinar_cancelled": _("Webinar geannuleerd"),
    "webinar_changed": _("Webinar gewijzigd"),
    "webinar_place_available": _("Plek vrij in een webinar"),
    "webinar_registered": _("Aangemeld voor een webinar"),
    "webinar_reminder": _("Herinnering aan een webinar"),
    "webinar_waitlisted": _("Op de wachtlijst van een webinar"),
    "account_account_already_exists": _("Account bestaat al"),
    "account_email_confirmation": _("E-mailadres bevestigen"),
    "account_email_confirmation_signup": _("E-mailadres bevestigen na aanmelden"),
    "account_password_reset_key": _("Wachtwoord opnieuw instellen"),
    "account_unknown_account": _("Onbekend account"),
}


def kind_label(kind: str) -> str:
    """The Dutch (or active language) label of a kind; the code itself if it has none."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind
