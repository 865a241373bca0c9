from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    """Offline geocoding of Dutch 4-digit postcodes."""

    name = "places"
    verbose_name = _("Postcodes en plaatsen")

    def ready(self) -> None:
        # Keep the process-level postcode cache honest when rows change through the ORM
        # (admin edits, load_postcodes, tests).
        from django.db.models.signals import post_delete, post_save

        from places.geocoding import invalidate_cache
        from places.models import Postcode

        def _invalidate(**kwargs) -> None:
            invalidate_cache()

        post_save.connect(_invalidate, sender=Postcode, weak=False, dispatch_uid="places-save")
        post_delete.connect(_invalidate, sender=Postcode, weak=False, dispatch_uid="places-delete")
