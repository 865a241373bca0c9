"""Refresh the built-in Postcode rows again: GeoNames rows filed under a wrong PC4 are dropped
(``places.build_geonames.STRAYS``), so 2163 is Lisse, 2451 Leimuiden and 3744 Baarn (all
midden), 5591 Heeze in Noord-Brabant, and eleven PC4s get their own place's position. Rows
loaded from a GeoNames export by ``load_postcodes`` (source "geonames") are left alone."""

import importlib

from django.db import migrations

refresh = importlib.import_module("places.migrations.0003_refresh_builtin_from_geonames")


class Migration(migrations.Migration):
    dependencies = [("places", "0004_refresh_split_municipalities")]

    operations = [
        migrations.RunPython(refresh.refresh_builtin, migrations.RunPython.noop, elidable=False)
    ]
