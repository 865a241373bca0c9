"""Refresh the built-in Postcode rows again: Noordwijkerhout is part of Noordwijk (2019) and
Haaren's villages went to Tilburg, Oisterwijk and Vught (2021). Rows loaded from a GeoNames
export by ``load_postcodes`` (source "geonames") are left alone."""

import importlib

from django.db import migrations

refresh = importlib.import_module("places.migrations.0003_refresh_builtin_from_geonames")


class Migration(migrations.Migration):
    dependencies = [("places", "0003_refresh_builtin_from_geonames")]

    operations = [
        migrations.RunPython(refresh.refresh_builtin, migrations.RunPython.noop, elidable=False)
    ]
