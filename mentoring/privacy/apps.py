from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Privacy pages (statement, who sees what, my data) and the registry of each app's
    export and erase functions."""

    name = "mentoring.privacy"
    label = "privacy"
    verbose_name = "Privacy"
