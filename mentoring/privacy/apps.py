from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Privacy pages (statement, who sees what, my data). The registry of each app's export
    and erase functions is ``mentoring.privacy_registry`` (importable from every layer)."""

    name = "mentoring.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from . import panels  # noqa: F401  (the "Mijn gegevens" panel)
