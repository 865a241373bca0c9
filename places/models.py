from django.db import models
from django.utils.translation import gettext_lazy as _

from places.geo import Place


class Postcode(models.Model):
    """One Dutch 4-digit postcode area with its approximate centre.

    Filled from the built-in table by migration 0002; ``manage.py load_postcodes`` replaces
    rows with the exact GeoNames values.
    """

    class Source(models.TextChoices):
        BUILTIN = "builtin", _("Ingebouwde tabel")
        GEONAMES = "geonames", _("GeoNames")

    pc4 = models.CharField(_("postcode (4 cijfers)"), max_length=4, primary_key=True)
    place = models.CharField(_("plaats"), max_length=100)
    municipality = models.CharField(_("gemeente"), max_length=100, blank=True)
    province = models.CharField(_("provincie"), max_length=20)
    lat = models.FloatField(_("breedtegraad"))
    lon = models.FloatField(_("lengtegraad"))
    source = models.CharField(
        _("bron"), max_length=10, choices=Source.choices, default=Source.BUILTIN
    )

    class Meta:
        ordering = ["pc4"]
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")

    def __str__(self) -> str:
        return f"{self.pc4} {self.place}"

    def as_place(self) -> Place:
        """Return the pure ``places.geo.Place`` value for this row."""
        return Place(
            pc4=self.pc4,
            place=self.place,
            municipality=self.municipality,
            province=self.province,
            lat=self.lat,
            lon=self.lon,
        )
